"""The built-in demo region: a seeded, deterministic generator of every layer role.

The demo is laid out over the real geography of a region's metadata (municipality centres and
areas from ``region.yaml``), but every feature in it is invented: schematic municipality shapes
(Voronoi cells around the real centres), towns as cores, business parks, work sites whose
international workers add up per subregio to the region's task, parcels that tile the land with
zoning and ownership, parking with capacity (some unknown), nature areas, dwellings, public
transport stops and shops. Every layer says it is demo data, in the GeoPackage's layer
description and metadata and in the region label.

The same code scales from a quick start (``parcels=20_000``) to millions of parcels for
benchmarks; :func:`build_national` lays it over all 342 gemeenten, one gemeente at a time.
"""

from __future__ import annotations

from locscan.demo.generate import OWNERSHIP, ZONING_CLASSES, generate
from locscan.demo.national import NATIONAL_PARCELS, build_national
from locscan.demo.write import CATALOGUE, DEMO_LABEL, build

__all__ = ["CATALOGUE", "DEMO_LABEL", "NATIONAL_PARCELS", "OWNERSHIP", "ZONING_CLASSES", "build",
           "build_national", "generate"]
