"""
Dutch sentences built from an evaluation: reasons, the rule that applied, "why (not)?", captions.

Every text here is built from a :class:`locscan.criteria.Result` (the criteria, the measures and
the evaluation) and the vocabulary in :mod:`locscan.nl.words`; nothing is computed here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from locscan.criteria import PASS, UNKNOWN, Criteria, HardCriterion, Result, SoftCriterion
from locscan.errors import CriteriaError
from locscan.nl.numbers import distinct_digits, format_number, format_value
from locscan.nl.words import (
    EXTRA_COLUMNS,
    HOLDS,
    OUTCOME,
)
from locscan.units import UNITS

__all__ = ["explain", "input_caption", "overrides_note", "reasons", "rule", "shown_values"]


def _threshold(crit: HardCriterion, value: object, digits: int = 0) -> str:
    unit = crit.unit
    if crit.op == "between":
        low, high = value
        return (f"{format_value(low, unit, None, digits)} en "
                f"{format_value(high, unit, None, digits)}")
    if isinstance(value, list):
        return ", ".join(format_value(v, unit) for v in value)
    return format_value(value, unit, None, digits)


def _value_for(crit: HardCriterion, code: str, overrides: dict) -> object:
    change = overrides.get(code, {}).get(crit.id)
    return change.value if change is not None and change.value is not None else crit.value


#: how a norm reads after the measured value, by operator ("15,3 km (max. 15 km)")
NORM_PHRASE = {"<": "moet minder dan {}", "<=": "max. {}", ">": "moet meer dan {}",
               ">=": "min. {}", "==": "moet {} zijn", "!=": "mag niet {} zijn",
               "between": "moet tussen {} liggen", "in": "toegestaan: {}",
               "not_in": "niet toegestaan: {}"}


def _phrase(crit: HardCriterion, value: object, digits: int = 0) -> str:
    """
    The norm as a bestuurder reads it.

    Examples
    --------
    >>> from locscan.criteria import HardCriterion
    >>> c = HardCriterion(id="k", label="Buiten de kern", measure="m", op="<", value=10,
    ...                   unit="percent")
    >>> _phrase(c, 10)
    'moet minder dan 10%'
    >>> _phrase(c.model_copy(update={"op": "in", "value": ["Wonen", "Gemengd"], "unit": None}),
    ...         ["Wonen", "Gemengd"])
    'toegestaan: Wonen, Gemengd'
    """
    return NORM_PHRASE[crit.op].format(_threshold(crit, value, digits))


def shown_values(result: Result, crit: HardCriterion, ids: pd.Index) -> pd.DataFrame:
    """
    The measured value and the norm of `crit` for each of `ids`, as shown side by side.

    With the digits it takes to tell them apart, so "15 km" never fails "max. 15 km".
    Columns ``value`` and ``norm`` (the norm as a phrase: "max. 15,099 km").
    """
    spec = result.criteria.measures[crit.measure]
    values = result.measures.loc[ids, crit.measure]
    codes = result.candidates.loc[ids, "gemeente_code"]
    norms = {c: _value_for(crit, c, result.overrides) for c in codes.unique()}
    rows = []
    for v, c in zip(values, codes, strict=True):
        single = norms[c] if not isinstance(norms[c], list) else None
        digits = distinct_digits(v, single, crit.unit, spec.value_unit)
        rows.append((format_value(v, crit.unit, spec.value_unit, digits),
                     _phrase(crit, norms[c], digits)))
    return pd.DataFrame(rows, index=ids, columns=["value", "norm"], dtype=object)


def _hard_text(result: Result, crit: HardCriterion, ids: pd.Index) -> pd.Series:
    """
    Dutch text per candidate in `ids`: what was measured and the norm.

    For example "aandeel binnen de kern 100% (moet minder dan 10%)".
    """
    spec = result.criteria.measures[crit.measure]
    status = result.evaluation.loc[ids, crit.id]
    values = result.measures.loc[ids, crit.measure]
    both = shown_values(result, crit, ids)
    shown, phrase = both["value"], both["norm"]
    what = f"{spec.label.lower()} " if spec.label else ""
    text = what + shown + " (" + phrase + ")"
    partial = f"{crit.measure}__unknown"
    unknown = status == UNKNOWN
    if partial in result.measures:
        n = result.measures.loc[ids, partial]
        lower = unknown & values.notna() & (n > 0)
        if lower.any():
            missing = n[lower].map(format_number).astype(object)
            text[lower] = ("onbekend: " + what + shown[lower] + " bekend, " + missing
                           + " zonder opgave (" + phrase[lower] + ")")
            unknown &= ~lower
    then = "telt als niet voldaan" if crit.on_unknown == "fail" else "te controleren"
    text[unknown] = ("onbekend: geen waarde voor " + (spec.label or crit.measure).lower()
                     + f" ({then})")
    return text


def reasons(result: Result, ids: pd.Index | None = None) -> pd.Series:
    """
    Dutch reasons per candidate: every hard criterion that fails or is unknown, with numbers.

    Returns
    -------
    Series
        For example ``"Buiten de kern: aandeel binnen de kern 100% (moet minder dan 10%)"``;
        an empty string
        for candidates that meet every hard criterion.
    """
    ids = result.candidates.index if ids is None else ids
    if not len(ids):
        return pd.Series([], index=ids, dtype=object)
    out = pd.Series("", index=ids, dtype=object)
    for crit in result.criteria.hard:
        keep = ids[(result.evaluation.loc[ids, crit.id] != PASS).to_numpy()]
        if not len(keep):
            continue
        text = crit.label + ": " + _hard_text(result, crit, keep)
        sep = np.where(out[keep] == "", "", "; ")
        out[keep] = out[keep] + sep + text
    return out


def rule(result: Result, ids: pd.Index) -> pd.Series:
    """Which rule applied per candidate: ``regionaal`` or the gemeente and its overrides."""
    codes = result.candidates.loc[ids, "gemeente_code"]
    names = result.candidates.loc[ids, "gemeente"]
    text = {
        code: f"gemeente {names[codes == code].iloc[0]}: {', '.join(changes)}"
        for code, changes in result.overrides.items()
        if (codes == code).any()
    }
    mapped = codes.map(text)
    return pd.Series(np.where(mapped.isna(), "regionaal", mapped), index=ids, dtype=object)


def explain(result: Result, candidate_id: str) -> pd.DataFrame:
    """
    Why (not)? Every criterion for one candidate: measured value, norm, outcome.

    Raises
    ------
    CriteriaError
        When the candidate id is unknown (the message shows similar ids).
    """
    if candidate_id not in result.candidates.index:
        idx = result.candidates.index
        near = idx[idx.str.contains(candidate_id.split(":")[-1], regex=False)][:5]
        hint = f"; lijkt op: {', '.join(near)}" if len(near) else ""
        raise CriteriaError(f"geen locatie {candidate_id!r} in deze regio{hint} (zoek op "
                            "perceelnummer, naam of adres)")
    # the one row, taken once: a lookup by id in the tables of 400,000 candidates took ~5 ms,
    # and the texts look up ~40 times (0.3 s a click)
    result = result.take(np.array([result.candidates.index.get_loc(candidate_id)]))
    ids = result.candidates.index
    code = result.candidates.at[candidate_id, "gemeente_code"]
    overrides = result.overrides.get(code, {})
    total_weight = sum(_weight(c, overrides) for c in result.criteria.soft)
    counts = bool(result.on_longlist[candidate_id])
    rows = []
    for crit in result.criteria.criteria:
        spec = result.criteria.measures[crit.measure]
        value = result.measures.at[candidate_id, crit.measure]
        rule = "gemeente" if crit.id in overrides else "regionaal"
        details = _details(result, crit.measure, candidate_id)
        if isinstance(crit, HardCriterion):
            status = int(result.evaluation.at[candidate_id, crit.id])
            shown, norm = shown_values(result, crit, ids).iloc[0]
            outcome = OUTCOME[status]
            why = _hard_text(result, crit, ids).iloc[0]
            if status == UNKNOWN:
                outcome += " (valt af)" if crit.on_unknown == "fail" else " (te controleren)"
            weight = np.nan
        else:
            outcome, norm, why, weight = _soft_text(result, crit, candidate_id, overrides,
                                                    total_weight, counts)
            shown = format_value(value, crit.unit, spec.value_unit)
        rows.append({
            "criterium": crit.label,
            "soort": "hard" if isinstance(crit, HardCriterion) else "zacht",
            "meting": shown,
            "norm": norm,
            "uitkomst": outcome,
            "toelichting": why,
            "details": details,
            "regel": rule,
            "gewicht": weight,
        })
    return pd.DataFrame(rows, index=pd.Index([c.id for c in result.criteria.criteria], name="id"))


def _details(result: Result, measure: str, candidate_id: str) -> str:
    """Extra columns of a measure (nearest id, share, ...) as Dutch text."""
    out = []
    for col in result.measures.columns:
        if col.startswith(f"{measure}__"):
            extra = col.split("__", 1)[1]
            label, unit = EXTRA_COLUMNS.get(extra, (extra, None))
            out.append(f"{label}: {format_value(result.measures.at[candidate_id, col], unit)}")
    return ", ".join(out)


def _weight(crit: SoftCriterion, overrides: dict) -> float:
    change = overrides.get(crit.id)
    return change.weight if change is not None and change.weight is not None else crit.weight


def _soft_text(
    result: Result, crit: SoftCriterion, candidate_id: str, overrides: dict,
    total_weight: float, counts: bool,
) -> tuple[str, str, str, float]:
    """Outcome, norm, the share in the score, and the weight of one soft criterion."""
    change = overrides.get(crit.id)
    weight = _weight(crit, overrides)
    score = result.evaluation.at[candidate_id, crit.id]
    if crit.transform == "linear":
        best = change.best if change is not None and change.best is not None else crit.best
        worst = change.worst if change is not None and change.worst is not None else crit.worst
        norm = f"best {format_value(best, crit.unit)}, slechtst {format_value(worst, crit.unit)}"
    else:
        norm = ", ".join(f"{k}: {format_number(v)}" for k, v in crit.scores.items())
    share = f"gewicht {format_number(weight)} van {format_number(total_weight)}"
    aside = "" if counts else "; telt niet: de locatie valt af"
    if np.isnan(score):
        return ("onbekend (0 punten)", norm, f"geen waarde: telt als 0 ({share}){aside}",
                weight)
    part = score * weight / total_weight * 100 if total_weight else 0.0
    return (f"{format_number(score * 100)} van 100", norm,
            f"draagt {format_number(part)} punten bij aan de score ({share}){aside}", weight)


def input_caption(criteria: Criteria, cid: str) -> str:
    """
    Dutch caption for the input of a hard criterion's value: its label, relation and unit.

    Examples
    --------
    >>> from locscan.criteria import parse
    >>> crit = parse({"name": "t", "version": 1,
    ...     "measures": {"d": {"kind": "distance_to", "layer": "w"},
    ...                  "p": {"kind": "sum_within", "layer": "p", "distance": 4, "field": "c"}},
    ...     "hard": [{"id": "a", "label": "Afstand", "measure": "d", "op": "<=", "value": 15,
    ...               "unit": "km"},
    ...              {"id": "b", "label": "Parkeren", "measure": "p", "op": ">=", "value": 20}]})
    >>> input_caption(crit, "a"), input_caption(crit, "b")
    ('Afstand (≤ … km)', 'Parkeren (≥ …)')
    """
    crit = criteria.criterion(cid)
    unit = crit.unit or criteria.measures[crit.measure].value_unit
    symbol = {"fraction": "%", "percent": "%"}.get(unit, UNITS[unit][2] if unit else "")
    if unit == "fraction":
        symbol = "(fractie)"
    relation = HOLDS.get(getattr(crit, "op", ""), "")
    return f"{crit.label} ({relation} … {symbol})".replace(" … )", " …)")


def overrides_note(criteria: Criteria, cid: str, names: dict[str, str],
                   overrides: dict[str, dict]) -> str:
    """
    Which gemeenten set their own value for a hard criterion ("Eigen waarde: Zevenaar 12 km").

    `overrides` is :func:`locscan.criteria.resolve_overrides` (CBS code -> changes); empty
    text when none does.
    """
    crit = criteria.criterion(cid)
    parts = [f"{names.get(code, code)} {_threshold(crit, changes[cid].value)}"
             for code, changes in overrides.items()
             if cid in changes and changes[cid].value is not None]
    return ("Eigen waarde: " + ", ".join(parts)) if parts else ""
