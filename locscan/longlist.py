"""The longlist: evaluated criteria ranked per site.

:func:`build` evaluates a criteria set over the measures table (cheap, no geometry) and returns a
:class:`Result`. From it, :func:`table` gives the ranked longlist (or every candidate) with the
measured values, the outcome per criterion, the rule that applied and the reasons (in Dutch, from
:mod:`locscan.nl.text`), and :func:`summary` counts outcomes per criterion and area.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    Result,
    evaluate,
    resolve_overrides,
)
from locscan.ids import member
from locscan.memo import Memo
from locscan.nl import text
from locscan.region import RegionMeta

__all__ = ["SEARCHED", "STATUS", "Result", "build", "find", "radius_vs_network", "select",
           "summary", "table", "texts"]

STATUS = nl.STATUS


def build(
    criteria: Criteria,
    candidates: gpd.GeoDataFrame,
    measures: pd.DataFrame,
    meta: RegionMeta | None = None,
    *,
    parts: Memo | None = None,
) -> Result:
    """
    Evaluate `criteria` and rank the candidates that pass.

    `parts` remembers each criterion's outcome over these measures (see
    :func:`locscan.criteria.evaluate`).

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
    ev = evaluate(criteria, measures, candidates["gemeente_code"], meta, parts=parts)
    passes = ev["passes"].to_numpy()
    codes = (2 - 2 * passes.view(np.int8)) | ev["check"].to_numpy().view(np.int8)  # 0, 1, 2
    status = pd.Categorical.from_codes(codes, categories=list(STATUS.values()), validate=False)
    on = np.flatnonzero(passes)
    order = on[np.lexsort((on, -ev["score"].to_numpy()[on]))]  # best first; ties: table order
    rank = np.zeros(len(ev), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    return Result(
        criteria=criteria,
        candidates=candidates,
        measures=measures,
        evaluation=ev,
        status=pd.Series(status, index=ev.index, name="status", copy=False),
        rank=pd.Series(rank, index=ev.index, name="rank", copy=False),
        overrides=resolve_overrides(criteria, meta),
    )


def select(result: Result, subregio: str | None,
           gemeente: str | Sequence[str] | None) -> pd.Series:
    """
    Boolean per candidate: in `subregio` and `gemeente` when given.

    `gemeente` is a name or CBS code, or several (the gemeenten of a province, say).
    """
    cands = result.candidates
    mask = np.ones(len(cands), dtype=bool)
    if subregio:
        mask &= _equal_folded(cands["subregio"], subregio)
    if gemeente:
        wanted = [gemeente] if isinstance(gemeente, str) else list(gemeente)
        mask &= _equal_folded(cands["gemeente"], wanted) | _equal_folded(
            cands["gemeente_code"], wanted)
    return pd.Series(mask, index=cands.index)


def _equal_folded(column: pd.Series, value: str | Sequence[str]) -> np.ndarray:
    """
    Where `column` equals `value` (or one of several), case-insensitively.

    A categorical column compares its few categories, not its millions of values.

    Examples
    --------
    >>> _equal_folded(pd.Series(["Arnhem", "Ede", None], dtype="category"), "arnhem")
    array([ True, False, False])
    >>> _equal_folded(pd.Series(["Arnhem", "Ede", "Epe"]), ["EDE", "epe"])
    array([False,  True,  True])
    """
    folded = [value.casefold()] if isinstance(value, str) else [v.casefold() for v in value]
    if isinstance(column.dtype, pd.CategoricalDtype):
        hits = column.cat.categories.astype(str).str.casefold().isin(folded)
        return np.isin(column.cat.codes.to_numpy(), np.flatnonzero(hits))
    return column.astype("string").str.casefold().isin(folded).to_numpy(dtype=bool)


def table(
    result: Result,
    *,
    subregio: str | None = None,
    gemeente: str | Sequence[str] | None = None,
    everything: bool = False,
    ids: pd.Index | list[str] | None = None,
    texts: bool = True,
) -> gpd.GeoDataFrame:
    """
    The longlist (or every candidate) as a GeoDataFrame, best first.

    Parameters
    ----------
    result
        Output of :func:`build`.
    subregio, gemeente
        Keep only the candidates of this subregio / gemeente (name or CBS code, or several:
        the gemeenten of an area).
    everything
        Include the candidates that fail (with their reasons), not only the longlist.
    ids
        Only these candidates (for example the shortlist), whatever their status.
    texts
        With the ``rule`` and ``reasons`` columns (Dutch text per row, the slow part of a
        long table); a table shown a page at a time adds them per page (:func:`texts`).

    Returns
    -------
    GeoDataFrame
        Candidate attributes, ``status``, ``score``, ``rank`` (within the subregio or gemeente
        when one is chosen, with the region's rank as ``rank_region``), ``rule``, ``reasons``, the
        measures and one ``c_<id>`` column per criterion (outcome or score), in EPSG:28992; a
        DataFrame without shapes when the candidates have none (a scan in parts).
    """
    mask = select(result, subregio, gemeente)
    if ids is not None:
        mask &= member(result.candidates.index, ids)
    elif not everything:
        mask &= result.on_longlist
    rows = result.take(np.flatnonzero(mask.to_numpy()))  # the texts look up ids in these
    ids, ev = rows.candidates.index, rows.evaluation
    columns = {"status": rows.status, "score": ev["score"].round(1), "rank": rows.rank}
    if texts:
        columns |= {"rule": text.rule(rows, ids), "reasons": text.reasons(rows, ids)}
    columns.update({col: rows.measures[col] for col in rows.measures.columns})
    columns.update({f"c_{c.id}": ev[c.id].map(nl.OUTCOME) for c in result.criteria.hard})
    columns.update({f"c_{c.id}": ev[c.id].round(3) for c in result.criteria.soft})
    out = rows.candidates
    out = pd.concat([out.drop(columns=[c for c in columns if c in out.columns]),
                     pd.DataFrame(columns, index=ids)], axis=1)
    out = out.assign(_r=out["rank"].replace(0, np.iinfo(np.int64).max))
    out = out.sort_values(["_r", "score"], ascending=[True, False], kind="stable")
    if subregio or gemeente:  # the rank within what is shown; the region's rank beside it
        ranked = (out["rank"] > 0).to_numpy()
        out.insert(out.columns.get_loc("rank") + 1, "rank_region", out["rank"])
        out.loc[ranked, "rank"] = np.arange(1, int(ranked.sum()) + 1)
    out = out.drop(columns="_r")
    if isinstance(result.candidates, gpd.GeoDataFrame):
        return out.set_geometry(result.candidates.geometry.name)
    return out  # a scan in parts holds no shapes: Scan.with_shapes adds them


def texts(result: Result, ids: pd.Index | list[str], *, subregio: str | None = None,
          gemeente: str | Sequence[str] | None = None, everything: bool = True) -> pd.DataFrame:
    """
    The ``rule`` and ``reasons`` columns of :func:`table` for the candidates `ids` only.

    `ids` are looked up among the rows of ``table(result, subregio=, gemeente=,
    everything=)`` they come from: a page of a gemeente's longlist never hashes the ids of
    a whole country.

    Raises
    ------
    KeyError
        When an id is not among those rows.
    """
    ids = pd.Index(ids)
    mask = select(result, subregio, gemeente).to_numpy()
    if not everything:
        mask = mask & result.on_longlist.to_numpy()
    among = result.take(np.flatnonzero(mask)) if not mask.all() else result
    at = among.candidates.index.get_indexer(ids)
    if (at < 0).any():
        raise KeyError(ids[at < 0][0])
    rows = among.take(at)
    return pd.DataFrame({"rule": text.rule(rows, ids), "reasons": text.reasons(rows, ids)},
                        index=ids)


def summary(
    result: Result, *, subregio: str | None = None,
    gemeente: str | Sequence[str] | None = None
) -> dict[str, pd.DataFrame]:
    """
    Counts for a report: candidates, passing per criterion, longlist per subregio/gemeente.

    Returns
    -------
    dict
        ``criteria``: per hard criterion (by label) the counts ``pass``, ``fail`` and
        ``unknown``; ``areas``: per subregio and gemeente the ``candidates``, those on the
        ``longlist`` and those ``to_check``. Shown in Dutch through :func:`locscan.nl.dutch`.
    """
    mask = select(result, subregio, gemeente).to_numpy()
    ev = result.evaluation[mask]
    rows = []
    for crit in result.criteria.hard:
        counts = ev[crit.id].value_counts()
        rows.append({
            "criterion": crit.label,
            "pass": int(counts.get(PASS, 0)),
            "fail": int(counts.get(FAIL, 0)),
            "unknown": int(counts.get(UNKNOWN, 0)),
        })
    cands = result.candidates.loc[mask, ["subregio", "gemeente"]]
    status = result.status[mask]
    areas = (
        cands.assign(
            candidates=1,
            longlist=(status != STATUS["fail"]).astype(int),
            to_check=(status == STATUS["check"]).astype(int),
        )
        .groupby(["subregio", "gemeente"], observed=True)[["candidates", "longlist", "to_check"]]
        .sum()
    )
    criteria = pd.DataFrame(rows, columns=["criterion", "pass", "fail", "unknown"])
    return {"criteria": criteria.set_index("criterion"), "areas": areas}


def radius_vs_network(result: Result) -> pd.DataFrame:
    """
    Where straight-line and travel-distance criteria to the same layer disagree.

    Per pair of criteria, how many candidates pass one and fail the other.

    Returns
    -------
    DataFrame
        One row per pair: ``layer``, the criteria ``radius`` and ``road``, ``radius_only``
        (pass by radius, fail by road) and ``road_only``; empty when the criteria have no such
        pair.
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
            rows.append({"layer": layer, "radius": pair["distance_to"].id,
                         "road": pair["network_distance_to"].id,
                         "radius_only": int((radius & ~road).sum()),
                         "road_only": int((road & ~radius).sum())})
    return pd.DataFrame(rows, columns=["layer", "radius", "road", "radius_only", "road_only"])


#: candidate columns a search looks in, where the region has them (ids, names, cadastral
#: designations, addresses)
SEARCHED = ("source_id", "name", "aanduiding", "kadastrale_aanduiding", "address", "adres")


def find(result: Result, query: str, limit: int = 20) -> pd.DataFrame:
    """
    Candidates whose id, name, cadastral designation or address contains `query`.

    Case and spaces do not matter ("odb00 a 1234" finds "ODB00A1234"). An exact match comes
    first, then those that start with the query, then the rest, each in candidate order.

    Returns
    -------
    DataFrame
        Up to `limit` rows, indexed by candidate id, with ``name``, ``gemeente``, ``subregio``
        and ``status``.

    Examples
    --------
    >>> cands = gpd.GeoDataFrame({"source_id": ["A 12", "B7"], "name": [None, "De Ploeg"],
    ...     "gemeente": ["X", "Y"], "subregio": ["S", "S"], "gemeente_code": ["1", "2"]},
    ...     index=pd.Index(["perceel:A12", "park:B7"], name="candidate_id"),
    ...     geometry=gpd.points_from_xy([0, 1], [0, 1]), crs=28992)
    >>> res = Result(None, cands, None, None, pd.Series(["voldoet", "valt af"],
    ...              index=cands.index), None, {})
    >>> find(res, "a12").index.tolist(), find(res, "ploeg").index.tolist()
    (['perceel:A12'], ['park:B7'])
    """
    key = "".join(query.split()).casefold()
    cands = result.candidates
    if not key:
        return cands.iloc[:0][[]].assign(name=[], gemeente=[], subregio=[], status=[])
    columns = [cands.index.to_series()] + [cands[c] for c in SEARCHED if c in cands]
    rank = np.full(len(cands), 3)
    for col in columns:
        text = col.astype("string").str.replace(r"\s+", "", regex=True).str.casefold()
        text = text.fillna("").to_numpy(dtype=object)
        hit = pd.Series(text).str.contains(key, regex=False).to_numpy()
        start = pd.Series(text).str.startswith(key).to_numpy()
        exact = text == key
        rank = np.minimum(rank, np.where(exact, 0, np.where(start, 1, np.where(hit, 2, 3))))
    order = np.flatnonzero(rank < 3)
    order = order[np.argsort(rank[order], kind="stable")][:limit]
    ids = cands.index[order]
    name = cands.loc[ids, "name"] if "name" in cands else pd.Series("", index=ids)
    return pd.DataFrame({"name": name.fillna("").to_numpy(),
                         "gemeente": cands.loc[ids, "gemeente"].astype(str).to_numpy(),
                         "subregio": cands.loc[ids, "subregio"].astype(str).to_numpy(),
                         "status": result.status.loc[ids].astype(str).to_numpy()}, index=ids)
