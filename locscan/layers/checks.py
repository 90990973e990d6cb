"""Checks of a layer as loaded: geometry types, numbers, ids, and a history of versions.

What was done to a layer (repairs, unknown values) goes into its :class:`LoadReport`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from locscan.chunks import in_chunks
from locscan.errors import LayerError
from locscan.layers.catalogue import Role
from locscan.layers.read import where

__all__ = ["LoadReport", "check_attributes", "check_geometry", "check_unique",
           "history_warning"]

_FAMILY = {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}


@dataclass
class LoadReport:
    """What happened while loading one layer, for logs and provenance.

    Attributes
    ----------
    layer, source
        Layer name and where it was read from.
    features
        Features read from the source.
    dropped_empty
        Features dropped because their geometry was empty or missing.
    repaired
        Row labels (ids when the role has them) of geometries made valid.
    reprojected_from
        The source CRS when the layer was reprojected, else ``None``.
    non_numeric
        Per numeric attribute, how many values were not numbers and became unknown.
    negative
        Per numeric attribute, how many values were negative and became unknown.
    unclassified
        Per attribute with ``classes``, the distinct values no pattern matched.
    """

    layer: str
    source: str
    features: int = 0
    dropped_empty: int = 0
    repaired: list[Any] = field(default_factory=list)
    reprojected_from: str | None = None
    non_numeric: dict[str, int] = field(default_factory=dict)
    negative: dict[str, int] = field(default_factory=dict)
    unclassified: dict[str, list] = field(default_factory=dict)


def check_geometry(
    name: str, gdf: gpd.GeoDataFrame, role: Role, report: LoadReport, source: str
) -> gpd.GeoDataFrame:
    """
    Drop empty geometries (warned), refuse the wrong geometry type, repair invalid ones.

    Raises
    ------
    LayerError
        When features have a geometry type the role does not take.
    """
    geoms = gdf.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        report.dropped_empty = int(empty.sum())
        warnings.warn(
            f"{where(name, source)}: dropped {report.dropped_empty} features with an empty or "
            "missing geometry",
            stacklevel=3,
        )
        gdf = gdf.loc[~empty]
        geoms = geoms[~empty]
    invalid = ~in_chunks(lambda part: shapely.is_valid(geoms[part]), len(geoms))
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        geoms = geoms.copy()
        geoms[invalid] = fixed
        label = gdf[role.unique] if role.unique and role.unique in gdf else gdf.index.to_series()
        report.repaired = label[invalid].tolist()
        shown = ", ".join(map(str, report.repaired[:10]))
        warnings.warn(
            f"{where(name, source)}: repaired {int(invalid.sum())} invalid geometries with "
            f"make_valid ({shown}{', ...' if invalid.sum() > 10 else ''})",
            stacklevel=3,
        )
        gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))
    families = pd.Series(shapely.get_type_id(geoms)).map(_FAMILY)
    wrong = families.isna() | ~families.isin(role.geometry)
    if wrong.any():
        kinds = sorted(set(shapely.get_type_id(geoms[wrong.to_numpy()]).tolist()))
        names = [shapely.GeometryType(k).name.title().replace("_", "") for k in kinds]
        raise LayerError(
            f"{where(name, source)}: {int(wrong.sum())} features have geometry type "
            f"{', '.join(names)}; this role needs {' or '.join(role.geometry)}"
        )
    return gdf


def check_attributes(
    name: str, gdf: gpd.GeoDataFrame, role: Role, report: LoadReport, source: str
) -> gpd.GeoDataFrame:
    """
    Numbers that are not numbers, and negative counts, become unknown (warned).

    Ids must be unique (:func:`check_unique`).
    """
    for attr in role.numeric:
        if attr not in gdf:
            continue
        values = gdf[attr]
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        bad = values.notna() & numbers.isna()
        if bad.any():
            report.non_numeric[attr] = int(bad.sum())
            examples = ", ".join(repr(v) for v in values[bad].unique()[:5])
            warnings.warn(
                f"{where(name, source)}: field {attr!r} has {int(bad.sum())} values that are "
                f"not numbers ({examples}); they count as unknown",
                stacklevel=3,
            )
        negative = numbers < 0
        if negative.any():
            report.negative[attr] = int(negative.sum())
            warnings.warn(
                f"{where(name, source)}: field {attr!r} has {int(negative.sum())} negative "
                "values; a count cannot be negative, so they count as unknown",
                stacklevel=3,
            )
            numbers = numbers.mask(negative)
        gdf[attr] = numbers
    return check_unique(name, gdf, role, source)


def check_unique(name: str, gdf: gpd.GeoDataFrame, role: Role,
                  source: str) -> gpd.GeoDataFrame:
    """The role's identifying attribute without nulls or duplicates, as text."""
    if role.unique and role.unique in gdf:
        key = gdf[role.unique]
        problems = []
        if key.isna().any():
            problems.append(f"{int(key.isna().sum())} features have no {role.unique!r}")
        dupes = key[key.duplicated() & key.notna()]
        if len(dupes):
            shown = ", ".join(map(str, dupes.unique()[:5]))
            problems.append(f"{len(dupes)} duplicate values of {role.unique!r} ({shown})")
        if problems:
            raise LayerError(f"{where(name, source)}: {'; '.join(problems)}")
        gdf[role.unique] = key.astype(str)
    return gdf


#: names the results give their own columns: a source field of that name is kept as bron_<name>
_GONE = ("gesloopt", "niet gerealiseerd", "ten onrechte", "ingetrokken")


def history_warning(gdf: pd.DataFrame) -> str | None:
    """
    Why a layer seems to hold history (as a full BAG extract does), or None.

    Three signs: several rows for one ``identificatie``, rows with an ``eindGeldigheid``
    (ended versions), and rows whose status says the object does not stand.

    Examples
    --------
    >>> t = pd.DataFrame({"identificatie": ["1", "1", "2"],
    ...                   "eindGeldigheid": ["2019-01-01", None, None],
    ...                   "status": ["Pand in gebruik", "Pand gesloopt", "Pand in gebruik"]})
    >>> for part in history_warning(t).split("; "):
    ...     print(part)
    3 rows for 2 distinct identificatie (several versions of one object)
    1 with an eindGeldigheid (ended versions)
    1 with status 'Pand gesloopt'
    keep the current ones with 'where:', e.g. where: "eindGeldigheid IS NULL AND ...'"
    >>> history_warning(pd.DataFrame({"identificatie": ["1", "2"]})) is None
    True
    """
    # the source's own names, also where loading kept them as bron_<name> (see _kept)
    columns = {str(c).lower().removeprefix("bron_"): c for c in gdf.columns}
    found = []
    for key in ("identificatie", "lokaalid"):
        if key in columns:
            ids = gdf[columns[key]].dropna()
            if ids.duplicated().any():
                found.append(f"{len(ids)} rows for {ids.nunique()} distinct {columns[key]} "
                             "(several versions of one object)")
            break
    if "eindgeldigheid" in columns:
        ended = int(gdf[columns["eindgeldigheid"]].notna().sum())
        if ended:
            found.append(f"{ended} with an {columns['eindgeldigheid']} (ended versions)")
    if "status" in columns:
        status = gdf[columns["status"]].astype("string")
        gone = status[status.str.lower().str.contains("|".join(_GONE), na=False)]
        if len(gone):
            shown = ", ".join(repr(v) for v in gone.value_counts().index[:3])
            found.append(f"{len(gone)} with status {shown}")
    if not found:
        return None
    return ("; ".join(found) + "; keep the current ones with 'where:', e.g. where: "
            "\"eindGeldigheid IS NULL AND status = 'Pand in gebruik'\"")
