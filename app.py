"""locscan web app (Streamlit) for the subregional working groups. UI only; start: ``make run``.

Everything shown comes from the library: measures are computed once per region and criteria
set (``locscan.measures``), criteria are re-evaluated on every change (milliseconds), the map
is built by ``locscan.maps`` and the shortlist lives in a database (``locscan.shortlist``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from pathlib import Path

import pandas as pd
import streamlit as st

from locscan import crash, criteria, demo, nl, pull, settings
from locscan.errors import LocscanError
from locscan.nl import tables, text
from locscan.region import load_meta
from locscan.scan import Scan
from locscan.shortlist import STATUSES, ConflictError, Shortlist, default_url
from ui import ahp_page, capacity_page, compare_page, intro, kaart_component, longlist_view
from ui.text import distinct, plain, shown

st.set_page_config(page_title="locscan – locatiescan", layout="wide")
TABS = ("Kaart", "Longlist", "Waarom (niet)?", "Shortlist", "Export")
#: widgets in a tab that is not open are not run, and Streamlit then forgets their values:
#: these are kept (set again at the start of every run)
KEPT = ("site", "filter", "descending", "sort", "edit_site")
FORMATS = [(".geojson", "GeoJSON (WGS84)"), (".gpkg", "GeoPackage (RD New)"), (".csv", "CSV"),
           (".xlsx", "Excel")]


def _guarded(page: Callable[[], None]) -> Callable[[], None]:
    """Run a page: a user error is one Dutch line, anything else is logged and said so."""

    @wraps(page)
    def run() -> None:
        try:
            page()
        except LocscanError as exc:
            st.error(plain(exc))
        except Exception as exc:
            log = crash.report(exc, context=f"app, {getattr(page, '__name__', page)!r}")
            st.error(f"Interne fout in locscan ({type(exc).__name__}); dit ligt niet aan uw "
                     f"invoer. De details staan op de server in {plain(log)}.")

    return run


@st.cache_resource(show_spinner="Metingen laden of berekenen…")
def _scan(region_dir: str, criteria_file: str, _stamp: float) -> Scan:
    scan = Scan.open(region_dir, criteria_file)
    kaart_component.prepare(scan)
    return scan


@st.cache_resource
def _shortlist(url: str, region: str) -> Shortlist:
    return Shortlist(url, region)


@st.cache_data
def _region_label(folder: str) -> str:
    """A region folder as the user knows it: its label from region.yaml."""
    try:
        return load_meta(Path(folder) / settings.region_file).label
    except LocscanError:
        return folder


def _regions() -> list[str]:
    found = sorted(str(p.parent) for p in Path("data").glob(f"*/{settings.catalogue_file}"))
    return found or [settings.default_region]


for _kept in KEPT:
    if _kept in st.session_state:
        st.session_state[_kept] = st.session_state[_kept]

# --- choose -------------------------------------------------------------------------------
st.sidebar.title("locscan")
# with a login configured ([auth] in .streamlit/secrets.toml, see the README) the shortlist
# takes the name from the login; without one, users type their name
logged_in = st.user.get("is_logged_in")
if logged_in is False:
    st.sidebar.button("Inloggen", on_click=st.login)
    st.info("Log in om de locatiescan te gebruiken.")
    st.stop()
proxy_user = st.context.headers.get(settings.user_header) if settings.user_header else None
if logged_in:
    user = str(st.user.get("name") or st.user.get("email") or st.user.get("sub"))
    st.sidebar.caption(f"Ingelogd als {plain(user)}")
    st.sidebar.button("Uitloggen", on_click=st.logout)
elif proxy_user:
    user = proxy_user
    st.sidebar.caption(f"Ingelogd als {plain(user)}")
else:
    user = st.sidebar.text_input("Uw naam", key="user",
                                 help="Nodig om de shortlist te wijzigen.")
# the choices live in the page's address, so a reload (or a shared link) keeps them
asked = st.query_params
if "site" not in st.session_state and asked.get("locatie"):
    st.session_state["site"] = asked["locatie"]  # the site chosen before the reload


def _number(text_: str | None, default: float) -> float:
    """A number from the address, or `default` when there is none or it is not a number."""
    try:
        return float(text_) if text_ is not None else default
    except ValueError:
        return default


def _at(options: list[str], value: str | None) -> int:
    """The position of `value` among `options`; the first when it is not there."""
    return options.index(value) if value in options else 0


regions = _regions()
region_labels = distinct({folder: _region_label(folder) for folder in regions})
# each choice has a key: its identity then does not change with the default the address gives
# (without one, a choice after the address had changed made a new widget, and was lost)
region_dir = st.sidebar.selectbox("Regio", regions, index=_at(regions, asked.get("regio")),
                                  format_func=region_labels.get, key="keuze:regio")
criteria_files = sorted(str(p) for p in Path("criteria").glob("*.yaml"))
criteria_file = st.sidebar.selectbox("Criteriaset", criteria_files,
                                     index=_at(criteria_files, asked.get("criteria")),
                                     key="keuze:criteria")
try:
    scan = _scan(region_dir, criteria_file, Path(criteria_file).stat().st_mtime)
    context = scan.context()
except LocscanError as exc:
    st.error(f"De regio of criteriaset kan niet worden geladen: {plain(exc)}")
    st.stop()

region, base_crit = scan.region, scan.criteria
# a province, an arbeidsmarktregio, ... (region.yaml's area_kinds): each narrows the next
chosen_areas: dict[str, str] = {}
within = list(region.meta.municipalities)
for kind in region.meta.area_kinds:
    area_options = ["(alle)", *region.meta.area_names(kind, within)]
    area = st.sidebar.selectbox(kind.capitalize(), area_options,
                                index=_at(area_options, asked.get(kind)), key=f"keuze:{kind}")
    if area != "(alle)":
        chosen_areas[kind] = area
        within = [m for m in within if m.areas.get(kind) == area]
subregio_options = ["(alle)", *[name for name in region.meta.subregios
                                 if any(m.subregio == name for m in within)]]
subregio = st.sidebar.selectbox("Subregio", subregio_options,
                                index=_at(subregio_options, asked.get("subregio")),
                                key="keuze:subregio")
subregio = None if subregio == "(alle)" else subregio
gemeenten = [m.name for m in within if subregio in (None, m.subregio)]
gemeente_options = ["(alle)", *sorted(gemeenten)]
gemeente = st.sidebar.selectbox("Gemeente", gemeente_options,
                                index=_at(gemeente_options, asked.get("gemeente")),
                                key="keuze:gemeente")
gemeente = None if gemeente == "(alle)" else gemeente
# what every page shows: one gemeente, or the gemeenten of the chosen areas, or all
picked: str | tuple[str, ...] | None = gemeente or (
    tuple(m.code for m in within) if chosen_areas else None)
where = ", ".join(f"{kind} {name}" for kind, name in chosen_areas.items())

# --- tune criteria live -------------------------------------------------------------------


def _no_effect_hint(criterion: str, value: object) -> None:
    """Say so when a changed value, on its own, changes the outcome for no site at all."""
    if value == base_crit.criterion(criterion).value:
        return
    alone = scan.evaluate(base_crit.with_value(criterion, value)).status
    if alone.equals(scan.evaluate(base_crit).status):
        st.caption("Geen effect: met deze waarde valt geen enkele locatie anders uit.")


crit = base_crit
names = {m.code: m.name for m in region.meta.municipalities}
overrides = criteria.resolve_overrides(base_crit, region.meta)
with st.sidebar.expander("Criteria aanpassen", expanded=True):
    for c in base_crit.hard:
        key = f"{base_crit.name}:{c.id}"
        if c.op in ("in", "not_in"):
            options = scan.choices(c.id, base_crit)
            wanted = [v for v in asked.get_all(c.id) if v in options] or list(c.value)
            chosen = st.multiselect(c.label, options, default=wanted, key=key)
            crit = crit.with_value(c.id, chosen)
            _no_effect_hint(c.id, chosen)
        elif c.op != "between" and isinstance(c.value, int | float):
            value = st.number_input(text.input_caption(base_crit, c.id),
                                    value=_number(asked.get(c.id), float(c.value)),
                                    min_value=0.0, key=key)
            crit = crit.with_value(c.id, value)
            if own := text.overrides_note(base_crit, c.id, names, overrides):
                st.caption(plain(own))
            _no_effect_hint(c.id, value)
    st.caption("Gewichten (zachte criteria)")
    for c in base_crit.soft:
        weight = st.number_input(c.label, value=_number(asked.get(f"w.{c.id}"), float(c.weight)),
                                 min_value=0.0, step=0.5, key=f"{base_crit.name}:w:{c.id}")
        crit = crit.with_weight(c.id, weight)
    changes = criteria.differences(base_crit, crit)
    tuned = {c.id: format(float(c.value), "g") if isinstance(c.value, int | float)
             else [str(v) for v in c.value] for c in crit.hard
             if isinstance(c.value, int | float | list)
             and c.value != base_crit.criterion(c.id).value}
    tuned |= {f"w.{c.id}": format(float(c.weight), "g") for c in crit.soft
              if c.weight != base_crit.criterion(c.id).weight}
    chosen_site = st.session_state.get("site", "").strip()
    st.query_params.from_dict({"regio": region_dir, "criteria": criteria_file,
                               **chosen_areas, **({"subregio": subregio} if subregio else {}),
                               **({"gemeente": gemeente} if gemeente else {}), **tuned,
                               **({"locatie": chosen_site} if chosen_site else {})})
    if changes:
        st.caption(plain("Gewijzigd: " + "; ".join(changes)))
        new_name = st.text_input("Naam nieuwe criteriaset", key="new_criteria_name")
        if st.button("Opslaan als nieuwe criteriaset"):
            try:
                path = criteria.save_as_new(crit, "criteria", name=new_name, author=user,
                                            base=base_crit)
                st.success(f"Opgeslagen als {plain(path)}")
            except LocscanError as exc:
                st.error(plain(exc))

# --- evaluate (cheap: no geometry) --------------------------------------------------------
result = scan.evaluate(crit)
summary = scan.summary(crit, subregio=subregio, gemeente=picked)
store = _shortlist(default_url(), region.key)
focus = region.meta.codes(subregio, picked)
short = store.items()
view = longlist_view.View(scan=scan, crit=crit, result=result, subregio=subregio,
                          gemeente=picked, focus=focus, store=store, short=short,
                          user=user)

if region.meta.demo:
    st.warning(f"{demo.DEMO_LABEL}. Deze regio is verzonnen en dient alleen om het "
               "instrument te leren kennen.")
st.title("Locatiescan huisvesting internationale werknemers")
with st.expander("Hoe werkt locscan?", expanded=not st.session_state.get("intro_seen")):
    st.markdown(intro.INTRO)
st.session_state["intro_seen"] = True
st.caption(plain(f"{region.meta.label} · criteria {crit.name} versie {crit.version} "
           f"({crit.digest()})" + (" · aangepast, niet opgeslagen" if changes else "")))
areas = summary["areas"]
cols = st.columns(4)
cols[0].metric("Kandidaten", int(areas["candidates"].sum()))
cols[1].metric("Op de longlist", int(areas["longlist"].sum()))
cols[2].metric("Te controleren", int(areas["to_check"].sum()))
cols[3].metric("Op de shortlist", len(short))


def _found(query: str) -> str | None:
    """The site a search means: the id itself, the one hit, or the user's pick of the hits."""
    query = query.strip()
    if not query or query in scan.candidates.index:
        return query or None
    hits = scan.find(query, crit)
    if hits.empty:
        st.warning(f"Geen locatie gevonden voor '{plain(query)}'. Zoek op een deel van het "
                   "id, het perceelnummer, de naam of het adres.")
        return None
    if len(hits) == 1:
        return str(hits.index[0])
    return st.selectbox(f"{len(hits)} locaties gevonden", list(hits.index), format_func=lambda i: (
        f"{i} – {hits.at[i, 'name'] + ', ' if hits.at[i, 'name'] else ''}"
        f"{hits.at[i, 'gemeente']} ({hits.at[i, 'status']})"))


def _robustness_section() -> None:
    """How robust the ranking is when the weights (and threshold ranges) vary."""
    st.subheader("Hoe robuust is de rangorde?")
    st.caption("Elke run trekt de gewichten opnieuw (± de spreiding, of binnen het bereik dat "
               "de criteriaset opgeeft) en drempels met een bereik; alleen de opgeslagen "
               "metingen worden gebruikt.")
    c1, c2, c3 = st.columns(3)
    runs = c1.number_input("Runs", 100, 10_000, 1000, step=100)
    top_n = c2.number_input("Top", 1, 500, 20)
    spread = c3.slider("Spreiding gewichten", 0.0, 1.0, 0.5, 0.05)
    if st.button("Bereken robuustheid"):
        rob = scan.robustness(crit, subregio=subregio, gemeente=picked, runs=int(runs),
                              top_n=int(top_n), spread=spread)
        table = rob.table.assign(gemeente=scan.candidates.loc[rob.table.index, "gemeente"])
        st.session_state["robustness"] = (crit.digest(), subregio, picked, table)
    stored = st.session_state.get("robustness")
    if stored and stored[:3] == (crit.digest(), subregio, picked):
        table = stored[3]
        st.write(f"{int(table['fragile'].sum())} locaties met een wankele plaats in de top "
                 f"(in de top maar in minder dan 80% van de runs, of erbuiten maar in meer "
                 "dan 20%).")
        shown = table[["gemeente", *[c for c in table.columns if c != "gemeente"]]]
        st.dataframe(nl.dutch(shown, nl.ROBUSTNESS_COLUMNS).style.format(
            {"in de top": "{:.0%}", "op de longlist": "{:.0%}"}), width="stretch")


def _longlist_page() -> None:
    """Map, longlist, why (not), shortlist and exports."""
    # only the open tab runs (and is sent to the browser): the other tabs' tables, exports and
    # shortlist cost the first map ~0.5-1 s and every threshold change their rebuilding
    tab_map, tab_list, tab_why, tab_short, tab_export = st.tabs(
        list(TABS), on_change="rerun", key="tab"
    )

    with tab_map:
        longlist_view.map_fragment(view)

    if tab_list.open:
        with tab_list:
            longlist_view.longlist_table(view)
            st.subheader("Per criterium")
            st.dataframe(nl.dutch(summary["criteria"], nl.SUMMARY_COLUMNS), width="stretch")
            st.subheader("Per subregio en gemeente")
            st.dataframe(nl.dutch(areas, nl.AREA_COLUMNS), width="stretch")
            _robustness_section()

    if tab_why.open:
        with tab_why:
            query = st.text_input("Locatie zoeken: id, perceelnummer, naam of adres (of klik op de "
                                  "kaart)", key="site")
            site = _found(query)
            if site:
                longlist_view.explain(view, site, "waarom")


    def _write(choice: str, version: int, draft: dict) -> None:
        """Save or remove on the version seen; a colleague's change becomes a choice."""
        try:
            if draft["remove"]:
                store.remove(choice, user=user, expected_version=version)
            else:
                store.update(choice, user=user, expected_version=version, **draft["mine"])
        except ConflictError as exc:
            draft["conflict"] = exc.current
            return
        except LocscanError as exc:
            st.error(plain(exc))
            return
        st.session_state.pop(f"draft:{choice}", None)
        st.rerun()

    def _choose(choice: str, draft: dict) -> None:
        """Show the colleague's version next to the user's, and let the user pick one."""
        theirs = draft["conflict"]
        if not theirs:
            st.error("Deze locatie staat niet meer op de shortlist; uw wijziging is niet "
                     "opgeslagen.")
            return
        st.warning(f"{plain(theirs['updated_by'])} heeft deze locatie intussen gewijzigd "
                   f"(versie {theirs['version']}). Uw wijziging is nog niet opgeslagen: "
                   "kies welke versie blijft.")
        fields = {"status": "Status", "note": "Notitie", "capacity": "Capaciteit"}
        side = pd.DataFrame({
            "uw versie": ["(van de shortlist halen)" if draft["remove"] else
                          shown(draft["mine"][f]) for f in fields],
            f"versie van {theirs['updated_by']}": [
                shown(theirs[f]) if theirs["active"] else "(van de shortlist gehaald)"
                for f in fields],
        }, index=list(fields.values()))
        st.dataframe(side, width="stretch")
        keep_mine, keep_theirs = st.columns(2)
        if keep_mine.button("Mijn versie opslaan", key=f"mine:{choice}",
                            disabled=not theirs["active"]):
            draft.pop("conflict")
            _write(choice, theirs["version"], draft)
        if keep_theirs.button("Versie van collega houden", key=f"theirs:{choice}"):
            st.session_state.pop(f"draft:{choice}", None)
            st.rerun()

    @st.fragment(run_every="20s")
    @_guarded
    def _shortlist_view() -> None:
        items = store.items()
        if subregio:
            items = items[items["subregio"] == subregio]
        if chosen_areas:
            items = items[items["gemeente"].isin([names[c] for c in focus])]
        st.dataframe(items.drop(columns=["region", "active"]), width="stretch")
        if items.empty:
            st.info("Nog geen locaties op de shortlist. Zet ze erop via 'Waarom (niet)?'.")
            return
        choice = st.selectbox("Locatie bewerken", list(items.index), key="edit_site")
        live = store.get(choice)
        # the form shows the version the user started from, never the live one: a refresh
        # (every 20 s) or a colleague's save does not replace what the user is typing
        draft_key = f"draft:{choice}"
        draft = st.session_state.setdefault(draft_key, {"seen": live})
        seen = draft["seen"]
        tag = f"{choice}:{seen['version']}"
        with st.form(f"edit:{tag}"):
            status = st.selectbox("Status", STATUSES, index=STATUSES.index(seen["status"]),
                                  key=f"status:{tag}")
            note = st.text_area("Notitie", value=seen["note"], key=f"note:{tag}")
            capacity = st.number_input("Geschatte capaciteit (werknemers; leeg = onbekend)",
                                       min_value=0, step=1, value=seen["capacity"],
                                       key=f"capacity:{tag}")
            save = st.form_submit_button("Opslaan", disabled=not user.strip())
            remove = st.form_submit_button("Van de shortlist halen", disabled=not user.strip())
        st.caption(f"U bewerkt versie {seen['version']}. Laatst gewijzigd door "
                   f"{plain(live['updated_by'])} op {live['updated_at']:%d-%m-%Y %H:%M} "
                   f"(versie {live['version']}).")
        if live["version"] != seen["version"] and "conflict" not in draft and st.button(
                "Nieuwste versie laden (uw niet-opgeslagen invoer vervalt)", key=f"load:{tag}"):
            st.session_state.pop(draft_key, None)
            st.rerun()
        mine = {"status": status, "note": note,
                "capacity": None if capacity is None else int(capacity)}
        if save or remove:
            draft["mine"], draft["remove"] = mine, bool(remove)
            _write(choice, seen["version"], draft)
        if "conflict" in draft:
            _choose(choice, draft)
        with st.expander("Geschiedenis"):
            st.dataframe(tables.history_table(store.history(choice)), hide_index=True,
                         width="stretch")


    if tab_short.open:
        with tab_short:
            if not user.strip():
                st.info("Vul links uw naam in om de shortlist te wijzigen.")
            _shortlist_view()

    if tab_export.open:
        with tab_export:
            short_table = scan.shortlist_table(store, crit)
            whole = partial(scan.longlist, crit, subregio=subregio, gemeente=picked, shapes=False)
            for title, frame, stem in (("Longlist", view.sites, "longlist"),
                                       ("Shortlist", short_table, "shortlist")):
                st.subheader(title)
                cols = st.columns(4)
                # a scan in parts reads the shapes of an export when it is asked for
                too_many = scan.in_parts and len(frame) > kaart_component.MAP_LIMIT
                if too_many:
                    st.caption("Te veel locaties om hier te exporteren; kies links een subregio of "
                               "gemeente, of gebruik `locscan scan --all -o bestand.gpkg`.")
                for col, (suffix, label) in zip(cols, FORMATS, strict=True):
                    col.download_button(
                        label, file_name=f"{stem}-{crit.name}{suffix}", key=f"dl:{stem}{suffix}",
                        data=partial(_export, whole if stem == "longlist" else frame, suffix,
                                     crit=crit, layer=stem,
                                     description=f"{stem} {crit.name}", subregio=subregio or "",
                                     gemeente=gemeente or where),
                        disabled=frame.empty or too_many, on_click="ignore",
                    )
            c1, c2 = st.columns(2)
            for col, (suffix, label) in zip((c1, c2), ((".pdf", "Factsheets shortlist (PDF)"),
                                                       (".html", "Factsheets shortlist (HTML)")),
                                            strict=True):
                col.download_button(label, file_name=f"factsheets-shortlist{suffix}",
                                    key=f"fs:shortlist{suffix}", on_click="ignore",
                                    data=partial(longlist_view.factsheets, view, list(short.index),
                                                 suffix),
                                    disabled=short.empty)


def _export(table: pd.DataFrame | Callable[[], pd.DataFrame], suffix: str, **kwargs) -> bytes:
    """The bytes of an export of `table` (or of what it makes), when the user asks for it."""
    return scan.export_bytes(table() if callable(table) else table, suffix, **kwargs)


def _data_page() -> None:
    """Where each layer of the region comes from, when it was fetched, under which licence."""
    st.subheader("Gegevens en bronnen")
    st.caption(f"Regio {plain(region_dir)}: {plain(region.meta.label)}. Lagen halen of "
               "bijwerken gaat met "
               f"`locscan data pull --region {region_dir}`; dit overzicht is "
               f"`locscan data status --region {region_dir}`.")
    table = pull.status_table(region_dir)
    if table.empty:
        st.info("Deze regiomap heeft geen sources.yaml en geen layers.yaml.")
        return
    st.dataframe(table, hide_index=True, width="stretch")
    missing = table[table["toestand"] != "aanwezig"]
    if len(missing):
        st.warning(f"{len(missing)} lagen ontbreken of zijn onderbroken: "
                   f"{plain(', '.join(missing['laag']))}. Criteria die ze gebruiken tellen als "
                   "onbekend of geven een foutmelding.")


attributions = sorted({e.attribution for e in region.catalogue.layers.values() if e.attribution})
st.sidebar.caption(plain("Bronnen: " + ("; ".join(attributions) if attributions else
                                         region.meta.label)))

st.navigation([
    st.Page(_guarded(_longlist_page), title="Longlist en shortlist", url_path="longlist",
            default=True),
    st.Page(_guarded(partial(capacity_page.page, scan, crit, store, short, user, subregio, focus,
                             context)), title="Opgave & capaciteit", url_path="capaciteit"),
    st.Page(_guarded(_data_page), title="Gegevens en bronnen", url_path="gegevens"),
    st.Page(_guarded(partial(compare_page.page, scan, crit, bool(changes), subregio, picked,
                             context, focus)),
            title="Scenario's vergelijken", url_path="scenarios"),
    st.Page(_guarded(partial(ahp_page.page, base_crit, user)), title="Gewichten (AHP)",
            url_path="ahp"),
], position="sidebar").run()
