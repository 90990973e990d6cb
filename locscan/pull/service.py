"""Pull from an OGC API Features collection or a WFS feature type, tile by tile, through GDAL."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from locscan import rdnap, settings
from locscan.errors import PullError
from locscan.pull.http import gdal_http
from locscan.pull.sources import Source, origin

__all__ = [
    "fetch_tile",
    "gdal_source",
    "service_crs",
    "tiles",
]


def tiles(extent: tuple[float, float, float, float], size: float) -> np.ndarray:
    """
    Split an extent (RD New) into square tiles; returns an (n, 4) array of bounds.

    Examples
    --------
    >>> tiles((0, 0, 25, 10), 10).tolist()
    [[0.0, 0.0, 10.0, 10.0], [10.0, 0.0, 20.0, 10.0], [20.0, 0.0, 25.0, 10.0]]
    """
    x0, y0, x1, y1 = map(float, extent)
    xs = np.arange(x0, x1, size)
    ys = np.arange(y0, y1, size)
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    return np.column_stack([gx, gy, np.minimum(gx + size, x1), np.minimum(gy + size, y1)])


def gdal_source(source: Source) -> str:
    """The GDAL connection string of an OGC API Features or WFS source."""
    return f"{'OAPIF' if source.kind == 'oapif' else 'WFS'}:{source.url}"


def service_crs(source: Source) -> str:
    """
    The CRS the service's layer is in (bounding boxes are sent in it).

    OGC API Features without a stated CRS is CRS84 (the standard's default); a WFS layer
    without one takes the source's ``crs:``.

    Raises
    ------
    PullError
        For a WFS layer without a CRS when ``sources.yaml`` states none.
    """
    with gdal_http():
        crs = pyogrio.read_info(gdal_source(source), layer=source.collection)["crs"]
    if crs:
        return crs
    if source.crs:
        return source.crs
    if source.kind == "oapif":
        return "OGC:CRS84"
    raise PullError(f"{origin(source)}: the service states no CRS for the layer; state it with "
                    "'crs:' in sources.yaml (for RD New: crs: EPSG:28992)")


def fetch_tile(source: Source, bounds: np.ndarray, crs: str) -> gpd.GeoDataFrame:
    """The features of one tile (bounds in RD New), asked in the service's CRS, in RD New."""
    box = rdnap.to_crs(gpd.GeoSeries([shapely.box(*bounds)], crs=settings.crs), crs)
    options = {"PAGE_SIZE": str(source.page_size)}
    if source.kind == "wfs":
        options["PAGING_ALLOWED"] = "ON"
    with gdal_http(source.page_size):
        frame = pyogrio.read_dataframe(
            gdal_source(source), layer=source.collection, bbox=tuple(box.total_bounds),
            where=source.where, **options,
        )
    if frame.crs is None:
        frame = frame.set_crs(crs)
    frame = rdnap.to_crs(frame, settings.crs)
    # keep what lies in this tile; a feature on a tile edge is in both (deduplicated later)
    keep = shapely.intersects(frame.geometry.to_numpy(), shapely.box(*bounds))
    return frame[keep]
