"""Capacity of the longlist and the shortlist against the task, per subregio and gemeente."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from locscan.capacity.plan import reach_capacity
from locscan.capacity.sites import sites_table
from locscan.capacity.task import task_table, work_demand
from locscan.criteria import Assumptions
from locscan.region import RegionMeta

__all__ = [
    "Analysis",
    "analyse",
    "coverage",
]


def coverage(
    meta: RegionMeta,
    task: pd.DataFrame,
    demand: gpd.GeoDataFrame,
    longlist_sites: gpd.GeoDataFrame,
    shortlist_sites: gpd.GeoDataFrame,
) -> dict[str, pd.DataFrame]:
    """
    Task against capacity per subregio and per gemeente (shortlist and longlist).

    Returns
    -------
    dict
        ``subregio``: task (2020 and 2030 scenarios) and capacity; ``gemeente``: the temporary
        workers of its work sites and capacity.
    """
    def cap(frame: gpd.GeoDataFrame, by: str) -> pd.Series:
        return frame.groupby(by)["capacity"].sum() if len(frame) else pd.Series(dtype=float)

    sub = task.copy()
    sub["capacity_longlist"] = cap(longlist_sites, "subregio").reindex(sub.index).fillna(0)
    sub["capacity_shortlist"] = cap(shortlist_sites, "subregio").reindex(sub.index).fillna(0)
    gem = demand.groupby("gemeente_code")["demand"].sum().rename("task").to_frame()
    gem["gemeente"] = gem.index.map({m.code: m.name for m in meta.municipalities})
    gem["capacity_longlist"] = cap(longlist_sites, "gemeente_code").reindex(gem.index).fillna(0)
    gem["capacity_shortlist"] = cap(shortlist_sites, "gemeente_code").reindex(
        gem.index).fillna(0)
    return {"subregio": sub, "gemeente": gem}


@dataclass(frozen=True)
class Analysis:
    """
    Capacity and task of a region for one evaluated criteria set.

    Attributes
    ----------
    assumptions
        The resolved assumptions (shown next to every figure).
    task, coverage_subregio, coverage_gemeente
        The task and the capacity of the longlist and the shortlist against it.
    demand
        Work sites with their temporary workers and the capacity within reach; a gap where 0.
    longlist_sites, shortlist_sites
        Sites with capacity, manager flag and parking check.
    """

    assumptions: Assumptions
    task: pd.DataFrame
    coverage_subregio: pd.DataFrame
    coverage_gemeente: pd.DataFrame
    demand: gpd.GeoDataFrame
    longlist_sites: gpd.GeoDataFrame
    shortlist_sites: gpd.GeoDataFrame

    def for_subregio(self, subregio: str | None) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        """Demand and longlist sites of one subregio (all when ``None``)."""
        if subregio is None:
            return self.demand, self.longlist_sites
        return (self.demand[self.demand["subregio"] == subregio],
                self.longlist_sites[self.longlist_sites["subregio"] == subregio])


def analyse(
    meta: RegionMeta,
    candidates: gpd.GeoDataFrame,
    measures: pd.DataFrame,
    on_longlist: pd.Series,
    work_sites: gpd.GeoDataFrame,
    work_gemeente: pd.Series,
    assumptions: Assumptions,
    shortlist_ids: list[str] | pd.Index = (),
) -> Analysis:
    """
    Everything the capacity page shows, from one evaluated criteria set.

    Parameters
    ----------
    meta
        Region metadata (task, norms, subregios).
    candidates, measures
        Candidate and measures tables.
    on_longlist
        Boolean per candidate (``Result.on_longlist``).
    work_sites, work_gemeente
        The work sites layer and the gemeente code of each work site.
    assumptions
        Resolved assumptions (:func:`resolve`).
    shortlist_ids
        Candidate ids on the working group's shortlist.
    """
    sites = sites_table(candidates.loc[on_longlist.to_numpy()], measures, assumptions)
    ids = [i for i in shortlist_ids if i in candidates.index]
    short = sites_table(candidates.loc[ids], measures, assumptions)
    demand = work_demand(work_sites, work_gemeente, meta, assumptions)
    demand["capacity_in_reach"] = reach_capacity(demand, sites, assumptions.reach_m)
    task = task_table(meta, assumptions)
    cov = coverage(meta, task, demand, sites, short)
    return Analysis(assumptions, task, cov["subregio"], cov["gemeente"], demand, sites, short)
