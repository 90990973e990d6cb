"""A region folder: its metadata (``region.yaml``) and its layers, loaded once and on demand.

A region folder holds ``region.yaml`` (municipalities with CBS code and subregio, the task per
subregio and the policy norms; :mod:`locscan.regionmeta`, whose names this module gives too)
and ``layers.yaml`` (the layer catalogue, see :mod:`locscan.layers`). Nothing about a
particular region is code: it is all in these files.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import defaultdict
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np

from locscan import layers, settings
from locscan.errors import LayerError, RegionError
from locscan.layers.places import municipality_of
from locscan.layers.read import within_bbox
from locscan.regionmeta import (
    Gemeenten,
    Municipality,
    Norms,
    RegionMeta,
    SubregioTask,
    load_meta,
)

__all__ = [
    "Gemeenten", "Municipality", "Norms", "Region", "RegionMeta", "SubregioTask", "load_meta",
    "open_region",
]


class Region:
    """
    A region folder with lazily loaded, memoised layers.

    Parameters
    ----------
    folder
        Folder with ``region.yaml`` and ``layers.yaml``.
    """

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise RegionError(f"region folder {self.folder}: not found")
        self.meta = load_meta(self.folder / settings.region_file)
        self.catalogue = layers.load_catalogue(self.folder / settings.catalogue_file)
        self._check_sources_inside()
        self._layers: dict[str, gpd.GeoDataFrame] = {}
        self._loading: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._loading_lock = threading.Lock()
        self.reports: dict[str, layers.LoadReport] = {}

    def __repr__(self) -> str:
        return f"Region({str(self.folder)!r}, layers={list(self.catalogue.layers)})"

    @property
    def cache_dir(self) -> Path:
        """Folder where measures of this region are cached."""
        return self.folder / settings.cache_dirname

    @property
    def key(self) -> str:
        """
        The region's identity, under which its shortlist is stored.

        ``id`` from ``region.yaml`` when it has one (set it to keep the shortlist when the
        folder moves, or to share it between copies of the folder on several machines);
        otherwise the name and a digest of the folder's absolute path, so two folders with the
        same region name never share a shortlist.
        """
        if self.meta.id:
            return self.meta.id
        digest = hashlib.sha256(str(self.folder.resolve()).encode()).hexdigest()[:10]
        return f"{self.meta.name}@{digest}"

    def input_files(self) -> list[Path]:
        """The region's own files: ``region.yaml``, ``layers.yaml`` and every local source."""
        files = [self.folder / settings.region_file, self.folder / settings.catalogue_file]
        for entry in self.catalogue.layers.values():
            if layers.is_local(entry.source):
                files += [Path(f) for f in layers.resolve_sources(entry, self.folder)]
        return files

    def has_layer(self, name: str) -> bool:
        """Return whether the catalogue names layer `name`."""
        return name in self.catalogue.layers

    def _entry(self, name: str) -> layers.LayerEntry:
        if name not in self.catalogue.layers:
            raise LayerError(
                f"layer {name!r} is not in the catalogue {self.folder / settings.catalogue_file};"
                f" layers there: {', '.join(self.catalogue.layers)}"
            )
        return self.catalogue.layers[name]

    def _check_sources_inside(self) -> None:
        """Refuse local sources outside the region folder unless the catalogue allows them."""
        if self.catalogue.allow_outside:
            return
        home = self.folder.resolve()
        outside = [
            f"{name} ({entry.source})" for name, entry in self.catalogue.layers.items()
            if layers.is_local(entry.source)
            and not all(Path(f).resolve().is_relative_to(home) for f in [
                layers.resolve_source(entry, self.folder),
                *layers.resolve_sources(entry, self.folder)])
        ]
        if outside:
            raise LayerError(
                f"layer catalogue {self.folder / settings.catalogue_file}: sources outside the "
                f"region folder: {', '.join(outside)}. Copy them into the folder, or say "
                "'allow_outside: true' in the catalogue if that is meant"
            )

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """Return layer `name`, loading and checking it on first use (once, also in threads)."""
        if name in self._layers:
            return self._layers[name]
        with self._loading_lock:
            lock = self._loading[name]
        with lock:
            if name not in self._layers:
                gdf, report = layers.load_layer(name, self._entry(name), self.folder)
                self._check_inside_region(name, gdf)
                if self.catalogue.role_of(name) == "work_sites" and "gemeente" not in gdf:
                    gdf["gemeente"] = self._gemeente_codes(name, gdf)
                self.reports[name] = report
                self._layers[name] = gdf
        return self._layers[name]

    def layer_within(self, name: str, bbox: tuple[float, float, float, float]
                     ) -> gpd.GeoDataFrame:
        """
        The features of layer `name` whose extent meets `bbox`, in the layer's order.

        For one part of a scan: read through the source's spatial index on each call and not
        kept, unless the whole layer is in memory already (then it is cut from that).
        """
        whole = self._layers.get(name)
        if whole is not None:
            return whole[within_bbox(whole.geometry.to_numpy(), bbox)]
        gdf, _ = layers.load_layer(name, self._entry(name), self.folder, bbox=bbox)
        if self.catalogue.role_of(name) == "work_sites" and "gemeente" not in gdf:
            gdf["gemeente"] = self._gemeente_codes(name, gdf)
        return gdf

    def _gemeente_codes(self, name: str, gdf: gpd.GeoDataFrame) -> np.ndarray:
        """
        The CBS code of the gemeente each feature lies in; None outside every one.

        For a work-sites file without a gemeente field: the plan's 80/10/10 rule needs it.
        """
        munis = [n for n in self.layers_with_role("municipalities") if n != name]
        if not munis or gdf.empty:
            return np.full(len(gdf), None, dtype=object)
        return municipality_of(gdf.geometry, self.layer(munis[0])).to_numpy()

    def _check_inside_region(self, name: str, gdf: gpd.GeoDataFrame) -> None:
        """A layer with features, none of them near the region's municipalities, is an error."""
        munis = [n for n in self.layers_with_role("municipalities") if n != name]
        if gdf.empty or not munis:
            return
        region = self.layer(munis[0])
        if region.empty:
            return
        margin = 25_000.0  # distance measures look across the border
        rx0, ry0, rx1, ry1 = region.total_bounds
        x0, y0, x1, y1 = gdf.total_bounds
        if x1 < rx0 - margin or x0 > rx1 + margin or y1 < ry0 - margin or y0 > ry1 + margin:
            source = layers.resolve_source(self._entry(name), self.folder)
            raise LayerError(
                f"layer {name!r} ({source}): none of its {len(gdf)} features lies in or near "
                f"the region (layer x {x0:,.0f} to {x1:,.0f}, y {y0:,.0f} to {y1:,.0f}; region x "
                f"{rx0:,.0f} to {rx1:,.0f}, y {ry0:,.0f} to {ry1:,.0f}, in RD New). Is its CRS "
                "right? State it with 'crs:' in the catalogue"
            )

    def network(self, name: str):
        """Network layer `name` as a :class:`locscan.network.Network`, built once and cached."""
        from locscan import _cache
        from locscan.network import Network, load_network

        entry = self._entry(name)
        if self.catalogue.role_of(name) != "network":
            raise LayerError(f"layer {name!r} is not a network (role: network, source: .osm)")
        key = self.fingerprint(name)
        nodes_path = self.cache_dir / f"network-{name}-{key}-nodes.parquet"
        edges_path = self.cache_dir / f"network-{name}-{key}-edges.parquet"
        nodes, edges = _cache.read(nodes_path), _cache.read(edges_path)
        if nodes is not None and edges is not None:
            return Network.from_frames(nodes, edges)
        net = load_network(layers.resolve_source(entry, self.folder), name)
        nodes, edges = net.to_frames()
        _cache.write(nodes_path, nodes)
        _cache.write(edges_path, edges)
        return net

    def fingerprint(self, name: str) -> str:
        """Return the cache key of layer `name` (changes when its file or entry changes)."""
        return layers.fingerprint(name, self._entry(name), self.folder)

    def role_of(self, name: str) -> str:
        """Return the role of layer `name`."""
        self._entry(name)
        return self.catalogue.role_of(name)

    def layers_with_role(self, role: str) -> list[str]:
        """Return the names of the layers that have `role`, in catalogue order."""
        return [n for n in self.catalogue.layers if self.catalogue.role_of(n) == role]

    @cached_property
    def meta_fingerprint(self) -> str:
        """Cache key of what candidates take from the metadata: CRS and gemeenten."""
        # code, name and subregio only: other edits of region.yaml keep the caches (a country's
        # candidates take minutes to read again)
        gemeenten = [[m.code, m.name, m.subregio] for m in self.meta.municipalities]
        payload = json.dumps([self.meta.crs, gemeenten], ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]


def open_region(folder: str | os.PathLike | None = None) -> Region:
    """
    Open a region folder; the default is :data:`locscan.settings.default_region`.

    Raises
    ------
    RegionError
        When the folder or its metadata is missing; for the demo region the message says how
        to build it.
    """
    folder = Path(folder or settings.default_region)
    if not (folder / settings.catalogue_file).is_file():
        hint = " (build the demo region with: locscan demo build)" if "demo" in folder.name else ""
        raise RegionError(f"region folder {folder}: no {settings.catalogue_file}{hint}")
    return Region(folder)
