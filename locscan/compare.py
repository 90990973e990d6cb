"""Scenarios side by side: two or more criteria sets over the same region and cached measures.

Per scenario the longlist per subregio and gemeente and its capacity against the task; per
scenario after the first, the sites that enter and leave the longlist against the first one.
Each scenario is one evaluation of the cached measures (a measure only the second set uses is
computed once and cached), so comparing is as fast as tuning.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from locscan import capacity, longlist
from locscan.region import Gemeenten

__all__ = ["Comparison", "compare"]


@dataclass(frozen=True)
class Comparison:
    """
    Scenarios side by side.

    Attributes
    ----------
    names
        The scenarios, the first being the one the others are compared with.
    areas
        Per subregio and gemeente, the number of sites on each scenario's longlist.
    capacity
        Per subregio the temporary task (2020) and each scenario's longlist capacity
        (``capacity_<name>``); empty when a scenario has no capacity assumptions.
    changes
        One row per site that is on the longlist in one scenario and not in the first:
        ``scenario``, ``change`` (``enters`` or ``leaves``), ``gemeente``, ``subregio`` and the
        reasons it fails where it leaves; with geometry (EPSG:28992) for maps and exports
        when the candidates have it.
    """

    names: list[str]
    areas: pd.DataFrame
    capacity: pd.DataFrame
    changes: gpd.GeoDataFrame


def compare(results: dict[str, longlist.Result],
            analyses: dict[str, capacity.Analysis] | None = None, *,
            subregio: str | None = None, gemeente: Gemeenten | None = None) -> Comparison:
    """
    Compare evaluated scenarios; the first is the reference.

    Parameters
    ----------
    results
        Scenario name -> its evaluation (:meth:`locscan.scan.Scan.evaluate`), same region.
    analyses
        Scenario name -> its capacity analysis, for the capacity table (optional).
    subregio, gemeente
        Only this part of the region.
    """
    names = list(results)
    first = results[names[0]]
    mask = longlist.select(first, subregio, gemeente).to_numpy()
    cands = first.candidates.loc[mask, ["subregio", "gemeente"]]
    on = pd.DataFrame({n: r.on_longlist.to_numpy()[mask] for n, r in results.items()},
                      index=cands.index)
    areas = on.astype(int).join(cands).groupby(["subregio", "gemeente"], observed=True)[
        names].sum()
    rows = []
    # the candidates' shapes when they have them (a scan in parts adds them afterwards)
    shape = ([first.candidates.geometry.name]
             if isinstance(first.candidates, gpd.GeoDataFrame) else [])
    for name in names[1:]:
        result = results[name]
        for change, ids in (("enters", on.index[on[name] & ~on[names[0]]]),
                            ("leaves", on.index[~on[name] & on[names[0]]])):
            if len(ids):
                part = result.candidates.loc[ids, ["subregio", "gemeente", *shape]]
                why = longlist.table(result, ids=ids)["reasons"].reindex(ids)
                rows.append(part.assign(scenario=name, change=change,
                                        reasons=why.fillna("").to_numpy()))
    changes = pd.concat(rows) if rows else pd.DataFrame(
        {c: [] for c in ["subregio", "gemeente", *shape, "scenario", "change", "reasons"]},
        index=pd.Index([], name=first.candidates.index.name))
    if shape:
        changes = gpd.GeoDataFrame(changes, geometry=shape[0], crs=first.candidates.crs)
    cap = pd.DataFrame()
    if analyses and len(analyses) == len(results):
        task = analyses[names[0]].coverage_subregio["task_2020"]
        cap = pd.DataFrame({"task_2020": task})
        for name, a in analyses.items():
            cap[f"capacity_{name}"] = a.coverage_subregio["capacity_longlist"]
        if subregio:
            cap = cap.loc[cap.index.isin([subregio])]
    return Comparison(names, areas, cap, changes)
