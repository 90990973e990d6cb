"""Capacity of the longlist and the shortlist against the task, per subregio and gemeente."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from locscan.capacity.plan import reach_capacity
from locscan.capacity.sites import counted, sites_table
from locscan.capacity.task import task_table, work_demand
from locscan.criteria import Assumptions
from locscan.region import RegionMeta

__all__ = [
    "Analysis",
    "analyse",
    "coverage",
    "task_check",
]


def task_check(task: pd.DataFrame, demand: gpd.GeoDataFrame, tolerance: float = 0.1
               ) -> pd.DataFrame:
    """
    The two sources of the task side by side: the region's task table and the work sites.

    Per subregio the temporary task of the table (``task_2020``) and the temporary workers of
    the work sites (``work_sites``), their ``difference`` as a share of the table, and
    ``differs`` when that exceeds `tolerance` (the figures then need reconciling).

    Examples
    --------
    >>> task = pd.DataFrame({"task_2020": [100.0, 50.0]}, index=pd.Index(["A", "B"]))
    >>> demand = pd.DataFrame({"subregio": ["A", "A", "B"], "demand": [60.0, 45.0, 20.0]})
    >>> task_check(task, demand)["differs"].tolist()
    [False, True]
    """
    sites = demand.groupby("subregio")["demand"].sum().reindex(task.index).fillna(0.0)
    out = pd.DataFrame({"task_2020": task["task_2020"], "work_sites": sites})
    out["difference"] = (out["work_sites"] - out["task_2020"]) / out["task_2020"].where(
        out["task_2020"] > 0)
    out["differs"] = out["difference"].abs() > tolerance
    return out


def coverage(
    meta: RegionMeta,
    task: pd.DataFrame,
    demand: gpd.GeoDataFrame,
    longlist_sites: gpd.GeoDataFrame,
    shortlist_sites: gpd.GeoDataFrame,
) -> dict[str, pd.DataFrame]:
    """
    Task against capacity per subregio and per gemeente (shortlist and longlist).

    Where sites are largely the same land (a business park and parcels inside it), only one
    of them counts (:func:`counted`).

    Returns
    -------
    dict
        ``subregio``: task (2020 and 2030 scenarios) and capacity; ``gemeente``: the temporary
        workers of its work sites and capacity.
    """
    def cap(frame: gpd.GeoDataFrame, by: str) -> pd.Series:
        if not len(frame):
            return pd.Series(dtype=float)
        return frame[counted(frame).to_numpy()].groupby(by)["capacity"].sum()

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
    task_check
        The task table against the work sites' workers per subregio (:func:`task_check`).
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
    task_check: pd.DataFrame

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
    typed_capacity: pd.Series | None = None,
    reach_by_gemeente: dict[str, float] | None = None,
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
    typed_capacity
        The working group's capacity per shortlisted site (candidate id -> workers; unknown
        where missing), which replaces the computed one.
    reach_by_gemeente
        Gemeenten with their own distance to work (CBS code -> m).
    """
    sites = sites_table(candidates.loc[on_longlist.to_numpy()], measures, assumptions,
                        reach_by_gemeente=reach_by_gemeente)
    ids = [i for i in shortlist_ids if i in candidates.index]
    short = sites_table(candidates.loc[ids], measures, assumptions, typed=typed_capacity,
                        reach_by_gemeente=reach_by_gemeente)
    demand = work_demand(work_sites, work_gemeente, meta, assumptions)
    demand["capacity_in_reach"] = reach_capacity(demand, sites, assumptions.reach_m)
    task = task_table(meta, assumptions)
    cov = coverage(meta, task, demand, sites, short)
    return Analysis(assumptions, task, cov["subregio"], cov["gemeente"], demand, sites, short,
                    task_check(task, demand))
