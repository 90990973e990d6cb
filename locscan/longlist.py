"""The longlist: evaluated criteria ranked per site, with a Dutch answer to "why (not)?".

:func:`build` evaluates a criteria set over the measures table (cheap, no geometry) and returns a
:class:`Result`. From it, :func:`table` gives the ranked longlist (or every candidate) with the
measured values, the outcome per criterion, the rule that applied and Dutch reasons, and
:func:`explain` gives one site's criteria, threshold and outcome side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from locscan import nl
from locscan.criteria import (
    FAIL,
    PASS,
    UNKNOWN,
    Criteria,
    HardCriterion,
    SoftCriterion,
    evaluate,
    resolve_overrides,
)
from locscan.errors import CriteriaError
from locscan.region import RegionMeta
from locscan.units import UNITS, format_number, format_value

__all__ = [
    "STATUS", "Result", "build", "explain", "input_caption", "radius_vs_network", "reasons",
    "summary", "table",
]

STATUS = nl.STATUS
OUTCOME = nl.OUTCOME
_EXTRA = nl.EXTRA_COLUMNS
_HOLDS = nl.HOLDS
_BROKEN = nl.BROKEN


@dataclass(frozen=True)
class Result:
    """
    The outcome of one criteria set over one region's candidates.

    Attributes
    ----------
    criteria
        The criteria set evaluated.
    candidates
        Candidate table (geometry and gemeente/subregio), indexed by candidate id.
    measures
        Measures table, indexed like `candidates`.
    evaluation
        Output of :func:`locscan.criteria.evaluate`.
    status
        ``voldoet``, ``te controleren`` or ``valt af`` per candidate.
    rank
        Rank on the longlist by score (1 is best); 0 for candidates not on it.
    overrides
        Gemeente code -> overrides that applied.
    """

    criteria: Criteria
    candidates: gpd.GeoDataFrame
    measures: pd.DataFrame
    evaluation: pd.DataFrame
    status: pd.Series
    rank: pd.Series
    overrides: dict

    @property
    def on_longlist(self) -> pd.Series:
        """Boolean per candidate: passes every hard criterion (possibly to be checked)."""
        return self.evaluation["passes"]


def build(
    criteria: Criteria,
    candidates: gpd.GeoDataFrame,
    measures: pd.DataFrame,
    meta: RegionMeta | None = None,
) -> Result:
    """
    Evaluate `criteria` and rank the candidates that pass.

    Ties in score keep the order of the candidate table, so the ranking is reproducible.

    Examples
    --------
    >>> from locscan.criteria import parse
    >>> crit = parse({"name": "t", "version": 1,
    ...     "measures": {"d_m": {"kind": "distance_to", "layer": "w"}},
    ...     "hard": [{"id": "afstand", "label": "Afstand", "measure": "d_m",
    ...               "op": "<=", "value": 15, "unit": "km"}],
    ...     "soft": [{"id": "dicht", "label": "Dichtbij", "measure": "d_m",
    ...               "best": 0, "worst": 15, "unit": "km"}]})
    >>> cands = gpd.GeoDataFrame({"gemeente_code": ["GM1"] * 3},
    ...     index=pd.Index(["a", "b", "c"], name="candidate_id"),
    ...     geometry=gpd.points_from_xy([0, 1, 2], [0, 0, 0]), crs=28992)
    >>> res = build(crit, cands, pd.DataFrame({"d_m": [14900.0, 15100.0, 3000.0]},
    ...                                       index=cands.index))
    >>> res.status.tolist(), res.rank.tolist()
    (['voldoet', 'valt af', 'voldoet'], [2, 0, 1])
    """
    ev = evaluate(criteria, measures, candidates["gemeente_code"], meta)
    passes = ev["passes"].to_numpy()
    codes = np.where(passes, np.where(ev["check"].to_numpy(), 1, 0), 2)
    status = pd.Categorical.from_codes(codes, categories=list(STATUS.values()))
    on = np.flatnonzero(passes)
    order = on[np.lexsort((on, -ev["score"].to_numpy()[on]))]  # best first; ties: table order
    rank = np.zeros(len(ev), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    return Result(
        criteria=criteria,
        candidates=candidates,
        measures=measures,
        evaluation=ev,
        status=pd.Series(status, index=ev.index, name="status"),
        rank=pd.Series(rank, index=ev.index, name="rank"),
        overrides=resolve_overrides(criteria, meta),
    )


def _select(result: Result, subregio: str | None, gemeente: str | None) -> pd.Series:
    cands = result.candidates
    mask = pd.Series(True, index=cands.index)
    if subregio:
        mask &= cands["subregio"].str.casefold() == subregio.casefold()
    if gemeente:
        key = gemeente.casefold()
        mask &= (cands["gemeente"].str.casefold() == key) | (
            cands["gemeente_code"].str.casefold() == key
        )
    return mask


def _threshold(crit: HardCriterion, value: object) -> str:
    unit = crit.unit
    if crit.op == "between":
        low, high = value
        return f"{format_value(low, unit)} en {format_value(high, unit)}"
    if isinstance(value, list):
        return "[" + ", ".join(format_value(v, unit) for v in value) + "]"
    return format_value(value, unit)


def _value_for(crit: HardCriterion, code: str, overrides: dict) -> object:
    change = overrides.get(code, {}).get(crit.id)
    return change.value if change is not None and change.value is not None else crit.value


def _hard_text(result: Result, crit: HardCriterion, ids: pd.Index) -> pd.Series:
    """Dutch text 'measured relation threshold' per candidate in `ids`."""
    spec = result.criteria.measures[crit.measure]
    status = result.evaluation.loc[ids, crit.id]
    values = result.measures.loc[ids, crit.measure]
    shown = values.map(lambda v: format_value(v, crit.unit, spec.value_unit)).astype(object)
    codes = result.candidates.loc[ids, "gemeente_code"]
    norms = {c: _threshold(crit, _value_for(crit, c, result.overrides)) for c in codes.unique()}
    norm = codes.map(norms).astype(object)
    relation = np.where(status == PASS, _HOLDS[crit.op], _BROKEN[crit.op])
    text = shown + " " + relation + " " + norm
    partial = f"{crit.measure}__unknown"
    unknown = status == UNKNOWN
    if partial in result.measures:
        n = result.measures.loc[ids, partial]
        lower = unknown & values.notna() & (n > 0)
        if lower.any():
            missing = n[lower].map(format_number).astype(object)
            text[lower] = ("onbekend: " + shown[lower] + " bekend, " + missing
                           + " zonder opgave; norm " + _HOLDS[crit.op] + " " + norm[lower])
            unknown &= ~lower
    text[unknown] = "onbekend: geen waarde voor " + (spec.label or crit.measure).lower()
    return text


def reasons(result: Result, ids: pd.Index | None = None) -> pd.Series:
    """
    Dutch reasons per candidate: every hard criterion that fails or is unknown, with numbers.

    Returns
    -------
    Series
        For example ``"Binnen 15 km van een werklocatie: 15,3 km > 15 km"``; an empty string
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


def _rule(result: Result, ids: pd.Index) -> pd.Series:
    codes = result.candidates.loc[ids, "gemeente_code"]
    names = result.candidates.loc[ids, "gemeente"]
    text = {
        code: f"gemeente {names[codes == code].iloc[0]}: {', '.join(changes)}"
        for code, changes in result.overrides.items()
        if (codes == code).any()
    }
    mapped = codes.map(text)
    return pd.Series(np.where(mapped.isna(), "regionaal", mapped), index=ids, dtype=object)


def table(
    result: Result,
    *,
    subregio: str | None = None,
    gemeente: str | None = None,
    everything: bool = False,
    ids: pd.Index | list[str] | None = None,
) -> gpd.GeoDataFrame:
    """
    The longlist (or every candidate) as a GeoDataFrame, best first.

    Parameters
    ----------
    result
        Output of :func:`build`.
    subregio, gemeente
        Keep only the candidates of this subregio / gemeente (name or CBS code).
    everything
        Include the candidates that fail (with their reasons), not only the longlist.
    ids
        Only these candidates (for example the shortlist), whatever their status.

    Returns
    -------
    GeoDataFrame
        Candidate attributes, ``status``, ``score``, ``rank``, ``rule``, ``reasons``, the
        measures and one ``c_<id>`` column per criterion (outcome or score), in EPSG:28992.
    """
    mask = _select(result, subregio, gemeente)
    if ids is not None:
        mask &= result.candidates.index.isin(list(ids))
    elif not everything:
        mask &= result.on_longlist
    ids = result.candidates.index[mask.to_numpy()]
    ev = result.evaluation.loc[ids]
    out = result.candidates.loc[ids].copy()
    out["status"] = result.status.loc[ids]
    out["score"] = ev["score"].round(1)
    out["rank"] = result.rank.loc[ids]
    out["rule"] = _rule(result, ids)
    out["reasons"] = reasons(result, ids)
    for col in result.measures.columns:
        out[col] = result.measures.loc[ids, col]
    for crit in result.criteria.hard:
        out[f"c_{crit.id}"] = ev[crit.id].map(OUTCOME)
    for crit in result.criteria.soft:
        out[f"c_{crit.id}"] = ev[crit.id].round(3)
    out = out.assign(_r=out["rank"].replace(0, np.iinfo(np.int64).max))
    out = out.sort_values(["_r", "score"], ascending=[True, False], kind="stable")
    return out.drop(columns="_r").set_geometry(result.candidates.geometry.name)


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
        hint = f"; similar ids: {', '.join(near)}" if len(near) else ""
        raise CriteriaError(f"no candidate {candidate_id!r} in this region{hint}")
    ids = pd.Index([candidate_id])
    code = result.candidates.at[candidate_id, "gemeente_code"]
    overrides = result.overrides.get(code, {})
    rows = []
    for crit in result.criteria.criteria:
        spec = result.criteria.measures[crit.measure]
        value = result.measures.at[candidate_id, crit.measure]
        rule = "gemeente" if crit.id in overrides else "regionaal"
        details = _details(result, crit.measure, candidate_id)
        if isinstance(crit, HardCriterion):
            status = int(result.evaluation.at[candidate_id, crit.id])
            norm = f"{_HOLDS[crit.op]} {_threshold(crit, _value_for(crit, code, result.overrides))}"
            outcome = OUTCOME[status]
            why = _hard_text(result, crit, ids).iloc[0]
            if status == UNKNOWN:
                outcome += " (valt af)" if crit.on_unknown == "fail" else " (te controleren)"
            weight = np.nan
        else:
            outcome, norm, why, weight = _soft_text(result, crit, candidate_id, overrides)
        rows.append({
            "criterium": crit.label,
            "soort": "hard" if isinstance(crit, HardCriterion) else "zacht",
            "meting": format_value(value, crit.unit, spec.value_unit),
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
            label, unit = _EXTRA.get(extra, (extra, None))
            out.append(f"{label}: {format_value(result.measures.at[candidate_id, col], unit)}")
    return ", ".join(out)


def _soft_text(
    result: Result, crit: SoftCriterion, candidate_id: str, overrides: dict
) -> tuple[str, str, str, float]:
    change = overrides.get(crit.id)
    weight = change.weight if change is not None and change.weight is not None else crit.weight
    score = result.evaluation.at[candidate_id, crit.id]
    if crit.transform == "linear":
        best = change.best if change is not None and change.best is not None else crit.best
        worst = change.worst if change is not None and change.worst is not None else crit.worst
        norm = f"best {format_value(best, crit.unit)}, slechtst {format_value(worst, crit.unit)}"
    else:
        norm = ", ".join(f"{k}: {format_number(v)}" for k, v in crit.scores.items())
    if np.isnan(score):
        return "onbekend (0 punten)", norm, "geen waarde: telt als 0", weight
    points = format_number(score * 100)
    return f"{points} van 100", norm, f"weegt {format_number(weight)} mee", weight


def summary(
    result: Result, *, subregio: str | None = None, gemeente: str | None = None
) -> dict[str, pd.DataFrame]:
    """
    Counts for a report: candidates, passing per criterion, longlist per subregio/gemeente.

    Returns
    -------
    dict
        ``criteria``: per hard criterion the counts of voldoet / voldoet niet / onbekend;
        ``areas``: per subregio and gemeente the candidates, longlist and te controleren.
    """
    mask = _select(result, subregio, gemeente).to_numpy()
    ev = result.evaluation[mask]
    rows = []
    for crit in result.criteria.hard:
        counts = ev[crit.id].value_counts()
        rows.append({
            "criterium": crit.label,
            "voldoet": int(counts.get(PASS, 0)),
            "voldoet niet": int(counts.get(FAIL, 0)),
            "onbekend": int(counts.get(UNKNOWN, 0)),
        })
    cands = result.candidates.loc[mask, ["subregio", "gemeente"]]
    status = result.status[mask]
    areas = (
        cands.assign(
            kandidaten=1,
            longlist=(status != STATUS["fail"]).astype(int),
            te_controleren=(status == STATUS["check"]).astype(int),
        )
        .groupby(["subregio", "gemeente"])[["kandidaten", "longlist", "te_controleren"]]
        .sum()
    )
    return {"criteria": pd.DataFrame(rows).set_index("criterium"), "areas": areas}


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
    relation = _HOLDS.get(getattr(crit, "op", ""), "")
    return f"{crit.label} ({relation} … {symbol})".replace(" … )", " …)")


def radius_vs_network(result: Result) -> pd.DataFrame:
    """
    Where straight-line and travel-distance criteria to the same layer disagree.

    Per pair of criteria, how many candidates pass one and fail the other.

    Returns
    -------
    DataFrame
        One row per pair: ``hemelsbreed``, ``over de weg``, ``alleen hemelsbreed``
        (pass by radius, fail by road) and ``alleen over de weg``; empty when the criteria
        have no such pair.
    """
    crit = result.criteria
    by_layer: dict[str, dict[str, HardCriterion]] = {}
    for c in crit.hard:
        spec = crit.measures[c.measure]
        if spec.kind in ("distance_to", "network_distance_to") and spec.layer:
            by_layer.setdefault(spec.layer, {})[spec.kind] = c
    rows = []
    for layer, pair in by_layer.items():
        if len(pair) == 2:
            radius = result.evaluation[pair["distance_to"].id] == PASS
            road = result.evaluation[pair["network_distance_to"].id] == PASS
            rows.append({"laag": layer, "hemelsbreed": pair["distance_to"].id,
                         "over de weg": pair["network_distance_to"].id,
                         "alleen hemelsbreed": int((radius & ~road).sum()),
                         "alleen over de weg": int((road & ~radius).sum())})
    return pd.DataFrame(rows)
