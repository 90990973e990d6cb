"""The Dutch words a user reads: statuses, outcomes, relations, column names, labels.

One place for the vocabulary of the app, the command line and the exports, so the language is
consistent and can be reviewed at a glance. Computing modules take their Dutch words from here;
code, identifiers and docstrings stay English.
"""

from __future__ import annotations

__all__ = [
    "AREA_COLUMNS",
    "ASSUMPTIONS",
    "BROKEN",
    "CHANGE",
    "CHANGES",
    "COVERAGE_COLUMNS",
    "DEMO_LABEL",
    "EXPORT_COLUMNS",
    "EXTRA_COLUMNS",
    "HISTORY_COLUMNS",
    "HOLDS",
    "LEFT_OUT",
    "OUTCOME",
    "PARKING",
    "PLAN_GEMEENTE_COLUMNS",
    "RADIUS_COLUMNS",
    "ROBUSTNESS_COLUMNS",
    "SHORTLIST_STATUSES",
    "SITE_COLUMNS",
    "SPLIT",
    "SPLIT_COLUMNS",
    "STATUS",
    "STATUS_COLUMNS",
    "SUMMARY_COLUMNS",
    "TASK_COLUMNS",
]

#: shown wherever the built-in demo region is shown
DEMO_LABEL = "DEMO – fictieve gegevens, geen echte locaties"

#: overall status of a candidate: passes, passes but some criterion is unknown, fails
STATUS = {"pass": "voldoet", "check": "te controleren", "fail": "valt af"}

#: outcome of one hard criterion, by the evaluation's code (1 pass, 0 fail, -1 unknown)
OUTCOME = {1: "voldoet", 0: "voldoet niet", -1: "onbekend"}

#: the relation that holds when a criterion passes, by operator
HOLDS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠",
         "in": "in", "not_in": "niet in", "between": "tussen"}

#: the relation shown when a criterion fails, by operator
BROKEN = {"<": "≥", "<=": ">", ">": "≤", ">=": "<", "==": "≠", "!=": "=",
          "in": "niet in", "not_in": "in", "between": "niet tussen"}

#: label and unit of the extra columns that measure kinds add (``<measure>__<extra>``)
EXTRA_COLUMNS = {"share": ("aandeel", "fraction"), "unknown": ("zonder opgave", None)}

#: statuses a site on the shortlist can have, in the order of the working group's process
SHORTLIST_STATUSES = ("voorgesteld", "in onderzoek", "afgevallen", "gekozen")

#: the parking check of a site: enough, not enough, not known
PARKING = {"enough": "voldoende", "short": "onvoldoende", "unknown": "onbekend"}

#: where assigned workers live, against the norm: own gemeente, elsewhere in the subregio, further
SPLIT = {"own": "eigen gemeente", "subregio": "elders in subregio", "further": "verder weg"}

#: columns of the table of where workers live
SPLIT_COLUMNS = {"index": "woont", "share": "aandeel", "norm": "norm", "meets": "voldoet"}

#: column names of the spreadsheet for bestuurders (other columns keep their name)
EXPORT_COLUMNS = {
    "candidate_id": "locatie", "source": "soort", "source_id": "bron-id",
    "gemeente_code": "gemeentecode", "gemeente": "gemeente", "subregio": "subregio",
    "area_m2": "oppervlakte (m²)", "ownership": "eigendom", "name": "naam",
    "status": "status", "score": "score", "rank": "rang", "rank_region": "rang in de regio",
    "rule": "regel",
    "reasons": "toelichting", "x_rd": "x (RD)", "y_rd": "y (RD)", "lon": "lengtegraad",
    "lat": "breedtegraad", "note": "notitie", "capacity": "capaciteit (werknemers)",
    "updated_by": "gewijzigd door", "updated_at": "gewijzigd op",
    "shortlist_status": "shortlist-status",
}

#: column names of the data status table (``locscan data status``, the app's data page)
STATUS_COLUMNS = {"layer": "laag", "source": "bron", "own": "eigen laag",
                  "retrieved": "opgehaald (UTC)",
                  "features": "objecten", "license": "licentie",
                  "attribution": "naamsvermelding", "state": "toestand",
                  "description": "beschrijving"}

#: columns of the count of outcomes per hard criterion (``longlist.summary()["criteria"]``)
SUMMARY_COLUMNS = {"criterion": "criterium", "pass": "voldoet", "fail": "voldoet niet",
                   "unknown": "onbekend"}

#: columns of the count per subregio and gemeente (``longlist.summary()["areas"]``)
AREA_COLUMNS = {"candidates": "kandidaten", "longlist": "longlist",
                "to_check": "te controleren"}

#: columns of the task per subregio (``capacity.task_table``), in temporary workers
TASK_COLUMNS = {"workers_2020": "werkzaam 2020", "task_2020": "opgave tijdelijk 2020",
                "task_2030_low": "opgave tijdelijk 2030 (laag)",
                "task_2030_high": "opgave tijdelijk 2030 (hoog)"}

#: columns of the task against capacity per subregio or gemeente (``capacity.coverage``)
COVERAGE_COLUMNS = {**TASK_COLUMNS, "task": "opgave tijdelijk",
                    "capacity_longlist": "capaciteit longlist",
                    "capacity_shortlist": "capaciteit shortlist"}

#: columns of the capacity per site (``capacity.site_capacity``, a plan's sites)
SITE_COLUMNS = {"gemeente": "gemeente", "capacity": "capaciteit (werknemers)",
                "planned": "gepland (werknemers)", "needs_manager": "beheerder 24/7",
                "parking": "parkeren"}

#: columns of the comparison of straight-line and travel distance (``longlist.radius_vs_network``)
RADIUS_COLUMNS = {"layer": "laag", "radius": "hemelsbreed", "road": "over de weg",
                  "radius_only": "alleen hemelsbreed", "road_only": "alleen over de weg"}

#: columns of a plan's split per work gemeente (``Plan.by_gemeente``)
PLAN_GEMEENTE_COLUMNS = {"gemeente": "gemeente", "demand": "tijdelijke werknemers",
                         "housed": "gehuisvest", "own": "eigen gemeente",
                         "subregio": "elders in subregio", "further": "verder weg",
                         "binding": "norm niet haalbaar"}

#: why a plan left a site out (``Plan.left_out``)
LEFT_OUT = {"parking": "parkeren onvoldoende of onbekend", "no capacity": "geen capaciteit"}

#: columns of a robustness run (``robustness.Robustness.table``)
ROBUSTNESS_COLUMNS = {"candidate_id": "locatie", "gemeente": "gemeente",
                      "base_rank": "rang", "top_share": "in de top",
                      "longlist_share": "op de longlist", "rank_p05": "rang (5%)",
                      "rank_median": "rang (mediaan)", "rank_p95": "rang (95%)",
                      "fragile": "wankel"}

#: a site entering or leaving the longlist between two scenarios (``compare``)
CHANGE = {"enters": "komt erbij", "leaves": "valt af"}
#: the same for a number of sites ("12 locaties vallen af")
CHANGES = {"enters": "komen erbij", "leaves": "vallen af"}

#: the capacity assumptions as a working group reads them
ASSUMPTIONS = {
    "built_share": "bebouwd deel van het perceel", "storeys": "bouwlagen",
    "m2_per_worker": "m² per werknemer (Roemernorm)", "floor_area_field": "veld vloeroppervlak",
    "floor_use_share": "deel vloeroppervlak dat woonruimte wordt",
    "max_per_location": "maximum per locatie",
    "max_per_location_by_gemeente": "maximum per locatie per gemeente",
    "manager_above": "beheerder 24/7 boven (bewoners)", "parking_measure": "meting parkeren",
    "parking_per_resident": "parkeerplaatsen per bewoner",
    "reach_m": "afstand tot het werk (m)", "temporary_share": "aandeel tijdelijk",
    "min_share_own_gemeente": "minimaal in eigen gemeente",
    "max_share_elsewhere_in_subregio": "maximaal elders in subregio",
    "max_share_elsewhere": "maximaal verder weg",
    "min_spacing_m": "minimale afstand tussen locaties (m)",
    "max_sites_per_gemeente": "maximaal aantal locaties per gemeente",
    "site_cost_km": "kosten van een extra locatie (werknemer-km)",
}

#: columns of a shortlist site's history
HISTORY_COLUMNS = {"version": "versie", "action": "actie", "changes": "wijzigingen",
                   "changed_by": "door", "changed_at": "op"}
