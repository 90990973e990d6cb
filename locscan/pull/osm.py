"""Pull OpenStreetMap features by tag through osmnx (Overpass, or a local extract)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely

from locscan import rdnap, settings
from locscan.pull.sources import Source

__all__ = [
    "fetch_osm",
]


def fetch_osm(folder: Path, source: Source, extent: tuple[float, ...]) -> gpd.GeoDataFrame:
    """OSM features with `source.tags` in the extent, from a local extract or Overpass."""
    import osmnx as ox

    area = rdnap.to_crs(gpd.GeoSeries([shapely.box(*extent)], crs=settings.crs),
                        settings.geojson_crs)
    if source.file:
        frame = ox.features_from_xml(folder / source.file, polygon=area.iloc[0],
                                     tags=source.tags)
    else:
        frame = ox.features_from_polygon(area.iloc[0], tags=source.tags)
    frame = frame[frame.geom_type.isin(["Point", "Polygon", "MultiPolygon"])]
    frame = frame.reset_index()
    frame["osm_id"] = frame["element"].astype(str) + "/" + frame["id"].astype(str)
    frame = frame.drop(columns=["element", "id"])
    # OSM tags vary per feature; keep the mapped ones and a few common ones, as text
    keep = [c for c in {*source.fields.values(), "name", "osm_id"} if c in frame.columns]
    out = frame[keep].astype(object).where(frame[keep].notna(), None)
    return rdnap.to_crs(gpd.GeoDataFrame(out, geometry=frame.geometry.to_numpy(), crs=frame.crs),
                        settings.crs)
