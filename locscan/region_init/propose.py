"""What a folder of files holds: each layer's role and field mapping, proposed."""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyogrio

from locscan.errors import RegionError
from locscan.layers import ROLES
from locscan.layers.read import gml_has_polygons

__all__ = ["Found", "Proposal", "imro", "inspect", "one_per_feature", "propose"]

_VECTOR = {".gpkg", ".geojson", ".json", ".topojson", ".shp", ".fgb", ".gml", ".kml",
           ".parquet"}
_TABLE = {".csv", ".xlsx", ".ods"}

#: (role, words in the file or layer name, field names that mark it); first match wins
_RULES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("municipalities", ("gemeente", "gemeenten", "municipal", "cbs"),
     ("statcode", "gemeentecode", "gm_code", "gemeentenaam", "statnaam")),
    ("zoning", ("bestemming", "imro", "bestemmingsplan", "zoning"),
     ("bestemmingshoofdgroep", "hoofdgroep", "bestemming")),
    ("business_parks", ("bedrijventerrein", "ibis", "business_park", "werklandschap"),
     ("ibis", "plannaam", "terreinnaam")),
    ("parcels", ("perce", "brk", "kadast", "parcel"),
     ("kadastraleaanduiding", "perceelnummer", "akrkadastralegemeentecode", "sectie")),
    ("work_sites", ("werk", "work", "bedrijf", "employer"), ("werknemers", "workers")),
    ("parking", ("parkeer", "parkeren", "parking"), ("parking", "capaciteit", "capacity",
                                                    "plaatsen")),
    ("cores", ("kern", "bebouwde", "core", "woonkern", "woonplaats"),
     ("kernnaam", "bebouwdekom", "woonplaatsnaam")),
    ("exclusions", ("natuur", "natura", "nnn", "cdda", "exclus"), ("sitecode", "natura2000")),
    ("dwellings", ("woning", "verblijfsobject", "dwelling", "pand", "bag"),
     ("gebruiksdoel", "bouwjaar", "verblijfsobject")),
    ("stops", ("halte", "stop", "ov"), ("public_transport", "halte", "stop_id")),
    ("shops", ("winkel", "supermarkt", "shop"), ("shop", "supermarkt")),
]

#: words that mark a layer as support for another (a plan's outline, labels, boundary lines)
#: when they stand after a role's word: ``Bestemmingsplangebied``, ``kadastralekaart_grens``
_SUPPORT = ("plangebied", "label", "grens", "bouwvlak", "maatvoering", "aanduiding")

#: role attribute -> source field names that usually carry it (lower case)
_FIELDS = {
    "id": ("id", "identificatie", "identificatielokaalid", "lokaalid", "perceelid", "fid_",
           "kadastraleaanduiding", "objectid", "gml_id"),
    "code": ("statcode", "gemeentecode", "gm_code", "code"),
    "name": ("statnaam", "gemeentenaam", "naam", "name", "plannaam", "terreinnaam"),
    "class": ("bestemmingshoofdgroep", "hoofdgroep", "bestemming", "klasse", "class"),
    "capacity": ("capaciteit", "capacity", "plaatsen", "aantal_plaatsen"),
    "workers": ("werknemers", "internationale_werknemers", "workers", "aantal"),
    "ownership": ("eigendom", "eigenaar", "ownership"),
    "gemeente": ("gemeentecode", "gm_code", "statcode", "gemeente"),
}
_X = ("x", "x_rd", "rd_x", "xcoord", "lon", "lng", "longitude", "lengtegraad")
_Y = ("y", "y_rd", "rd_y", "ycoord", "lat", "latitude", "breedtegraad")


@dataclass
class Found:
    """One layer found in the folder, and the role and fields proposed for it."""

    file: str
    layer: str | None
    geometry: str
    fields: list[str]
    features: int
    crs: str | None
    role: str = "other"
    mapping: dict[str, str] = field(default_factory=dict)
    table: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    polygons_behind: bool = False


@dataclass
class Proposal:
    """The layers found, by the name proposed for each."""

    folder: Path
    layers: dict[str, Found]


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower())


def _family(geometry: str) -> str | None:
    g = geometry.lower()
    return ("point" if "point" in g else "line" if "line" in g else
            "polygon" if "polygon" in g or "surface" in g else None)


def inspect(folder: str | os.PathLike) -> list[Found]:
    """
    Every layer of every file in `folder` and its subfolders that GDAL can read.

    Files and folders whose name starts with a dot (caches, ``.git``) are passed over; a file
    in a subfolder is named by its path relative to `folder`, as the catalogue's ``source``.

    Raises
    ------
    RegionError
        When the folder does not exist or holds no file that GDAL reads.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise RegionError(f"region init {folder}: not a folder")
    out: list[Found] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        suffix = path.suffix.lower()
        if (suffix not in _VECTOR | _TABLE or not path.is_file()
                or any(part.startswith(".") for part in rel.parts)):
            continue
        try:
            names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
        except Exception:
            out.append(Found(rel.as_posix(), None, "", [], 0, None,
                             notes=[_unreadable(suffix)]))
            continue
        for name in names:
            layer = name if len(names) > 1 else None
            info = pyogrio.read_info(path, layer=layer)
            geometry = str(info.get("geometry_type") or "")
            out.append(Found(rel.as_posix(), layer, geometry,
                             [str(f) for f in info["fields"]], int(info.get("features") or 0),
                             info.get("crs"), polygons_behind=(
                                 suffix == ".gml" and _family(geometry) == "point"
                                 and gml_has_polygons(str(path), layer))))
    if not out:
        raise RegionError(f"region init {folder}: no file GDAL reads (GeoPackage, GeoJSON, "
                          "Shapefile, FlatGeobuf, GML, CSV, XLSX …)")
    return out


def _families(found: Found) -> set[str] | None:
    """The geometry families a layer may hold; None when GDAL cannot say."""
    family = _family(found.geometry) or ("point" if found.table else None)
    if family is None:
        return None
    if family == "point" and found.file.lower().endswith(".gml") and found.polygons_behind:
        # GML with several geometries per feature (BRK): GDAL shows the first, a label point
        return {"point", "polygon"}
    return {family}


def _by_name(name: str, families: set[str] | None) -> str | None:
    """
    The role whose word stands furthest right in `name`.

    So the specific part of a name beats its prefix: ``kadastralekaart_pand`` is a building,
    not a parcel. A support word after it (``Bestemmingsplangebied``) means ``other``; None
    when no word matches.
    """
    best, where = None, -1
    for role, words, _ in _RULES:
        if families and not families & set(ROLES[role].geometry):
            continue
        at = max((name.rfind(w) for w in words), default=-1)
        if at > where:
            best, where = role, at
    if max(name.rfind(w) for w in _SUPPORT) > where:
        return "other"  # a support layer: no role, and its folder does not give it one
    return best


def _unreadable(suffix: str) -> str:
    """Why GDAL may not read a file, and what to do about it."""
    if suffix == ".json":
        return ("GDAL kan dit bestand niet lezen: JSON, maar geen GeoJSON (FeatureCollection); "
                "sla het op als GeoJSON of GeoPackage (QGIS: Exporteren > Objecten opslaan als)")
    return "GDAL kan dit bestand niet lezen: is het heel, en is het een GIS-bestand?"


def _role(found: Found) -> str:
    """The role of a layer: by its field names, else by its own name, else by its folder's."""
    families = _families(found)
    fields = {f.lower() for f in found.fields}
    for role, _, marks in _RULES:
        if (not families or families & set(ROLES[role].geometry)) and fields & set(marks):
            return role
    # a file with several layers (an IMRO plan's GML): the layer's own name says what it is
    if found.layer:  # one of several layers of a file: only its own name counts
        return _by_name(_words(found.layer), families) or "other"
    path = Path(found.file)
    return (_by_name(_words(path.stem), families)
            or _by_name(_words(path.parent.as_posix()), families) or "other")


#: optional attributes worth mapping, by role
_OPTIONAL = {"name": ("municipalities", "business_parks", "work_sites", "cores", "exclusions"),
             "ownership": ("parcels", "business_parks"), "workers": ("work_sites",),
             "gemeente": ("work_sites",),
             "capacity": ("parking",)}


def _mapping(role: str, fields: list[str]) -> tuple[dict[str, str], list[str]]:
    """Role attribute -> source field, and the required attributes that stay open."""
    lower = {f.lower(): f for f in fields}
    required = list(ROLES[role].required)
    optional = [a for a, roles in _OPTIONAL.items() if role in roles]
    out, open_ = {}, []
    for attr in dict.fromkeys([*required, *optional]):
        hit = next((lower[c] for c in _FIELDS.get(attr, (attr,)) if c in lower), None)
        if hit is not None:
            out[attr] = hit
        elif attr in required:
            open_.append(attr)
    return out, open_


def propose(folder: str | os.PathLike) -> Proposal:
    """Inspect `folder` and propose a role, a layer name and a field mapping for each layer."""
    layers: dict[str, Found] = {}
    for found in inspect(folder):
        if not found.fields and not found.geometry:
            layers[_words(Path(found.file).stem)] = found
            continue
        if not found.geometry and Path(found.file).suffix.lower() not in _TABLE:
            continue  # a vector file's layer without geometry is metadata (IMRO's plan info)
        if Path(found.file).suffix.lower() in _TABLE:
            lower = {f.lower(): f for f in found.fields}
            x = next((lower[c] for c in _X if c in lower), None)
            y = next((lower[c] for c in _Y if c in lower), None)
            if x and y:
                degrees = x.lower() in ("lon", "lng", "longitude", "lengtegraad")
                found.table = {"x_field": x, "y_field": y,
                               "crs": "EPSG:4326" if degrees else "EPSG:28992"}
            else:
                found.notes.append("een tabel zonder coördinaten: geef x_field en y_field, of "
                                   "wkt_field")
        found.role = _role(found)
        found.mapping, open_ = _mapping(found.role, found.fields)
        if imro(found):
            found.notes.append("IMRO-hoofdgroepen: 'classes: {class: imro}' vertaalt ze")
        if one_per_feature(found):
            found.notes.append("geen veld met het aantal plaatsen: 'values: {capacity: 1}' "
                               "telt één plaats per object")
            open_ = [a for a in open_ if a != "capacity"]
        for attr in open_:
            found.notes.append(f"vul in: welk veld is {attr!r}? (velden: "
                               f"{', '.join(found.fields[:12])})")
        if found.crs is None and not found.table:
            found.notes.append("geen CRS in het bestand: geef 'crs:' (RD New: EPSG:28992)")
        base = found.role if found.role != "other" else _words(
            found.layer or Path(found.file).stem).strip("_")
        name, n = base, 1
        while name in layers:
            n += 1
            name = f"{base}_{n}"
        layers[name] = found
    return Proposal(Path(folder), _joined(Path(folder), layers))


def _joined(folder: Path, layers: dict[str, Found]) -> dict[str, Found]:
    """
    Layers of one role read alike from several files of one folder become one pattern.

    Two IMRO plans' ``Enkelbestemming`` layers are one zoning layer (``imro/NL.IMRO.*.gml``),
    as long as the pattern matches exactly those files.
    """
    groups: dict[tuple, list[str]] = {}
    for name, f in layers.items():
        if f.role != "other":
            key = (f.role, Path(f.file).parent.as_posix(), Path(f.file).suffix.lower(), f.layer,
                   tuple(sorted(f.mapping.items())), tuple(sorted(f.table.items())))
            groups.setdefault(key, []).append(name)
    out = dict(layers)
    for names in (g for g in groups.values() if len(g) > 1):
        files = sorted({layers[n].file for n in names})
        parent, suffix = Path(files[0]).parent, Path(files[0]).suffix
        stems = [Path(f).stem for f in files]
        same = [len(set(chars)) == 1 for chars in zip(*stems, strict=False)]
        prefix = stems[0][:same.index(False) if False in same else len(same)]  # characters
        # at a word's end if that matches the same files (NL.IMRO.0202.*.gml)
        tried = [prefix[:max(prefix.rfind(c) for c in "._- ") + 1], prefix]
        pattern = next((p for p in ((parent / f"{glob.escape(t)}*{suffix}").as_posix()
                                    for t in tried)
                        if {q.relative_to(folder).as_posix() for q in folder.glob(p)}
                        == set(files)), None)
        if len(files) < 2 or pattern is None:
            continue
        first = layers[names[0]]
        joined = replace(first, file=pattern, features=sum(layers[n].features for n in names),
                         notes=list(dict.fromkeys(x for n in names for x in layers[n].notes)))
        joined.notes.append(f"{len(files)} bestanden samen als één laag: {', '.join(files)}")
        for n in names:
            del out[n]
        out[names[0]] = joined
    return out


def imro(found: Found) -> bool:
    """A zoning layer whose classes are IMRO's main groups (``classes: {class: imro}``)."""
    return (found.role == "zoning" and "class" in found.mapping
            and "hoofdgroep" in found.mapping["class"].lower())


def one_per_feature(found: Found) -> bool:
    """A parking layer without a capacity field: one place per feature."""
    return found.role == "parking" and "capacity" not in found.mapping


