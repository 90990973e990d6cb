"""Capacity of a site under the Roemernorm, its 24/7-manager flag and its parking check."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from locscan import nl
from locscan.capacity.norms import _resolved
from locscan.criteria import Assumptions

__all__ = [
    "site_capacity",
    "sites_table",
]


def site_capacity(
    area_m2: pd.Series, assumptions: Assumptions, floor_area_m2: pd.Series | None = None
) -> pd.Series:
    """
    Workers a site can house under the Roemernorm, capped at ``max_per_location``.

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
    return pd.Series(np.minimum(workers, assumptions.max_per_location).astype(int),
                     index=area_m2.index, name="capacity")


def sites_table(
    sites: gpd.GeoDataFrame, measures: pd.DataFrame, assumptions: Assumptions
) -> gpd.GeoDataFrame:
    """
    Capacity, the 24/7-manager flag and parking check per site.

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
        ``parking`` (``voldoende``, ``onvoldoende`` or ``onbekend``).
    """
    floor = None
    if assumptions.floor_area_field and assumptions.floor_area_field in sites:
        floor = pd.to_numeric(sites[assumptions.floor_area_field], errors="coerce")
    out = sites.copy()
    out["capacity"] = site_capacity(sites["area_m2"], assumptions, floor)
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
