"""The short Dutch introduction a first-time user sees at the top of the app."""

INTRO = """
**locscan zoekt plekken voor de tijdelijke huisvesting van internationale werknemers.**
De regio (gemeenten en Aanjaagteam) spreekt criteria af; locscan toetst elk perceel en elk
bedrijventerrein van de regio daaraan en maakt zo de **longlist**. De werkgroep kiest daaruit
de **shortlist** en werkt die per locatie uit.

- **Wat u ziet:** op de kaart is elke locatie een punt: gekleurd als hij aan alle harde
  criteria voldoet (de kleur is de score), oranje als iets nog te controleren is, grijs als
  hij afvalt (zichtbaar bij inzoomen). Klik op een locatie: eronder staat per criterium
  waarom hij wel of niet voldoet.
- **De gegevens:** de lagen van de regio (percelen, bestemmingsplannen, kernen, natuur,
  werklocaties, parkeren); de pagina *Gegevens en bronnen* noemt bron en datum van elke laag.
  In de demo zijn alle gegevens verzonnen.
- **Wat u eerst doet:** kies links wat u bekijkt: uw subregio of gemeente (of, waar de regio
  ze kent, een provincie of arbeidsmarktregio). Pas daarna, als de werkgroep dat
  wil, een drempel aan (bijvoorbeeld de afstand tot het werk): kaart en aantallen volgen
  direct; *Opslaan als nieuwe criteriaset* legt de variant vast. Vul uw naam in voordat u
  locaties op de shortlist zet.
- **Verder:** *Opgave & capaciteit* rekent uit of de plekken de opgave dekken (80/10/10),
  *Scenario's vergelijken* zet criteriasets naast elkaar, *Export* levert Excel, GeoPackage
  en factsheets.
"""
