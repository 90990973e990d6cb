"""Writing the demo region folder (GeoPackage, layer catalogue, region file), atomically."""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import numpy as np
import pyogrio
import shapely
import yaml

from locscan import nl, settings
from locscan.demo.generate import generate
from locscan.errors import RegionError
from locscan.region import load_meta

__all__ = ["CATALOGUE", "DEMO_LABEL", "build", "refuse_foreign"]

DEMO_LABEL = nl.DEMO_LABEL

CATALOGUE = {
    "parcels": {"fields": {"ownership": "eigendom"}, "description": "percelen"},
    "business_parks": {"fields": {"name": "naam", "ownership": "eigendom"},
                       "description": "bedrijventerreinen"},
    "work_sites": {"fields": {"name": "naam", "workers": "internationale_werknemers",
                              "gemeente": "gemeente"},
                   "description": "werklocaties met internationale werknemers"},
    "cores": {"fields": {"name": "naam"}, "description": "kernen"},
    "zoning": {"fields": {"class": "bestemming"}, "description": "bestemmingsvlakken"},
    "parking": {"fields": {"capacity": "capaciteit"}, "description": "parkeerplaatsen"},
    "exclusions": {"fields": {"name": "naam"}, "description": "natuurgebieden"},
    "dwellings": {"description": "woningen"},
    "municipalities": {"fields": {"code": "statcode", "name": "statnaam"},
                       "description": "gemeenten (schematisch)"},
    "stops": {"description": "ov-haltes"},
    "shops": {"description": "supermarkten"},
}


#: what a demo region folder written by :func:`build` may hold
_DEMO_FILES = {"demo.gpkg", settings.catalogue_file, settings.region_file, settings.cache_dirname}


def refuse_foreign(out: Path, allowed: frozenset[str] | set[str] = frozenset()) -> None:
    """
    Raise unless `out` is absent, empty, or a demo region that locscan wrote.

    Such a folder holds only the demo's files and the names in `allowed`.
    """
    if not out.exists():
        return
    if not out.is_dir():
        raise RegionError(f"demo build --out {out}: a file, not a folder; choose another folder")
    found = sorted(p.name for p in out.iterdir())
    if not found:
        return
    foreign = [name for name in found if name not in _DEMO_FILES | allowed]
    is_demo = False
    if not foreign and (out / settings.region_file).is_file():
        try:
            is_demo = load_meta(out / settings.region_file).demo
        except RegionError:
            is_demo = False
    if not is_demo:
        shown = ", ".join((foreign or found)[:8])
        raise RegionError(f"demo build --out {out}: the folder exists and is not a demo region "
                          f"(it holds {shown}); nothing was changed. Choose another folder, or "
                          "remove this one yourself if you are sure")


def build(
    out: str | os.PathLike = "data/demo",
    *,
    source_region: str | os.PathLike = "data/gmr",
    parcels: int = 20_000,
    seed: int = 42,
) -> Path:
    """
    Write the demo region folder: ``demo.gpkg``, ``layers.yaml`` and ``region.yaml``.

    The folder is written next to `out` and swapped in when complete, so an interrupted build
    never leaves half a region; an existing demo region at `out` is replaced, any other folder
    is refused (a real region with pulled layers must never be deleted).

    Parameters
    ----------
    out
        Region folder to write.
    source_region
        Region folder whose ``region.yaml`` gives the municipalities, subregios and task.
    parcels, seed
        See :func:`generate`.

    Returns
    -------
    Path
        The region folder.
    """
    out = Path(out)
    refuse_foreign(out)
    meta = load_meta(Path(source_region) / settings.region_file)
    layers = generate(meta, parcels=parcels, seed=seed)
    tmp = out.with_name(out.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    gpkg = tmp / "demo.gpkg"
    for name, gdf in layers.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL notes on GPKG metadata
            mixed = shapely.get_type_id(gdf.geometry.to_numpy())
            pyogrio.write_dataframe(
                gdf, gpkg, layer=name, driver="GPKG", promote_to_multi=bool(np.any(mixed >= 4)),
                layer_options={"DESCRIPTION": f"{DEMO_LABEL}: {CATALOGUE[name]['description']}"},
                layer_metadata={"locscan_demo": "true", "locscan_seed": str(seed)},
                dataset_options={"VERSION": "1.2"},  # readable by GDAL 3.6 / QGIS 3.22 too
            )
    catalogue = {
        "layers": {
            name: {"source": "demo.gpkg", "layer": name,
                   "description": f"{DEMO_LABEL}: {spec['description']}",
                   **({"fields": spec["fields"]} if "fields" in spec else {})}
            for name, spec in CATALOGUE.items()
        }
    }
    header = (f"# {DEMO_LABEL}\n"
              f"# Generated by `locscan demo build` (seed {seed}, {parcels} parcels).\n")
    (tmp / settings.catalogue_file).write_text(
        header + yaml.safe_dump(catalogue, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    region = meta.model_dump(mode="json") | {
        "name": f"{meta.name}-demo", "label": f"{meta.label} ({DEMO_LABEL})", "demo": True,
    }
    (tmp / settings.region_file).write_text(
        header + yaml.safe_dump(region, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out
