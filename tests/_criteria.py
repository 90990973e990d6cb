"""A small criteria mapping for tests, matching the toy layers of ``_toy.py``."""

from __future__ import annotations

import copy


def toy_criteria() -> dict:
    return copy.deepcopy({
        "name": "toy",
        "version": 1,
        "measures": {
            "dist_work_m": {"kind": "distance_to", "layer": "work_sites", "fields": ["id"]},
            "core_share": {"kind": "overlap_fraction", "layer": "cores"},
            "zoning": {"kind": "dominant_attribute", "layer": "zoning", "field": "class",
                       "label": "Bestemming"},
            "parking_400m": {"kind": "sum_within", "layer": "parking", "distance": 400,
                             "field": "capacity"},
            "owner": {"kind": "attribute", "field": "ownership"},
        },
        "hard": [
            {"id": "afstand_werk", "label": "Binnen 15 km van werk", "measure": "dist_work_m",
             "op": "<=", "value": 15, "unit": "km"},
            {"id": "buiten_kern", "label": "Buiten de kern", "measure": "core_share",
             "op": "<", "value": 50, "unit": "percent"},
            {"id": "bestemming", "label": "Passende bestemming", "measure": "zoning",
             "op": "in", "value": ["Wonen", "Bedrijventerrein"], "on_unknown": "check"},
        ],
        "soft": [
            {"id": "dichtbij", "label": "Dicht bij werk", "measure": "dist_work_m",
             "best": 0, "worst": 20, "unit": "km", "weight": 1},
            {"id": "eigendom", "label": "Eigendom", "measure": "owner",
             "transform": "categories", "scores": {"gemeente": 1, "particulier": 0},
             "weight": 1},
        ],
    })
