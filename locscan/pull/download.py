"""Pull a downloadable or local file (GeoPackage, GML, GeoJSON; zipped or gzipped) through GDAL."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from locscan import rdnap, settings
from locscan.errors import PullError
from locscan.pull.http import gdal_http, is_remote
from locscan.pull.sources import Source

__all__ = [
    "fetch_file",
    "vsi_path",
]


def vsi_path(folder: Path, url: str, member: str | None) -> str:
    """
    The GDAL path of a file: remote through ``/vsicurl/``, zipped or gzipped through GDAL.

    A remote file is read with ``/vsicurl/``, a zip opened with ``/vsizip/``, a ``.gz``
    unpacked on the fly with ``/vsigzip/``.

    Examples
    --------
    >>> vsi_path(Path("r"), "https://x.nl/atom/downloads/Enkelbestemming.gml.gz", None)
    '/vsigzip//vsicurl/https://x.nl/atom/downloads/Enkelbestemming.gml.gz'
    >>> vsi_path(Path("r"), "https://x.nl/kernen.zip", "kernen.gpkg")
    '/vsizip//vsicurl/https://x.nl/kernen.zip/kernen.gpkg'
    >>> vsi_path(Path("r"), "eigen/kernen.gpkg", None)
    'r/eigen/kernen.gpkg'
    """
    path = f"/vsicurl/{url}" if is_remote(url) else str(folder / url)
    if url.lower().split("?")[0].endswith(".gz"):
        return f"/vsigzip/{path}"
    if member or url.lower().split("?")[0].endswith(".zip"):
        path = f"/vsizip/{path}" + (f"/{member.lstrip('/')}" if member else "")
    return path


def fetch_file(folder: Path, source: Source, url: str,
                extent: tuple[float, ...]) -> gpd.GeoDataFrame:
    """The features of one dataset (file or download link) that lie in the extent."""
    path = vsi_path(folder, url, source.member)
    if not is_remote(url) and not (folder / url).is_file():
        raise PullError(f"{folder / url}: file not found. {source.description}".strip(". "))
    layer = source.collection or None
    with gdal_http(fresh=f"/vsicurl/{url}" if is_remote(url) else None):
        crs = pyogrio.read_info(path, layer=layer)["crs"] or source.crs
        if crs is None:
            raise PullError(f"{url}: the file states no CRS; state it with 'crs:' in "
                            "sources.yaml (for RD New: crs: EPSG:28992)")
        area = rdnap.to_crs(gpd.GeoSeries([shapely.box(*extent)], crs=settings.crs), crs)
        frame = pyogrio.read_dataframe(path, layer=layer, bbox=tuple(area.total_bounds),
                                       where=source.where)
    if frame.crs is None:
        frame = frame.set_crs(crs)
    frame = rdnap.to_crs(frame, settings.crs)
    keep = shapely.intersects(frame.geometry.to_numpy(), shapely.box(*extent))
    return frame[keep]
