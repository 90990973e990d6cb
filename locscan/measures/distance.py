"""Measure kinds by distance: to the nearest feature (straight or over a network), and within reach.

Every kind takes the candidates and one layer and returns a frame indexed like the candidates:
its ``value`` column becomes the measure, other columns ``<name>__<column>``. The pairs come
from :mod:`locscan.measures.planar` (bounds from an STRtree, exact distances compiled), numpy
aggregates them; no loop over features. The nearest feature's ties go to the first feature.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from locscan.measures._common import _field, _frame, _geoms
from locscan.measures.planar import nearest, sums_within

__all__ = ["count_within", "distance_to", "network_distance_to", "sum_within"]


def distance_to(
    candidates: gpd.GeoDataFrame,
    layer: gpd.GeoDataFrame,
    *,
    max_distance: float | None = None,
    fields: Iterable[str] = (),
) -> pd.DataFrame:
    """
    Exact distance in metres from each candidate to the nearest feature of `layer`.

    Parameters
    ----------
    candidates
        Candidates, EPSG:28992.
    layer
        Target features (work sites, stops, ...), same CRS.
    max_distance
        Search radius in metres; candidates with nothing inside it get NaN (unknown).
    fields
        Attributes of the nearest feature to return as extra columns (e.g. ``id``).

    Returns
    -------
    DataFrame
        ``value`` (metres, 0 when the candidate touches a feature) and one column per field.

    Examples
    --------
    >>> from shapely import Point, box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(5000, 0, 5010, 10)],
    ...                          crs=28992)
    >>> sites = gpd.GeoDataFrame({"id": ["A"]}, geometry=[Point(310, 410)], crs=28992)
    >>> distance_to(cands, sites, fields=["id"]).round().values.tolist()
    [[500.0, 'A'], [4707.0, 'A']]
    """
    fields = list(fields)
    values = np.full(len(candidates), np.nan)
    extra = {f: np.full(len(candidates), None, dtype=object) for f in fields}
    if len(layer):
        i_c, i_l, dist = nearest(_geoms(candidates), layer.geometry.to_numpy(), max_distance)
        values[i_c] = dist
        for f in fields:
            extra[f][i_c] = _field(layer, f)[i_l]
    return _frame(candidates, value=values, **extra)


def count_within(
    candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, *, distance: float
) -> pd.DataFrame:
    """
    Number of features of `layer` within `distance` metres of each candidate (inclusive).

    Examples
    --------
    >>> from shapely import Point, box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10)], crs=28992)
    >>> pts = gpd.GeoDataFrame(geometry=[Point(410, 5), Point(411, 5)], crs=28992)
    >>> count_within(cands, pts, distance=400)["value"].tolist()
    [1.0]
    """
    ones = np.ones(len(layer))
    total, _ = sums_within(_geoms(candidates), layer.geometry.to_numpy(), distance, ones)
    return _frame(candidates, value=total)


def sum_within(
    candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, *, distance: float, field: str
) -> pd.DataFrame:
    """
    Sum of `field` over the features within `distance` metres of each candidate (inclusive).

    Features whose `field` is unknown are not guessed: ``value`` sums the known values and
    ``unknown`` counts the features in reach without a value, so the sum is a lower bound
    wherever ``unknown > 0``.

    Examples
    --------
    >>> from shapely import Point, box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10)], crs=28992)
    >>> parking = gpd.GeoDataFrame({"capacity": [20, None, 50]},
    ...     geometry=[Point(410, 5), Point(5, 20), Point(900, 0)], crs=28992)
    >>> sum_within(cands, parking, distance=400, field="capacity").values.tolist()
    [[20.0, 1.0]]
    """
    values = pd.to_numeric(pd.Series(_field(layer, field)), errors="coerce").to_numpy(float)
    total, unknown = sums_within(_geoms(candidates), layer.geometry.to_numpy(), distance, values)
    return _frame(candidates, value=total, unknown=unknown)


def network_distance_to(
    candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, *, network: Any,
    max_snap: float = 500.0,
) -> pd.DataFrame:
    """
    Travel distance in metres over a road network to the nearest feature of `layer`.

    `network` names a catalogue layer with role ``network`` (an OSM XML file); the engine
    passes the built :class:`locscan.network.Network`. One shortest-path run serves all
    candidates. Candidates more than `max_snap` metres from any road get NaN (unknown).

    Examples
    --------
    >>> import numpy as np
    >>> from shapely import Point, box
    >>> from locscan.network import Network
    >>> net = Network(np.array([0.0, 1000.0, 1000.0]), np.array([0.0, 0.0, 1000.0]),
    ...               np.array([0, 1]), np.array([1, 2]), np.array([1000.0, 1000.0]))
    >>> cands = gpd.GeoDataFrame(geometry=[box(990, 990, 1010, 1010)], crs=28992)
    >>> sites = gpd.GeoDataFrame(geometry=[Point(0, 10)], crs=28992)
    >>> network_distance_to(cands, sites, network=net)["value"].round().tolist()
    [2010.0]
    """
    from locscan.network import distances_to

    value = distances_to(network, _geoms(candidates), layer.geometry.to_numpy(),
                         max_snap=max_snap)
    return _frame(candidates, value=value)
