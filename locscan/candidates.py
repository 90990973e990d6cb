"""Build the candidate table: parcels and business-park plots with gemeente and subregio.

A candidate is one unit that the criteria judge. Its id is ``<source>:<id>`` (``perceel:123``,
``bedrijventerrein:7``), so parcels and business parks never collide. Each candidate gets the
gemeente whose polygon holds its representative point, and that gemeente's subregio from the
region metadata. Candidates outside every gemeente of the region are dropped, with a warning
that says how many.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import pandas as pd
import shapely

from locscan import _cache, settings
from locscan.errors import RegionError
from locscan.layers.places import municipality_of
from locscan.region import Region, RegionMeta

__all__ = ["SOURCES", "candidates_for_region", "candidates_from_frames", "municipality_of"]

#: role of the layer -> source label in candidate ids
SOURCES = {"parcels": "perceel", "business_parks": "bedrijventerrein"}

_BASE_COLUMNS = ["source", "layer", "source_id", "gemeente_code", "gemeente", "subregio", "area_m2"]


def _as_candidates(gdf: gpd.GeoDataFrame, source: str, layer: str) -> gpd.GeoDataFrame:
    ids = source + ":" + gdf["id"].astype(str)
    extra = gdf.drop(columns=["id", gdf.geometry.name])
    out = gpd.GeoDataFrame(
        {"source": source, "layer": layer, "source_id": gdf["id"].astype(str).to_numpy()},
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
        index=pd.Index(ids.to_numpy(), name="candidate_id"),
    )
    for col in extra.columns:
        out[col] = extra[col].to_numpy()
    return out


def candidates_from_frames(
    frames: dict[str, tuple[str, gpd.GeoDataFrame]],
    municipalities: gpd.GeoDataFrame,
    meta: RegionMeta,
) -> gpd.GeoDataFrame:
    """
    Combine parcel and business-park layers into one candidate table.

    Parameters
    ----------
    frames
        Layer name -> (source label, layer with an ``id`` column), all in EPSG:28992.
    municipalities
        Municipality polygons with a ``code`` column.
    meta
        Region metadata: which codes belong to the region and their subregio.

    Returns
    -------
    GeoDataFrame
        Indexed by ``candidate_id``; columns ``source``, ``layer``, ``source_id``,
        ``gemeente_code``, ``gemeente``, ``subregio``, ``area_m2``, the layers' own attributes
        and ``geometry``.

    Raises
    ------
    RegionError
        When no layer is given, ids collide between layers, or no municipality code of the
        layer is a municipality of the region.
    """
    if not frames:
        raise RegionError(f"region {meta.name!r}: no parcels or business_parks layer to judge")
    parts = [_as_candidates(gdf, source, name) for name, (source, gdf) in frames.items()]
    cands = pd.concat(parts)
    dupes = cands.index[cands.index.duplicated()]
    if len(dupes):
        raise RegionError(
            f"candidate ids collide between layers {', '.join(frames)}: "
            f"{', '.join(dupes[:5])}; give these layers different roles or ids"
        )
    codes = {m.code: m for m in meta.municipalities}
    layer_codes = set(municipalities["code"].astype(str))
    if not layer_codes & set(codes):
        raise RegionError(
            f"region {meta.name!r}: none of the municipality codes in the municipalities layer "
            f"({', '.join(sorted(layer_codes)[:5])}, ...) is in region.yaml "
            f"({', '.join(sorted(codes)[:5])}, ...)"
        )
    code = municipality_of(cands.geometry, municipalities)
    inside = code.isin(list(codes))
    found = sorted(set(code[~inside].dropna().astype(str)))
    where = (f"they lie in gemeenten {', '.join(found[:8])} of the municipalities layer"
             if found else "they lie in no gemeente of the municipalities layer")
    if not inside.any():
        raise RegionError(
            f"region {meta.name!r}: none of the {len(cands)} candidates lies in a gemeente of "
            f"the region ({where}; region.yaml lists {', '.join(sorted(codes)[:8])}"
            f"{', ...' if len(codes) > 8 else ''}). Check the CRS of the parcels and the "
            "municipalities, and that region.yaml lists the right gemeenten"
        )
    if not inside.all():
        warnings.warn(
            f"region {meta.name!r}: {int((~inside).sum())} of {len(cands)} candidates lie outside "
            f"every gemeente of the region and are not judged ({where})",
            stacklevel=2,
        )
    cands = cands.loc[inside.to_numpy()].copy()
    code = code[inside]
    # as categoricals: a few distinct values, compared and filtered many times
    cands["gemeente_code"] = pd.Categorical(code.to_numpy())
    cands["gemeente"] = pd.Categorical(code.map({c: m.name for c, m in codes.items()}))
    cands["subregio"] = pd.Categorical(code.map({c: m.subregio for c, m in codes.items()}))
    cands["area_m2"] = shapely.area(cands.geometry.to_numpy())
    ordered = _BASE_COLUMNS + [c for c in cands.columns if c not in [*_BASE_COLUMNS, "geometry"]]
    return cands[[*ordered, "geometry"]]


def candidates_key(region: Region) -> str:
    """Cache key of the candidate table of `region`."""
    names = [n for role in SOURCES for n in region.layers_with_role(role)]
    names += region.layers_with_role("municipalities")
    return _cache.key(region.meta_fingerprint, [region.fingerprint(n) for n in names])


def candidates_for_region(region: Region, *, cache: bool | None = None) -> gpd.GeoDataFrame:
    """
    Return the candidate table of `region`, from the cache when its layers did not change.

    Parameters
    ----------
    region
        An open region.
    cache
        Read and write the cache; defaults to :data:`locscan.settings.use_cache`.
    """
    cache = settings.use_cache if cache is None else cache
    path = region.cache_dir / f"candidates-{candidates_key(region)}.geo.arrow"
    if cache and (hit := _cache.read(path)) is not None:
        return hit.astype(dict.fromkeys(["gemeente_code", "gemeente", "subregio"], "category"))
    muni = region.layers_with_role("municipalities")
    if not muni:
        raise RegionError(
            f"region folder {region.folder}: the catalogue has no municipalities layer; "
            "candidates need it for their gemeente and subregio"
        )
    frames = {
        name: (source, region.layer(name))
        for role, source in SOURCES.items()
        for name in region.layers_with_role(role)
    }
    cands = candidates_from_frames(frames, region.layer(muni[0]), region.meta)
    if cache:
        _cache.write(path, cands)
    return cands
