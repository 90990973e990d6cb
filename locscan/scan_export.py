"""The exports of a :class:`locscan.scan.Scan`: tables written with their provenance.

A part of the Scan (a base class of it), kept apart because the scan grew past what one file
should hold. Every export carries the scan's provenance (region, sources, criteria, software,
time) and Dutch headers, gets its shapes from the scan (a scan in parts reads them for the
rows written) and never overwrites the region's own files or the criteria file.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd

from locscan import export
from locscan.criteria import Criteria
from locscan.nl import tables

__all__ = ["ScanExports"]


class ScanExports:
    """Exports of a scan; see :class:`locscan.scan.Scan`, which is one."""

    def provenance(self, crit: Criteria | None = None, **extra: object) -> dict[str, str]:
        """Provenance of an export of this scan: region, sources, criteria, software, time."""
        return export.scan_provenance(self.region, crit or self.criteria, **extra)

    def labels(self, crit: Criteria | None = None) -> dict[str, str]:
        """Dutch spreadsheet headers with units (:func:`locscan.nl.tables.export_labels`)."""
        return tables.export_labels(crit or self.criteria)

    def export(self, table: gpd.GeoDataFrame, path: str | os.PathLike, *,
               crit: Criteria | None = None, layer: str = "longlist", description: str = "",
               **extra: object) -> Path:
        """
        Write `table` (a longlist, shortlist or plan) with this scan's provenance.

        The format follows the suffix (:data:`locscan.export.FORMATS`); the region's own
        files and the criteria file are never overwritten (:meth:`protected`).
        """
        return export.write(self.with_shapes(table), path, layer=layer,
                            description=description,
                            metadata=self.provenance(crit, **extra), labels=self.labels(crit),
                            protect=self.protected())

    def protected(self) -> list[Path]:
        """Files an export must never overwrite: the region's inputs and the criteria file."""
        extra = [self.criteria_file] if self.criteria_file else []
        return [*self.region.input_files(), *extra]

    def export_bytes(self, table: gpd.GeoDataFrame, suffix: str, *,
                     crit: Criteria | None = None, layer: str = "longlist",
                     description: str = "", **extra: object) -> bytes:
        """The bytes of :meth:`export`, for a download button."""
        return export.to_bytes(self.with_shapes(table), suffix, layer=layer,
                               description=description,
                               metadata=self.provenance(crit, **extra),
                               labels=self.labels(crit))
