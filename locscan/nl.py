"""The Dutch words a user reads: statuses, outcomes, relations, column names, labels.

One place for the vocabulary of the app, the command line and the exports, so the language is
consistent and can be reviewed at a glance. Computing modules take their Dutch words from here;
code, identifiers and docstrings stay English.
"""

from __future__ import annotations

__all__ = [
    "BROKEN",
    "DEMO_LABEL",
    "EXPORT_COLUMNS",
    "EXTRA_COLUMNS",
    "HOLDS",
    "OUTCOME",
    "PARKING",
    "SHORTLIST_STATUSES",
    "SPLIT",
    "SPLIT_COLUMNS",
    "STATUS",
    "STATUS_COLUMNS",
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
    "status": "status", "score": "score", "rank": "rang", "rule": "regel",
    "reasons": "toelichting", "x_rd": "x (RD)", "y_rd": "y (RD)", "lon": "lengtegraad",
    "lat": "breedtegraad", "note": "notitie", "capacity": "capaciteit (werknemers)",
    "updated_by": "gewijzigd door", "updated_at": "gewijzigd op",
    "shortlist_status": "shortlist-status",
}

#: column names of the data status table (``locscan data status``, the app's data page)
STATUS_COLUMNS = {"layer": "laag", "source": "bron", "retrieved": "opgehaald (UTC)",
                  "features": "objecten", "license": "licentie",
                  "attribution": "naamsvermelding", "state": "toestand",
                  "description": "beschrijving"}
