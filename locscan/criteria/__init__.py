"""Criteria sets: the file format (``schema``), its files (``files``) and evaluation (``evaluate``).

Evaluation is plain pandas over the measures table: no geometry, milliseconds.
"""

from locscan.criteria.evaluate import (
    FAIL,
    PASS,
    UNKNOWN,
    Result,
    choices,
    evaluate,
    gemeente_groups,
    hard_status,
    kept,
    reach_by_gemeente,
    reach_m,
    resolve_overrides,
    soft_score,
)
from locscan.criteria.files import differences, load, parse, save_as_new, to_yaml
from locscan.criteria.schema import (
    AhpRecord,
    Assumptions,
    Criteria,
    HardCriterion,
    Op,
    Override,
    SoftCriterion,
)

__all__ = [
    "FAIL",
    "PASS",
    "UNKNOWN",
    "AhpRecord",
    "Assumptions",
    "Criteria",
    "HardCriterion",
    "Op",
    "Override",
    "Result",
    "SoftCriterion",
    "choices",
    "differences",
    "evaluate",
    "gemeente_groups",
    "hard_status",
    "kept",
    "load",
    "parse",
    "reach_by_gemeente",
    "reach_m",
    "resolve_overrides",
    "save_as_new",
    "soft_score",
    "to_yaml",
]
