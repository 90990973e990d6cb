"""Tiny hand-made layers and regions whose answers can be checked in your head."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import yaml
from shapely import Point, box

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"

REGION = {
    "name": "toy",
    "label": "Proefregio",
    "subregios": {
        "Noord": {"short_stay": 1, "mid_stay": 1, "long_stay": 1, "total_working": 3,
                  "living_there": 1},
        "Zuid": {"short_stay": 2, "mid_stay": 2, "long_stay": 2, "total_working": 6,
                 "living_there": 2},
    },
    "municipalities": [
        {"code": "GM0001", "name": "Aadorp", "subregio": "Noord"},
        {"code": "GM0002", "name": "Beestad", "subregio": "Zuid"},
    ],
}


def gdf(geoms, crs=28992, **cols) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(cols, geometry=list(geoms), crs=crs)


def toy_layers() -> dict[str, gpd.GeoDataFrame]:
    """Two gemeenten side by side (x 0-20 km, 20-40 km), a handful of parcels.

    p1: 100x100 m at x 0-100, work site at x 15,000 -> 14.9 km
    p2: 100x100 m at x 30,100-30,200 -> 15.1 km from the site (to its left edge)
    p3: half inside the core (core covers x >= 5,050)
    p4: zoning 60% Wonen / 40% Agrarisch, parking 50 places exactly 400 m away
    p5: no zoning plan
    """
    return {
        "municipalities": gdf([box(0, 0, 20_000, 10_000), box(20_000, 0, 40_000, 10_000)],
                              code=["GM0001", "GM0002"], name=["Aadorp", "Beestad"]),
        "parcels": gdf(
            [box(0, 0, 100, 100), box(30_100, 0, 30_200, 100), box(5_000, 0, 5_100, 100),
             box(10_000, 5_000, 10_100, 5_100), box(12_000, 8_000, 12_100, 8_100)],
            id=["p1", "p2", "p3", "p4", "p5"],
            eigendom=["gemeente", "particulier", "bedrijf", None, "Rijk"],
        ),
        "work_sites": gdf([Point(15_000, 50)], id=["W1"], workers=[120], gemeente=["GM0001"]),
        "cores": gdf([box(5_050, -1_000, 6_000, 1_000)], naam=["Kern"]),
        "zoning": gdf(
            [box(-1_000, -1_000, 10_060, 10_000), box(10_060, -1_000, 11_000, 10_000),
             box(20_000, 0, 40_000, 10_000)],
            bestemming=["Wonen", "Agrarisch", "Bedrijventerrein"],
        ),
        "parking": gdf([Point(10_050, 5_500), Point(10_050, 5_501), Point(0, 300)],
                       capaciteit=[50, 70, None]),
    }


CATALOGUE = {
    "municipalities": {"fields": {"code": "code", "name": "name"}},
    "parcels": {"fields": {"ownership": "eigendom"}},
    "work_sites": {"fields": {"workers": "workers", "gemeente": "gemeente"}},
    "cores": {},
    "zoning": {"fields": {"class": "bestemming"}},
    "parking": {"fields": {"capacity": "capaciteit"}},
}


def write_region(folder: Path, layers: dict | None = None, region: dict | None = None) -> Path:
    """Write a region folder with one GeoPackage holding `layers`."""
    folder.mkdir(parents=True, exist_ok=True)
    layers = toy_layers() if layers is None else layers
    for name, frame in layers.items():
        frame.to_file(folder / "toy.gpkg", layer=name, driver="GPKG")
    catalogue = {"layers": {n: {"source": "toy.gpkg", "layer": n, **CATALOGUE.get(n, {})}
                            for n in layers}}
    (folder / "layers.yaml").write_text(yaml.safe_dump(catalogue), encoding="utf-8")
    (folder / "region.yaml").write_text(yaml.safe_dump(region or REGION), encoding="utf-8")
    return folder
