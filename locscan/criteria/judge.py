"""Judge one criterion over the measures table: a status per candidate, or a score.

Outcome per hard criterion: ``pass``, ``fail`` or ``unknown``. A measure without a value never
passes or fails silently: the criterion's ``on_unknown`` says whether unknown excludes the site
(``fail``) or keeps it as "te controleren" (``check``). Each measure column is turned into numpy
arrays once per judgement (floats, or category codes), so a criterion costs a few passes over
the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from locscan.criteria.schema import _NUMERIC_OPS, HardCriterion, Override, SoftCriterion
from locscan.measures import MeasureSpec
from locscan.units import to_native

__all__ = ["FAIL", "PASS", "UNKNOWN", "hard_status", "kept", "native", "soft_score"]

PASS = 1
FAIL = 0
UNKNOWN = -1


@dataclass(frozen=True)
class _Column:
    """A measure's values as numpy arrays, converted once per evaluation."""

    values: pd.Series
    number: np.ndarray | None  # floats (NaN unknown), for numeric comparisons
    codes: np.ndarray | None  # category codes (-1 unknown), for class comparisons
    unknown: np.ndarray

    @classmethod
    def of(cls, values: pd.Series, numeric: bool) -> _Column:
        number = codes = None
        if numeric:
            number = (values.to_numpy(dtype=float, na_value=np.nan)
                      if pd.api.types.is_numeric_dtype(values)
                      else pd.to_numeric(values, errors="coerce").to_numpy(dtype=float))
            unknown = np.isnan(number) | values.isna().to_numpy()
        elif isinstance(values.dtype, pd.CategoricalDtype):
            codes = values.cat.codes.to_numpy()
            unknown = codes < 0
        else:
            unknown = values.isna().to_numpy()
        return cls(values, number, codes, unknown)


def _compare(col: _Column, op: str, threshold: Any, rows: np.ndarray | None = None
             ) -> np.ndarray:
    """``value op threshold`` per candidate (of `rows` when given); unknown compares False."""
    if col.number is not None:
        v = col.number if rows is None else col.number[rows]
        match op:
            case "<":
                return v < threshold
            case "<=":
                return v <= threshold
            case ">":
                return v > threshold
            case ">=":
                return v >= threshold
            case "between":
                return (v >= threshold[0]) & (v <= threshold[1])
    if col.codes is not None and op in ("in", "not_in", "==", "!="):
        wanted = [threshold] if op in ("==", "!=") else list(threshold)
        positions = col.values.cat.categories.get_indexer(pd.Index(wanted, dtype=object))
        lookup = np.zeros(len(col.values.cat.categories) + 1, dtype=bool)  # last: code -1
        lookup[positions[positions >= 0]] = True
        codes = col.codes if rows is None else col.codes[rows]
        inside = lookup[codes]
        if op in ("in", "=="):
            return inside
        return ~inside if op == "not_in" else ~inside & (codes >= 0)
    v = col.values if rows is None else col.values[rows]
    match op:
        case "==":
            out = v == threshold
        case "!=":
            out = v != threshold
        case "in":
            out = v.isin(threshold)
        case "not_in":
            out = ~v.isin(threshold)
    return np.array(out, dtype=bool)


def native(value: Any, unit: str | None, measure_unit: str | None) -> Any:
    """A criterion's value (or list of values) in the unit its measure is stored in."""
    if isinstance(value, list):
        return [native(v, unit, measure_unit) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return to_native(float(value), unit, measure_unit)
    return value


def hard_status(
    crit: HardCriterion,
    spec: MeasureSpec,
    table: pd.DataFrame,
    groups: dict[str, np.ndarray],
    overrides: dict[str, dict[str, Override]],
) -> np.ndarray:
    """
    Outcome of one hard criterion per candidate: 1 pass, 0 fail, -1 unknown.

    `groups` maps gemeente code -> boolean row mask; rows of a gemeente with an override are
    judged against its value. Where the measure has a companion ``<measure>__unknown`` count
    (a sum that is a lower bound), an outcome that the unknown part could change is unknown.
    """
    col = _Column.of(table[crit.measure], crit.op in _NUMERIC_OPS)
    default = native(crit.value, crit.unit, spec.value_unit)
    ok = _compare(col, crit.op, default)
    for code, mask in groups.items():
        change = overrides.get(code, {}).get(crit.id)
        if change is not None and change.value is not None:
            value = native(change.value, crit.unit, spec.value_unit)
            ok[mask] = _compare(col, crit.op, value, mask)
    status = np.where(ok, np.int8(PASS), np.int8(FAIL))
    status[col.unknown] = UNKNOWN
    partial = f"{crit.measure}__unknown"
    if partial in table:
        open_ = table[partial].to_numpy() > 0
        settled = PASS if crit.op in {">", ">="} else FAIL if crit.op in {"<", "<="} else None
        status[open_ & (status != settled) & (status != UNKNOWN)] = UNKNOWN
    return status


def kept(crit: HardCriterion, status: np.ndarray) -> np.ndarray:
    """
    Whether each candidate stays on the longlist under one hard criterion, by its status.

    A fail never does; an unknown does when the criterion says ``on_unknown: check``.

    Examples
    --------
    >>> c = HardCriterion(id="z", label="Z", measure="m", op="in", value=["a"],
    ...                   on_unknown="check")
    >>> kept(c, np.array([PASS, FAIL, UNKNOWN])).tolist()
    [True, False, True]
    """
    if crit.on_unknown == "check":
        return status != FAIL
    return status == PASS


def soft_score(
    crit: SoftCriterion,
    spec: MeasureSpec,
    table: pd.DataFrame,
    groups: dict[str, np.ndarray],
    overrides: dict[str, dict[str, Override]],
) -> tuple[np.ndarray, np.ndarray]:
    """
    Score (0–1, NaN when unknown) and weight per candidate for one soft criterion.

    The weight (and best and worst) is one number unless a gemeente overrides it; then it is
    an array with a value per candidate.

    Examples
    --------
    >>> spec = MeasureSpec(name="d", kind="distance_to", layer="x")
    >>> crit = SoftCriterion(id="s", label="s", measure="d", best=0, worst=10, unit="km")
    >>> table = pd.DataFrame({"d": [0.0, 2500.0, 20000.0, np.nan]})
    >>> score, weight = soft_score(crit, spec, table, {}, {})
    >>> score.tolist(), float(weight)
    ([1.0, 0.75, 0.0, nan], 1.0)
    """
    values = table[crit.measure]
    changes = [(mask, overrides[code][crit.id]) for code, mask in groups.items()
               if overrides.get(code, {}).get(crit.id) is not None]

    def per_row(default: float | None, name: str) -> float | np.ndarray:
        default = np.nan if default is None else float(default)
        masks = [(m, getattr(c, name)) for m, c in changes if getattr(c, name) is not None]
        if not masks:
            return default
        arr = np.full(len(table), default)
        for mask, value in masks:
            arr[mask] = value
        return arr

    weight = per_row(crit.weight, "weight")
    if crit.transform == "categories":
        score = values.map(crit.scores).to_numpy(dtype=float, copy=True)
        score[values.notna().to_numpy() & np.isnan(score)] = 0.0
        return score, weight
    x = (values.to_numpy(dtype=float, na_value=np.nan) if pd.api.types.is_numeric_dtype(values)
         else pd.to_numeric(values, errors="coerce").to_numpy(dtype=float))
    best = to_native(per_row(crit.best, "best"), crit.unit, spec.value_unit)
    worst = to_native(per_row(crit.worst, "worst"), crit.unit, spec.value_unit)
    score = (x - worst) / (best - worst)
    return np.clip(score, 0.0, 1.0, out=score), weight
