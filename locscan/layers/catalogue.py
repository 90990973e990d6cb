"""The layer catalogue (``layers.yaml``): layer names, roles, sources and field mappings.

A role says what a layer is for (work sites, parking, zoning, ...), which geometry it has and
which attributes it needs; an entry maps a layer name to its source, role and fields.
"""

from __future__ import annotations

import difflib
import glob
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pyproj import CRS
from pyproj.exceptions import CRSError

from locscan import config
from locscan.errors import LayerError

__all__ = ["IMRO_CLASSES", "ROLES", "Catalogue", "LayerEntry", "Role", "fingerprint",
           "is_local", "is_pattern", "load_catalogue", "resolve_source", "resolve_sources"]


@dataclass(frozen=True)
class Role:
    """What a layer of one role must look like.

    Attributes
    ----------
    geometry
        Allowed geometry families: ``point``, ``line``, ``polygon``.
    required
        Attribute names that must be present (mapped through ``fields``).
    numeric
        Attribute names whose values must be numbers; other values become unknown (NaN),
        counted in a warning.
        Negative values cannot be meant either (a count of places or workers) and become
        unknown too.
    unique
        Attribute whose values identify the features: no nulls, no duplicates.
    description
        One line on what the layer is for.
    may_be_empty
        Whether a layer of this role may have no features (the candidates, the work sites and
        the municipalities may not: an empty one is an error, not an empty longlist).
    """

    geometry: tuple[str, ...]
    required: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    unique: str | None = None
    description: str = ""
    may_be_empty: bool = True


ROLES: dict[str, Role] = {
    "parcels": Role(("polygon",), ("id",), unique="id", description="cadastral parcels",
                    may_be_empty=False),
    "business_parks": Role(
        ("polygon",), ("id",), unique="id", description="business parks (bedrijventerreinen)",
        may_be_empty=False,
    ),
    "work_sites": Role(
        ("point", "polygon"),
        ("id",),
        numeric=("workers",),
        unique="id",
        description="work locations with their number of international workers",
        may_be_empty=False,
    ),
    "cores": Role(("polygon",), description="village and town cores (kernen)"),
    "zoning": Role(("polygon",), ("class",), description="zoning plan areas with a class"),
    "parking": Role(
        ("point", "polygon"), ("capacity",), numeric=("capacity",), description="parking"
    ),
    "exclusions": Role(("polygon",), description="areas where no site may be (nature, ...)"),
    "dwellings": Role(("point", "polygon"), description="dwellings"),
    "municipalities": Role(("polygon",), ("code",), unique="code", description="gemeenten",
                           may_be_empty=False),
    "ownership": Role(("polygon",), ("class",), description="land ownership with a class"),
    "stops": Role(("point", "polygon"), description="public transport stops"),
    "shops": Role(("point", "polygon"), description="shops (supermarkets)"),
    "network": Role(("line",), description="road or bike network (an OSM XML file)"),
    "other": Role(("point", "line", "polygon"), description="any other layer"),
}


#: IMRO main groups (bestemmingshoofdgroep, IMRO2012) -> the zoning classes the criteria use
IMRO_CLASSES = {
    "wonen": "Wonen", "woongebied": "Wonen", "bedrijventerrein": "Bedrijventerrein",
    "bedrijf": "Bedrijventerrein", "agrarisch": "Agrarisch",
    "agrarisch met waarden": "Agrarisch", "natuur": "Natuur", "bos": "Natuur",
    "water": "Water", "recreatie": "Recreatie", "sport": "Recreatie", "groen": "Recreatie",
    "gemengd": "Gemengd", "centrum": "Gemengd", "detailhandel": "Gemengd",
    "dienstverlening": "Gemengd", "horeca": "Gemengd", "kantoor": "Gemengd",
    "maatschappelijk": "Maatschappelijk", "cultuur en ontspanning": "Maatschappelijk",
    "verkeer": "Verkeer", "tuin": "Wonen", "leiding": "Overig", "waarde": "Overig",
    "waterstaat": "Overig", "overig": "Overig",
}


class LayerEntry(BaseModel):
    """One layer in the catalogue.

    Attributes
    ----------
    source
        Path relative to the catalogue's folder, an absolute path, or a GDAL connection string.
        A path may be a pattern (``imro/*.gml``: every zoning plan in a folder): the files it
        matches are read alike and joined into one layer.
    layer
        Layer inside the source; required when the source holds several.
    role
        One of :data:`ROLES`; defaults to the layer's name when that is a role, else ``other``.
    crs
        CRS to assume when the source carries none. A source whose CRS differs is an error.
    fields
        Mapping from attribute name used by locscan to the field name in the source.
    classes
        Per attribute, source values (shell-style patterns such as ``Wonen*``, case-insensitive)
        to the class the criteria use, e.g. ``{class: {"Bedrijf*": Bedrijventerrein}}``;
        the first matching pattern wins and values that match none are kept as they are.
    values
        Attributes with one value for every feature, e.g. ``{capacity: 1}`` for a parking
        file without a capacity field (one place per feature).
    classes
        … or ``imro`` for a zoning layer: the standard IMRO main groups
        (``bestemmingshoofdgroep``: wonen, bedrijventerrein, agrarisch …) map to the classes
        the criteria use without hand work (:data:`IMRO_CLASSES`).
    where
        Optional OGR SQL attribute filter applied while reading (for example BAG's current
        versions only: ``status = 'Pand in gebruik' AND eindGeldigheid IS NULL``).
    x_field, y_field, wkt_field
        For a table (CSV, XLSX …): the coordinate columns, or a WKT column; ``crs`` is then
        required.
    covers
        The gemeenten (names or CBS codes) the layer covers, when it does not cover the whole
        region (a parking file of one city): elsewhere every measure that reads it is unknown
        ("onbekend"), never 0.
    description, license, attribution
        What the layer is, under which licence, and whom to name; shown in exports.
    date
        The date of the data (``YYYY-MM-DD``), shown in every export's provenance; without it
        the date of the pull or of the file is shown.
    """

    model_config = ConfigDict(extra="forbid")

    source: str
    layer: str | None = None
    role: str | None = None
    crs: str | None = None
    fields: dict[str, str] = {}
    values: dict[str, float | str] = {}
    classes: dict[str, dict[str, str] | Literal["imro"]] = {}
    where: str | None = None
    x_field: str | None = None
    y_field: str | None = None
    wkt_field: str | None = None
    covers: list[str] | None = Field(None, min_length=1)
    description: str = ""
    license: str | None = None
    attribution: str | None = None
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str | None) -> str | None:
        if value is not None and value not in ROLES:
            raise ValueError(f"unknown role {value!r}; known roles: {', '.join(ROLES)}")
        return value

    @model_validator(mode="after")
    def _table_complete(self) -> LayerEntry:
        if (self.x_field is None) != (self.y_field is None):
            raise ValueError("give both 'x_field' and 'y_field', or neither")
        if self.wkt_field and self.x_field:
            raise ValueError("give coordinate columns ('x_field', 'y_field') or 'wkt_field', "
                             "not both")
        if (self.x_field or self.wkt_field) and not self.crs:
            raise ValueError("a table with coordinates needs 'crs' (for RD New: EPSG:28992; "
                             "for longitude/latitude: EPSG:4326)")
        return self

    @field_validator("crs")
    @classmethod
    def _valid_crs(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                CRS.from_user_input(value)
            except CRSError as exc:
                raise ValueError(f"crs {value!r} is not a CRS pyproj knows: {exc}") from exc
        return value


class Catalogue(BaseModel):
    """
    The layer catalogue of a region (``layers.yaml``).

    Attributes
    ----------
    layers
        Layer name -> entry. A layer named like a role takes that role; a name that is nearly a
        role (``percels``) without ``role:`` is refused, so a typo never drops a layer.
    allow_outside
        Whether sources may lie outside the region folder (``../other/x.gpkg``, absolute
        paths); off by default, so a region never reads another region's files unawares.
    """

    model_config = ConfigDict(extra="forbid")

    layers: dict[str, LayerEntry]
    allow_outside: bool = False

    @field_validator("layers")
    @classmethod
    def _no_near_roles(cls, value: dict[str, LayerEntry]) -> dict[str, LayerEntry]:
        problems = []
        for name, entry in value.items():
            if entry.role is None and name not in ROLES:
                near = difflib.get_close_matches(name, list(ROLES), n=1, cutoff=0.75)
                if near:
                    problems.append(f"layer {name!r} is not a role; did you mean {near[0]!r}? "
                                    "(for a layer of its own, say 'role: other')")
        if problems:
            raise ValueError("; ".join(problems))
        return value

    def role_of(self, name: str) -> str:
        """Return the role of layer `name`."""
        entry = self.layers[name]
        if entry.role is not None:
            return entry.role
        return name if name in ROLES else "other"


def load_catalogue(path: str | os.PathLike) -> Catalogue:
    """
    Read and validate a layer catalogue (``layers.yaml``).

    Parameters
    ----------
    path
        The catalogue file.

    Returns
    -------
    Catalogue
        The validated catalogue.

    Raises
    ------
    LayerError
        When the file is missing, is not YAML, or an entry is invalid; the message names the
        layer and the key.
    """
    return config.load(Catalogue, path, what="layer catalogue", error=LayerError)


def is_local(source: str) -> bool:
    """
    Whether `source` is a local file (not a URL or a GDAL connection string).

    Examples
    --------
    >>> is_local("PERCELEN.GPKG"), is_local("OAPIF:https://x"), is_local("WFS:https://x")
    (True, False, False)
    >>> is_local("https://x/a.gpkg"), is_local("C:/data/a.gpkg")
    (False, True)
    """
    if "://" in source:
        return False
    prefix, colon, _ = source.partition(":")
    return not (colon and len(prefix) > 1 and prefix.isalpha() and prefix.isupper())


def resolve_source(entry: LayerEntry, base_dir: str | os.PathLike) -> str:
    """
    Return the source of `entry` as GDAL should open it.

    Relative paths are taken relative to `base_dir` (the catalogue's folder); URLs and GDAL
    connection strings (``OAPIF:...``, ``WFS:...``) are returned unchanged.

    Examples
    --------
    >>> resolve_source(LayerEntry(source="a.gpkg"), "/data/r")
    '/data/r/a.gpkg'
    >>> resolve_source(LayerEntry(source="OAPIF:https://x/ogc"), "/data/r")
    'OAPIF:https://x/ogc'
    """
    if not is_local(entry.source):
        return entry.source
    path = Path(entry.source)
    return str(path if path.is_absolute() else Path(base_dir) / path)


def is_pattern(entry: LayerEntry) -> bool:
    """Whether a local source is a pattern for several files (``imro/*.gml``)."""
    return is_local(entry.source) and glob.has_magic(entry.source)


def resolve_sources(entry: LayerEntry, base_dir: str | os.PathLike) -> list[str]:
    """
    The files of `entry`: its source, or the files its pattern matches.

    Sorted; empty when nothing matches.

    Examples
    --------
    >>> resolve_sources(LayerEntry(source="a.gpkg"), "/data/r")
    ['/data/r/a.gpkg']
    >>> resolve_sources(LayerEntry(source="no-such-folder/*.gml"), "/data/r")
    []
    """
    source = resolve_source(entry, base_dir)
    if not is_pattern(entry) or os.path.exists(source):  # a file may have [ ] in its name
        return [source]
    return sorted(p for p in glob.glob(source) if os.path.isfile(p))


def fingerprint(name: str, entry: LayerEntry, base_dir: str | os.PathLike) -> str:
    """
    Return a short key that changes when the layer's catalogue entry or file changes.

    For local files the key includes each file's size and modification time (every file a
    pattern matches), so the cache is invalidated whenever a file is written, added or removed,
    without reading it. Remote sources are keyed on the entry alone.

    Examples
    --------
    >>> len(fingerprint("cores", LayerEntry(source="missing.gpkg"), "."))
    16
    """
    stats: list[tuple[str, int, int]] = []
    if is_local(entry.source):
        for path in resolve_sources(entry, base_dir):
            if os.path.exists(path):
                st = os.stat(path)
                stats.append((os.path.realpath(path), st.st_size, st.st_mtime_ns))
    # the real path: a region folder reached through a link keeps its cached measures
    source = resolve_source(entry, base_dir)
    payload = json.dumps([name, entry.model_dump(), os.path.realpath(source), stats],
                         default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
