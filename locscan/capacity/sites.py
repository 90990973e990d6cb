"""Capacity of a site under the Roemernorm, its 24/7-manager flag and its parking check."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locscan import nl
from locscan.capacity.norms import _resolved
from locscan.criteria import Assumptions

__all__ = [
    "counted",
    "overlapping_pairs",
    "plannable",
    "site_capacity",
    "sites_table",
]


def site_capacity(
    area_m2: pd.Series, assumptions: Assumptions, floor_area_m2: pd.Series | None = None,
    gemeente_code: pd.Series | None = None,
) -> pd.Series:
    """
    Workers a site can house under the Roemernorm, capped at ``max_per_location``.

    The cap is the gemeente's own (``max_per_location_by_gemeente``, by CBS code) where it
    sets one and `gemeente_code` is given.

    New building: area × built_share × storeys / m2_per_worker; an existing building (where
    `floor_area_m2` is known): floor area × floor_use_share / m2_per_worker. Rounded down.

    Examples
    --------
    >>> a = Assumptions(built_share=0.4, storeys=2, max_per_location=200, m2_per_worker=15,
    ...                 parking_measure=None, parking_per_resident=0.3, floor_use_share=0.8)
    >>> site_capacity(pd.Series([3000.0, 10_000.0, 1.0]), a).tolist()
    [160, 200, 0]
    >>> site_capacity(pd.Series([3000.0]), a, floor_area_m2=pd.Series([600.0])).tolist()
    [32]
    """
    (m2,) = _resolved(assumptions, "m2_per_worker")
    living = area_m2 * assumptions.built_share * assumptions.storeys
    if floor_area_m2 is not None:
        (use,) = _resolved(assumptions, "floor_use_share")
        existing = floor_area_m2 * use
        living = existing.where(floor_area_m2.notna() & (floor_area_m2 > 0), living)
    workers = np.floor(living.to_numpy(dtype=float) / m2 + 1e-9)
    limit = np.full(len(workers), assumptions.max_per_location, dtype=float)
    if gemeente_code is not None and assumptions.max_per_location_by_gemeente:
        own = gemeente_code.astype(str).map(assumptions.max_per_location_by_gemeente)
        limit = own.fillna(assumptions.max_per_location).to_numpy(dtype=float)
    return pd.Series(np.minimum(workers, limit).astype(int), index=area_m2.index,
                     name="capacity")


def sites_table(
    sites: gpd.GeoDataFrame, measures: pd.DataFrame, assumptions: Assumptions,
    typed: pd.Series | None = None, reach_by_gemeente: dict[str, float] | None = None,
) -> gpd.GeoDataFrame:
    """
    Capacity, the 24/7-manager flag and parking check per site.

    The working group's own estimate (`typed`, by candidate id) replaces the computed
    capacity where it is known; a gemeente's own reach (`reach_by_gemeente`, CBS code -> m)
    goes into a ``reach_m`` column for the plan.

    Parameters
    ----------
    sites
        Candidate rows with ``area_m2`` (and the floor area field when configured).
    measures
        Measures table with the parking measure, indexed like the candidates.
    assumptions
        Resolved assumptions (:func:`resolve`).

    Returns
    -------
    GeoDataFrame
        `sites` with ``capacity``, ``needs_manager``, ``parking_needed`` and
        ``parking`` (``voldoende``, ``onvoldoende`` or ``onbekend``); ``capacity_source`` when
        `typed` is given, ``reach_m`` when `reach_by_gemeente` is.
    """
    floor = None
    if assumptions.floor_area_field and assumptions.floor_area_field in sites:
        floor = pd.to_numeric(sites[assumptions.floor_area_field], errors="coerce")
    out = sites.copy()
    computed = site_capacity(sites["area_m2"], assumptions, floor, sites.get("gemeente_code"))
    if typed is not None:
        own = pd.to_numeric(typed.reindex(out.index), errors="coerce")
        out["capacity_source"] = np.where(own.notna(), "working group", "computed")
        computed = own.fillna(computed).astype(int)
    out["capacity"] = computed
    if reach_by_gemeente:
        out["reach_m"] = out["gemeente_code"].astype(str).map(reach_by_gemeente)
    out["needs_manager"] = out["capacity"] > assumptions.manager_above
    out["parking_needed"] = np.ceil(out["capacity"] * assumptions.parking_per_resident)
    status = pd.Series(nl.PARKING["unknown"], index=out.index, dtype=object)
    name = assumptions.parking_measure
    if name and name in measures:
        have = measures.loc[out.index, name]
        unknown = measures.loc[out.index, f"{name}__unknown"] if (
            f"{name}__unknown" in measures) else pd.Series(0, index=out.index)
        enough = have >= out["parking_needed"]
        status[enough] = nl.PARKING["enough"]
        status[have.notna() & ~enough & (unknown == 0)] = nl.PARKING["short"]
    out["parking"] = status
    return out


def overlapping_pairs(sites: gpd.GeoDataFrame, min_share: float = 0.5) -> np.ndarray:
    """
    Positions ``(i, j)``, ``i < j``, of sites that are largely the same land.

    Two sites overlap when their intersection covers more than `min_share` of the smaller one,
    such as a business park and a parcel inside it: a plan may use only one of them, and a
    capacity total counts only one.

    Examples
    --------
    >>> from shapely import box
    >>> sites = gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100), box(10, 10, 40, 40),
    ...                                    box(90, 90, 200, 200)], crs=28992)
    >>> overlapping_pairs(sites).tolist()
    [[0, 1]]
    """
    geoms = sites.geometry.to_numpy()
    i, j = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    if not len(i):
        return np.empty((0, 2), dtype=np.int64)
    shared = shapely.area(shapely.intersection(geoms[i], geoms[j]))
    smaller = np.minimum(shapely.area(geoms[i]), shapely.area(geoms[j]))
    big = shared > min_share * np.where(smaller > 0, smaller, np.inf)
    return np.column_stack([i[big], j[big]]).astype(np.int64)


def counted(sites: gpd.GeoDataFrame, pairs: np.ndarray | None = None) -> pd.Series:
    """
    Whether a site's capacity counts in a total: not when it overlaps a site that holds more.

    Of two overlapping sites the one with the larger capacity counts (the first one on a tie).
    In a chain of overlaps this errs on the low side, never on the high side.

    Examples
    --------
    >>> from shapely import box
    >>> sites = gpd.GeoDataFrame({"capacity": [200, 40, 60]}, geometry=[box(0, 0, 100, 100),
    ...     box(10, 10, 40, 40), box(500, 0, 600, 100)], crs=28992)
    >>> counted(sites).tolist()
    [True, False, True]
    """
    pairs = overlapping_pairs(sites) if pairs is None else pairs
    cap = sites["capacity"].to_numpy(dtype=float)
    i, j = pairs[:, 0], pairs[:, 1]
    loser = np.where(cap[j] > cap[i], i, j)
    keep = np.ones(len(sites), dtype=bool)
    keep[loser] = False
    return pd.Series(keep, index=sites.index, name="counted")


def plannable(sites: gpd.GeoDataFrame, assumptions: Assumptions
              ) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """
    The sites a plan may use, and why the others are left out.

    With a parking check (``parking_measure``), a site whose parking is short or unknown is
    left out: a plan does not put workers where parking is not shown to suffice. Sites without
    capacity are left out too.

    Returns
    -------
    GeoDataFrame, Series
        The usable sites, and the reason per site left out (``parking``, ``no capacity``).
    """
    reason = pd.Series("", index=sites.index, dtype=object)
    if assumptions.parking_measure:
        reason[sites["parking"] != nl.PARKING["enough"]] = "parking"
    reason[(sites["capacity"] <= 0) & (reason == "")] = "no capacity"
    return sites[reason == ""], reason[reason != ""]
