"""The national demo: every gemeente of the Netherlands, written one gemeente at a time.

The layers of each gemeente are generated on their own (seeded by the demo's seed and the
gemeente's code, so the result does not depend on the order or on how many processes build it)
and appended, gemeente after gemeente, to one GeoParquet file per layer (``parcels.parquet``):
its row groups are partitions of the country (one gemeente or a part of one), and with its
bounding-box column a scan in parts reads only the row groups it needs. Nothing holds the
whole country in memory: building 8.4 million parcels takes minutes and the memory of a few
gemeenten.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from locscan import settings
from locscan.demo.generate import generate, municipality_cells
from locscan.demo.write import CATALOGUE, DEMO_LABEL, refuse_foreign
from locscan.region import RegionMeta, load_meta

__all__ = ["NATIONAL_PARCELS", "build_national", "parcels_per_gemeente"]

#: cadastral parcels in the Netherlands, about (the figure the national benchmark aims at)
NATIONAL_PARCELS = 8_400_000
#: layers whose ids are numbered per gemeente by the generator: prefixed with its code
_NUMBERED = ("parcels", "business_parks", "work_sites")
#: rows per Parquet row group: a box read skips the groups outside it
_ROW_GROUP = 20_000


def parcels_per_gemeente(meta: RegionMeta, parcels: int) -> dict[str, int]:
    """
    About `parcels` parcels spread over the gemeenten by area (at least 50 each).

    Examples
    --------
    >>> from locscan.region import Municipality, SubregioTask
    >>> meta = RegionMeta(name="t", label="t", subregios={"S": SubregioTask(
    ...     short_stay=1, mid_stay=0, long_stay=0, total_working=1, living_there=0)},
    ...     municipalities=[Municipality(code="GM1", name="A", subregio="S", area_km2=30),
    ...                     Municipality(code="GM2", name="B", subregio="S", area_km2=10)])
    >>> parcels_per_gemeente(meta, 1000)
    {'GM1': 750, 'GM2': 250}
    """
    areas = np.array([m.area_km2 or 0.0 for m in meta.municipalities])
    share = np.maximum(np.round(parcels * areas / areas.sum()), 50).astype(int)
    return {m.code: int(n) for m, n in zip(meta.municipalities, share, strict=True)}


def _one_gemeente(meta: RegionMeta, i: int) -> RegionMeta:
    """The metadata of gemeente `i` alone, with its share (by area) of the task."""
    m = meta.municipalities[i]
    total = sum(x.area_km2 or 0.0 for x in meta.municipalities)
    tasks = {}
    for name, task in meta.subregios.items():
        share = (m.area_km2 or 0.0) / total if name == m.subregio else 0.0
        short, mid, long_ = (round(v * share) for v in (task.short_stay, task.mid_stay,
                                                          task.long_stay))
        tasks[name] = task.model_copy(update={
            "short_stay": short, "mid_stay": mid, "long_stay": long_,
            "total_working": short + mid + long_, "living_there": round(task.living_there
                                                                        * share)})
    return meta.model_copy(update={"municipalities": [m], "subregios": {
        m.subregio: tasks[m.subregio]}})


def _gemeente_tables(meta: RegionMeta, cells: gpd.GeoDataFrame, i: int, parcels: int,
                     seed: int) -> dict[str, pa.Table]:
    """Gemeente `i`'s layers as GeoParquet tables (with a bounding-box column)."""
    code = meta.municipalities[i].code
    rng = np.random.SeedSequence([seed, int(code[2:])])
    layers = generate(_one_gemeente(meta, i), parcels=parcels, seed=rng,
                      municipalities=cells.iloc[[i]].reset_index(drop=True))
    out = {}
    for name, gdf in layers.items():
        if name == "municipalities":
            continue
        if name in _NUMBERED:
            gdf = gdf.assign(id=code + "-" + gdf["id"].astype(str))
        out[name] = _geoarrow(gdf.reset_index(drop=True))
    return out


def _geoarrow(gdf: gpd.GeoDataFrame) -> pa.Table:
    """
    A GeoParquet table with a bounding-box column (through geopandas' own writer).

    The file-wide ``bbox`` is left out: a file written part by part does not know it when it
    starts.
    """
    buffer = io.BytesIO()
    gdf.to_parquet(buffer, index=False, write_covering_bbox=True)
    table = pq.read_table(buffer)
    geo = json.loads(table.schema.metadata[b"geo"])
    for column in geo["columns"].values():
        column.pop("bbox", None)
    return table.replace_schema_metadata({**table.schema.metadata,
                                          b"geo": json.dumps(geo).encode()})


def _append(writers: dict, folder: Path, name: str, table: pa.Table) -> None:
    if name not in writers:
        writers[name] = pq.ParquetWriter(folder / f"{name}.parquet", table.schema)
    writer = writers[name]
    writer.write_table(table.cast(writer.schema), row_group_size=_ROW_GROUP)


def build_national(
    out: str | os.PathLike = "data/nl-demo",
    *,
    source_region: str | os.PathLike = "data/nl",
    parcels: int = NATIONAL_PARCELS,
    seed: int = 42,
    workers: int | None = None,
) -> Path:
    """
    Write the national demo region: a GeoParquet file per layer, a gemeente at a time.

    Like :func:`locscan.demo.build`, the folder is written next to `out` and swapped in when
    complete, and only a demo region is ever replaced.

    Parameters
    ----------
    out
        Region folder to write.
    source_region
        Region folder whose ``region.yaml`` lists the gemeenten (``data/nl``: all 342).
    parcels
        About how many parcels in all, spread over the gemeenten by area.
    seed
        The same seed gives the same region, however many processes build it.
    workers
        Processes that build gemeenten side by side (default: every core).

    Returns
    -------
    Path
        The region folder.
    """
    out = Path(out)
    refuse_foreign(out, allowed={f"{name}.parquet" for name in CATALOGUE})
    meta = load_meta(Path(source_region) / settings.region_file)
    cells = municipality_cells(meta)
    counts = parcels_per_gemeente(meta, parcels)
    tmp = out.with_name(out.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    cells.to_parquet(tmp / "municipalities.parquet", write_covering_bbox=True)
    writers: dict[str, pq.ParquetWriter] = {}
    made = 0
    jobs = [(meta, cells, i, counts[m.code], seed) for i, m in enumerate(meta.municipalities)]
    try:
        with ProcessPoolExecutor(max_workers=workers or settings.workers) as pool:
            for tables in pool.map(_gemeente_tables, *zip(*jobs, strict=True)):
                made += tables["parcels"].num_rows
                for name, table in tables.items():
                    _append(writers, tmp, name, table)
    finally:
        for writer in writers.values():
            writer.close()
    catalogue = {"layers": {
        name: {"source": f"{name}.parquet",
               "description": f"{DEMO_LABEL}: {spec['description']}",
               **({"fields": spec["fields"]} if "fields" in spec else {})}
        for name, spec in CATALOGUE.items()}}
    header = (f"# {DEMO_LABEL}\n# Generated by `locscan demo build --national` (seed {seed}, "
              f"{made} parcels over {len(meta.municipalities)} gemeenten).\n")
    (tmp / settings.catalogue_file).write_text(
        header + yaml.safe_dump(catalogue, sort_keys=False, allow_unicode=True), encoding="utf-8")
    region = meta.model_dump(mode="json") | {
        "name": f"{meta.name}-demo", "label": f"{meta.label} ({DEMO_LABEL})", "demo": True}
    (tmp / settings.region_file).write_text(
        header + yaml.safe_dump(region, sort_keys=False, allow_unicode=True), encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out
