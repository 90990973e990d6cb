"""Load, validate and reproject the input layers named in a region's layer catalogue.

A region folder holds ``layers.yaml``: a catalogue that maps layer names to a source (any vector
format GDAL reads: GeoPackage, GeoJSON, Shapefile, FlatGeobuf, GeoParquet, GML, or a GDAL
connection string such as ``OAPIF:https://...``), a role and a mapping from the role's attribute
names to the source's field names. Loading reprojects to EPSG:28992, repairs invalid geometries
and reports how many, drops empty geometries with a warning, and checks the attributes. Every
problem names the layer, the file and the field.

Examples
--------
A catalogue in YAML::

    layers:
      parking:
        source: parkeren.gpkg        # relative to the catalogue's folder
        layer: parkeerplaatsen       # needed when the file holds several layers
        fields: {capacity: plaatsen} # role attribute: source field
      cores:
        source: kernen.shp
        crs: EPSG:28992              # only for sources that carry no CRS
"""

from __future__ import annotations

from locscan.layers.catalogue import (
    ROLES,
    Catalogue,
    LayerEntry,
    Role,
    fingerprint,
    is_local,
    is_pattern,
    load_catalogue,
    resolve_source,
    resolve_sources,
)
from locscan.layers.load import LoadReport, classify, load_layer

__all__ = [
    "ROLES",
    "Catalogue",
    "LayerEntry",
    "LoadReport",
    "Role",
    "classify",
    "fingerprint",
    "is_local",
    "is_pattern",
    "load_catalogue",
    "load_layer",
    "resolve_source",
    "resolve_sources",
]
