"""A region's ``sources.yaml``: where each layer comes from, its licence and attribution."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from locscan import config
from locscan.errors import SourcesError

__all__ = [
    "PROVENANCE_FILE",
    "SOURCES_FILE",
    "Source",
    "Sources",
    "load_sources",
    "origin",
]


PROVENANCE_FILE = "provenance.json"


SOURCES_FILE = "sources.yaml"


class Source(BaseModel):
    """
    Where one layer comes from.

    Attributes
    ----------
    kind
        ``oapif`` (OGC API Features), ``wfs``, ``file`` (a dataset to download, or a local
        file), ``atom`` (the download links of an Atom feed), ``osm`` (OpenStreetMap through
        osmnx), or ``manual``: not open data or no service; the region supplies the layer
        itself (``description`` says how), and ``data status`` reports it while it is missing.
    url
        The service's landing page (OAPIF), endpoint (WFS), the file's address (``file``; a
        path is taken relative to the region folder) or the feed (``atom``).
    collection
        Collection id (OAPIF), feature type name (WFS) or layer in the file (``file``,
        ``atom``; the first layer when empty).
    member
        For a zip archive: the path of the dataset inside it (``file``, ``atom``).
    entries
        For ``atom``: which entries to follow, a pattern matched against entry titles and
        link addresses (``*Enkelbestemming*``); every download link below them is read.
    tags
        OSM tags to select (``{amenity: parking}``), for ``osm``.
    file
        For ``osm``: a local OSM XML extract (relative to the region folder) instead of the
        Overpass API.
    role
        Role in the layer catalogue (see :data:`locscan.layers.ROLES`).
    fields
        Role attribute -> source field, written to ``layers.yaml``.
    classes
        Role attribute -> {pattern: class}, written to ``layers.yaml`` (e.g. zoning names
        ``"Wonen*": Wonen``); see :func:`locscan.layers.classify`.
    id_field
        Source field that identifies a feature, to drop the copies that neighbouring tiles
        both return; without it, copies are recognised by their geometry and attributes.
    crs
        CRS to assume when the source states none (a file without one, a WFS layer without
        one); without it such a source is an error, never a guess. OGC API Features without a
        CRS is CRS84, as the standard says.
    where
        Attribute filter (OGR SQL), e.g. ``jaarcode = 2025``.
    page_size
        Features per request (PDOK: at most 1000).
    license, attribution
        As the publisher states them; shown by ``data status`` and in exports.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Literal["oapif", "wfs", "file", "atom", "osm", "manual"]
    url: str = ""
    collection: str = ""
    member: str | None = None
    entries: str = "*"
    tags: dict[str, bool | str | list[str]] = {}
    file: str | None = None
    role: str | None = None
    fields: dict[str, str] = {}
    classes: dict[str, dict[str, str]] = {}
    id_field: str | None = None
    where: str | None = None
    page_size: int = Field(1000, gt=0)
    license: str = ""
    attribution: str = ""
    description: str = ""
    crs: str | None = None


    @model_validator(mode="after")
    def _complete(self) -> Source:
        if self.kind == "osm" and not self.tags:
            raise ValueError("kind 'osm' needs 'tags' (e.g. {amenity: parking})")
        if self.kind in ("oapif", "wfs") and not (self.url and self.collection):
            raise ValueError(f"kind {self.kind!r} needs 'url' and 'collection'")
        if self.kind in ("file", "atom") and not self.url:
            raise ValueError(f"kind {self.kind!r} needs 'url'")
        return self


class Sources(BaseModel):
    """The contents of a region's ``sources.yaml``."""

    model_config = ConfigDict(extra="forbid")

    extent_rd: tuple[float, float, float, float]
    tile_size_m: float = Field(10_000, gt=0)
    sources: dict[str, Source]


def load_sources(folder: str | os.PathLike) -> Sources:
    """
    Read and validate ``<folder>/sources.yaml``.

    Raises
    ------
    SourcesError
        Naming the file, the key and the line that is wrong.
    """
    return config.load(Sources, Path(folder) / SOURCES_FILE, what="sources",
                       error=SourcesError)


def origin(source: Source) -> str:
    """Where a layer comes from, in one line for messages and the status table."""
    if source.kind == "manual":
        return "eigen laag (zie de beschrijving in sources.yaml)"
    if source.kind == "osm":
        return f"OpenStreetMap {source.file or 'Overpass API'} {source.tags}"
    if source.kind == "atom":
        return f"Atom {source.url}, entries {source.entries}"
    return ", ".join(filter(None, [source.url, source.member, source.collection]))
