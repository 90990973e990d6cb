"""The candidates' shapes, held in memory or read a part at a time when they are asked for.

A scan of a region holds every candidate's shape; a scan of a province or of the country in
parts does not (8.4 million outlines do not fit beside the measures): its candidate table has
no geometry, and :class:`Shapes` reads the shapes of the parts that hold the candidates a map,
an export or a factsheet shows, from each part's cache (or its sources), keeping the last few
parts read.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locscan import settings
from locscan.errors import RegionError
from locscan.measures.parts import PART_M, cached_part_candidates, part_groups
from locscan.memo import Memo
from locscan.region import Region

__all__ = ["Shapes"]


class Shapes:
    """
    The shapes of a scan's candidates, by candidate id.

    Parameters
    ----------
    candidates
        The scan's candidate table: a GeoDataFrame (the shapes are its own), or a DataFrame
        without geometry with ``gemeente_code`` (a scan in parts; the shapes are read per part).
    region
        The open region, needed when `candidates` has no geometry.
    tile_m
        The scan's parts (:func:`locscan.measures.parts.part_groups`).
    cache
        Read (and write) the parts' candidates in the cache.
    keep
        How many parts' shapes to keep in memory.
    """

    def __init__(self, candidates: pd.DataFrame, region: Region | None = None, *,
                 tile_m: float | None = PART_M, cache: bool | None = None,
                 keep: int = 8) -> None:
        self._candidates = candidates
        self.held = isinstance(candidates, gpd.GeoDataFrame)
        if not self.held and region is None:
            raise ValueError("candidates without geometry need their region")
        self._region = region
        self._cache = settings.use_cache if cache is None else cache
        self._groups = {} if self.held else part_groups(region, tile_m)
        self._part_of = {code: name for name, codes in self._groups.items() for code in codes}
        self._read = Memo(keep)

    @property
    def crs(self):
        """The shapes' CRS."""
        return self._candidates.crs if self.held else settings.crs

    def of(self, ids: Iterable[str], codes: Iterable[str] | None = None) -> gpd.GeoSeries:
        """
        The shapes of the candidates `ids`, in that order (an id may repeat).

        `codes` are their gemeenten's CBS codes, when the caller has their rows: a scan in
        parts then reads their parts without looking the ids up among all candidates.

        Raises
        ------
        RegionError
            When an id is not a candidate of the scan, or its part's candidates changed
            since the scan was opened (the region must be opened again).
        """
        ids = pd.Index(list(ids) if not isinstance(ids, pd.Index) else ids)
        if codes is None or self.held:
            # the table's own hash of its ids, built once (isin on millions of ids is not)
            at = self._candidates.index.get_indexer(ids)
            if (at < 0).any():
                raise RegionError(
                    f"geen locatie {ids[np.flatnonzero(at < 0)[0]]!r} in deze regio")
            if self.held:
                geoms = self._candidates.geometry
                return gpd.GeoSeries(geoms.iloc[at].to_numpy(), index=ids, crs=self.crs)
            codes = self._candidates["gemeente_code"].iloc[at]
        codes = np.asarray(codes).astype(str)
        unknown = [c for c in dict.fromkeys(codes) if c not in self._part_of]
        if unknown:
            raise RegionError(f"geen gemeente '{unknown[0]}' in deze regio")
        out = np.empty(len(ids), dtype=object)
        for part in dict.fromkeys(self._part_of[c] for c in codes):
            here = np.isin(codes, self._groups[part])
            out[here] = self._part(part).reindex(ids[here]).to_numpy()
        lost = pd.isna(out)
        if lost.any():
            raise RegionError(
                f"de vorm van locatie {ids[np.flatnonzero(lost)[0]]!r} is niet meer te lezen: "
                "de bestanden van de regio zijn veranderd sinds de scan werd geopend; open de "
                "regio opnieuw")
        return gpd.GeoSeries(out, index=ids, crs=self.crs)

    def part_of(self, code: str) -> str:
        """
        The name of the part that holds the candidates of gemeente `code` (a scan in parts).

        Raises
        ------
        RegionError
            When `code` is not a gemeente of the scan.
        """
        if code not in self._part_of:
            raise RegionError(f"geen gemeente '{code}' in deze regio")
        return self._part_of[code]

    def within(self, bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
        """
        The candidates (their ids and shapes) whose shape meets the box ``(x0, y0, x1, y1)``.

        For a scan in parts, only the parts whose gemeenten meet the box are read.
        """
        box = shapely.box(*bbox)
        if self.held:
            geoms = self._candidates.geometry
            hits = np.sort(geoms.sindex.query(box, predicate="intersects"))
            return gpd.GeoDataFrame(geometry=geoms.iloc[hits].to_numpy(),
                                    index=geoms.index[hits], crs=self.crs)
        muni = self._region.layer(self._region.layers_with_role("municipalities")[0])
        near = muni["code"].iloc[np.sort(muni.sindex.query(box, predicate="intersects"))]
        parts = dict.fromkeys(self._part_of[c] for c in near.astype(str) if c in self._part_of)
        found = [s[s.intersects(box)] for s in map(self._part, parts)]
        series = pd.concat(found) if found else gpd.GeoSeries([], crs=self.crs)
        return gpd.GeoDataFrame(geometry=series.to_numpy(), index=series.index, crs=self.crs)

    def _part(self, name: str) -> gpd.GeoSeries:
        """The shapes of one part's candidates, by id (read once, kept while recent)."""
        def read() -> gpd.GeoSeries:
            cands = cached_part_candidates(self._region, name, self._groups[name],
                                           cache=self._cache)
            return cands.geometry
        return self._read.get(name, read)
