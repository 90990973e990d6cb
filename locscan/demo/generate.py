"""The demo's layers, generated from a seed over the real geography of a region's metadata."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locscan import settings
from locscan.errors import RegionError
from locscan.layers.read import polygonal_parts
from locscan.region import RegionMeta

__all__ = ["OWNERSHIP", "ZONING_CLASSES", "generate", "municipality_cells"]

ZONING_CLASSES = (
    "Wonen", "Bedrijventerrein", "Agrarisch", "Recreatie", "Natuur", "Gemengd", "Maatschappelijk",
)
OWNERSHIP = ("particulier", "bedrijf", "gemeente", "woningcorporatie", "provincie", "Rijk")
_OWNERSHIP_P = (0.52, 0.18, 0.12, 0.08, 0.04, 0.06)

def _some(geoms: np.ndarray) -> np.ndarray:
    """Whether each geometry is there and not empty."""
    return shapely.is_geometry(geoms) & ~shapely.is_empty(geoms)


def _disc(x: np.ndarray, y: np.ndarray, r: np.ndarray, rng: np.random.Generator,
          quad_segs: int = 6) -> np.ndarray:
    """Irregular round polygons: buffered points stretched and turned at random."""
    polys = shapely.buffer(shapely.points(x, y), r, quad_segs=quad_segs)
    coords = shapely.get_coordinates(polys)
    counts = shapely.get_num_coordinates(polys)
    which = np.repeat(np.arange(len(x)), counts)
    stretch = rng.uniform(0.7, 1.3, len(x))[which]
    angle = rng.uniform(0, np.pi, len(x))[which]
    dx, dy = coords[:, 0] - x[which], coords[:, 1] - y[which]
    cos, sin = np.cos(angle), np.sin(angle)
    u, v = dx * stretch, dy / stretch
    coords = np.column_stack([x[which] + u * cos - v * sin, y[which] + u * sin + v * cos])
    return shapely.set_coordinates(polys.copy(), coords)


def _points_in(
    polys: np.ndarray, n: int, rng: np.random.Generator, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`n` random points inside `polys` (weighted by area or `weights`), with the polygon index."""
    w = shapely.area(polys) if weights is None else weights
    if not len(polys) or not w.sum() > 0:  # nothing to put them in (no park in a gemeente)
        return np.empty(0, dtype=object), np.empty(0, dtype=int)
    which = rng.choice(len(polys), size=n, p=w / w.sum())
    bounds = shapely.bounds(polys)
    out = np.empty(n, dtype=object)
    todo = np.arange(n)
    for _ in range(50):  # rejection sampling: a fixed number of vectorised rounds
        b = bounds[which[todo]]
        pts = shapely.points(rng.uniform(b[:, 0], b[:, 2]), rng.uniform(b[:, 1], b[:, 3]))
        ok = shapely.contains_xy(polys[which[todo]], *shapely.get_coordinates(pts).T)
        out[todo[ok]] = pts[ok]
        todo = todo[~ok]
        if not len(todo):
            break
    else:  # pathological shapes: use a point on the surface for the few left
        out[todo] = shapely.point_on_surface(polys[which[todo]])
    return out, which


def municipality_cells(meta: RegionMeta) -> gpd.GeoDataFrame:
    """Schematic municipality shapes: Voronoi cells around the centres, within their reach."""
    centres = np.array([m.centre for m in meta.municipalities], dtype=float)
    areas = np.array([m.area_km2 for m in meta.municipalities], dtype=float) * 1e6
    radius = np.sqrt(areas / np.pi) * 1.25
    outline = shapely.union_all(shapely.buffer(shapely.points(centres), radius))
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(centres), extend_to=outline, ordered=True)
    )
    cells = shapely.intersection(cells, outline)
    return gpd.GeoDataFrame(
        {"statcode": [m.code for m in meta.municipalities],
         "statnaam": [m.name for m in meta.municipalities]},
        geometry=cells, crs=settings.crs,
    )


def _cores(mun: gpd.GeoDataFrame, meta: RegionMeta, rng: np.random.Generator):
    areas = np.array([m.area_km2 for m in meta.municipalities])
    centres = np.array([m.centre for m in meta.municipalities], dtype=float)
    main_r = 250.0 * np.sqrt(areas)
    n_villages = 1 + (areas // 25).astype(int)
    cells = mun.geometry.to_numpy()
    vil_pts, vil_mun = _points_in(cells, int(n_villages.sum()), rng, weights=n_villages * 1.0)
    vxy = shapely.get_coordinates(vil_pts)
    x = np.concatenate([centres[:, 0], vxy[:, 0]])
    y = np.concatenate([centres[:, 1], vxy[:, 1]])
    r = np.concatenate([main_r, rng.uniform(300, 700, len(vxy))])
    owner = np.concatenate([np.arange(len(cells)), vil_mun])
    polys = polygonal_parts(shapely.intersection(_disc(x, y, r, rng), cells[owner]))
    names = [m.name for m in meta.municipalities]
    label = [names[o] if i < len(cells) else f"Dorp {i - len(cells) + 1} ({names[o]})"
             for i, o in enumerate(owner)]
    return gpd.GeoDataFrame({"naam": label}, geometry=polys, crs=settings.crs), x, y, r, owner


def _business_parks(cx, cy, cr, owner, mun, rng):
    main = np.arange(len(mun))
    n = 1 + (shapely.area(mun.geometry.to_numpy()) // 30e6).astype(int)
    which = np.repeat(main, n)
    angle = rng.uniform(0, 2 * np.pi, len(which))
    dist = cr[which] + rng.uniform(400, 1500, len(which))
    x, y = cx[which] + dist * np.cos(angle), cy[which] + dist * np.sin(angle)
    radius = rng.uniform(230, 560, len(which))
    shapes = _disc(x, y, radius, rng, quad_segs=2)  # stretched octagons, turned at random
    boxes = polygonal_parts(shapely.intersection(shapes,
                                                 shapely.union_all(mun.geometry.to_numpy())))
    owner = rng.choice(["gemeente", "bedrijf", "particulier"], len(which), p=[0.4, 0.45, 0.15])
    kept = np.flatnonzero(_some(boxes))  # a park cut away by the land's edge is none
    return gpd.GeoDataFrame(
        {"id": [f"BT{i + 1:03d}" for i in kept],
         "naam": [f"Bedrijventerrein {i + 1}" for i in kept], "eigendom": owner[kept]},
        geometry=boxes[kept], crs=settings.crs,
    )


def _parcels(mun: gpd.GeoDataFrame, n: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """
    Irregular parcels that tile the municipalities' land, as cadastral parcels do.

    Voronoi cells around random points (denser in some places than others, so sizes vary a
    lot), clipped to the municipalities: not axis-aligned, about seven vertices on average,
    slivers and multipolygons where a cell crosses a municipal border, and a few parcels with
    a hole (an enclave of another owner).
    """
    cells = mun.geometry.to_numpy()
    land = shapely.union_all(cells)
    density = rng.gamma(1.5, 1.0, len(cells)) * shapely.area(cells)  # busier and quieter places
    pts, _ = _points_in(cells, n, rng, weights=density)
    voronoi = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts),
                                                         extend_to=land))
    i_cell, i_mun = shapely.STRtree(cells).query(voronoi, predicate="intersects")
    pieces = shapely.make_valid(shapely.intersection(voronoi[i_cell], cells[i_mun]))
    parts, index = shapely.get_parts(pieces, return_index=True)
    polygon = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 20)
    parts, index = parts[polygon], index[polygon]  # no lines or points left by clipping
    pieces = shapely.multipolygons(parts, indices=np.unique(index, return_inverse=True)[1])
    single = shapely.get_num_geometries(pieces) == 1
    pieces[single] = shapely.get_geometry(pieces[single], 0)
    holes = rng.random(len(pieces)) < 0.02
    inner = shapely.point_on_surface(pieces[holes])
    size = np.sqrt(shapely.area(pieces[holes])) * 0.15
    pieces[holes] = shapely.difference(pieces[holes], shapely.buffer(inner, size, quad_segs=3))
    ids = pd.Series(np.arange(1, len(pieces) + 1)).map("P{:07d}".format).to_numpy()
    owner = rng.choice(OWNERSHIP, len(pieces), p=_OWNERSHIP_P).astype(object)
    owner[rng.random(len(pieces)) < 0.03] = None  # ownership not known for a few parcels
    return gpd.GeoDataFrame({"id": ids, "eigendom": owner}, geometry=pieces, crs=settings.crs)


def _zoning(mun, cores, parks, nature, n, rng) -> gpd.GeoDataFrame:
    cells = mun.geometry.to_numpy()
    land = shapely.union_all(cells)
    seeds, _ = _points_in(cells, max(50, n // 11), rng)  # zoning areas: about 11 parcels each
    blocks = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds),
                                                        extend_to=land))
    blocks = blocks[shapely.intersects(blocks, land)]
    centre = shapely.centroid(blocks)
    u = rng.random(len(blocks))
    cls = np.where(u < 0.85, "Agrarisch", np.where(u < 0.94, "Recreatie", "Wonen")).astype(object)
    in_core = shapely.intersects(shapely.union_all(cores.geometry.to_numpy()), centre)
    cls[in_core] = rng.choice(["Wonen", "Gemengd", "Maatschappelijk"], int(in_core.sum()),
                              p=[0.7, 0.18, 0.12])
    keep = rng.random(len(blocks)) > 0.04  # a few areas without a zoning plan: unknown
    # zoning areas do not overlap: overlapping parks and nature areas are dissolved first
    park_geoms = shapely.get_parts(shapely.union_all(parks.geometry.to_numpy()))
    nature_geoms = shapely.get_parts(shapely.difference(
        shapely.union_all(nature.geometry.to_numpy()), shapely.union_all(park_geoms)))
    cut = shapely.union_all(np.concatenate([park_geoms, nature_geoms]))
    pieces = shapely.intersection(shapely.difference(blocks[keep], cut), land)
    pieces = np.concatenate([pieces, park_geoms, nature_geoms])
    cls = np.concatenate([cls[keep], np.repeat("Bedrijventerrein", len(park_geoms)),
                          np.repeat("Natuur", len(nature_geoms))])
    pieces = shapely.make_valid(pieces)
    ok = ~shapely.is_empty(pieces) & np.isin(shapely.get_type_id(pieces), [3, 6])
    return gpd.GeoDataFrame({"bestemming": cls[ok]}, geometry=pieces[ok], crs=settings.crs)


def _nature(mun, cores, rng) -> gpd.GeoDataFrame:
    cells = mun.geometry.to_numpy()
    n = max(4, len(cells) // 2)
    pts, _ = _points_in(cells, n, rng)
    xy = shapely.get_coordinates(pts)
    blobs = _disc(xy[:, 0], xy[:, 1], rng.uniform(700, 2200, n), rng)
    blobs = shapely.difference(blobs, shapely.union_all(cores.geometry.to_numpy()))
    blobs = polygonal_parts(shapely.intersection(blobs, shapely.union_all(cells)))
    blobs = blobs[_some(blobs)]  # a blob that lay inside a core is gone
    return gpd.GeoDataFrame({"naam": [f"Natuurgebied {i + 1}" for i in range(len(blobs))]},
                            geometry=blobs, crs=settings.crs)


def _work_sites(parks, mun, meta, rng) -> gpd.GeoDataFrame:
    park_geoms = parks.geometry.to_numpy()
    n_park = len(park_geoms) * 6
    in_park, _ = _points_in(park_geoms, n_park, rng)
    rural, _ = _points_in(mun.geometry.to_numpy(), max(10, n_park // 3), rng)
    pts = np.concatenate([in_park, rural])
    codes = mun["statcode"].to_numpy()
    tree = shapely.STRtree(mun.geometry.to_numpy())
    i_pt, i_mun = tree.query(pts, predicate="within")
    first = np.unique(i_pt, return_index=True)[1]
    code = np.full(len(pts), None, dtype=object)
    code[i_pt[first]] = codes[i_mun[first]]
    sub_of = {m.code: m.subregio for m in meta.municipalities}
    subregio = np.array([sub_of.get(c) for c in code], dtype=object)
    workers = np.zeros(len(pts), dtype=int)
    for name, task in meta.subregios.items():  # a loop over the few subregios, not features
        idx = np.flatnonzero(subregio == name)
        share = rng.dirichlet(np.full(len(idx), 0.8))
        workers[idx] = rng.multinomial(task.total_working, share)
    keep = pd.notna(subregio)
    n = int(keep.sum())
    return gpd.GeoDataFrame(
        {"id": [f"W{i + 1:04d}" for i in range(n)],
         "naam": [f"Werklocatie {i + 1}" for i in range(n)],
         "internationale_werknemers": workers[keep],
         "gemeente": code[keep]},
        geometry=pts[keep], crs=settings.crs,
    )


def _scatter(cores, mun, n, core_share, rng) -> np.ndarray:
    n_core = int(n * core_share)
    in_core, _ = _points_in(cores.geometry.to_numpy(), n_core, rng)
    rural, _ = _points_in(mun.geometry.to_numpy(), n - n_core, rng)
    return np.concatenate([in_core, rural])


def generate(meta: RegionMeta, *, parcels: int = 20_000, seed: int | np.random.SeedSequence = 42,
             municipalities: gpd.GeoDataFrame | None = None) -> dict:
    """
    Generate every demo layer for the municipalities in `meta`.

    Parameters
    ----------
    meta
        Region metadata whose municipalities have ``centre`` and ``area_km2``.
    parcels
        About how many parcels to make; the other layers scale with it where that makes sense.
    seed
        Seed of the random generator: the same seed gives the same layers.
    municipalities
        The municipalities' shapes (``statcode``, ``statnaam``), when they come from a larger
        whole (the national demo makes one gemeente at a time); else Voronoi cells around the
        centres of `meta`.

    Returns
    -------
    dict
        Layer name (a role) -> GeoDataFrame in EPSG:28992 with the source field names of
        :data:`CATALOGUE`.
    """
    missing = [m.name for m in meta.municipalities if m.centre is None or m.area_km2 is None]
    if missing:
        raise RegionError(f"region {meta.name!r}: municipalities without centre/area_km2 "
                          f"(the demo places its layers there): {', '.join(missing)}")
    rng = np.random.default_rng(seed)
    mun = municipality_cells(meta) if municipalities is None else municipalities
    cores, cx, cy, cr, owner = _cores(mun, meta, rng)
    parks = _business_parks(cx, cy, cr, owner, mun, rng)
    nature = _nature(mun, cores, rng)
    n_points = max(200, parcels // 20)
    parking_pts = _scatter(cores, mun, n_points, 0.7, rng)
    capacity = rng.integers(8, 400, len(parking_pts)).astype(float)
    capacity[rng.random(len(parking_pts)) < 0.15] = np.nan  # capacity unknown in the source
    return {
        "municipalities": mun,
        "cores": cores,
        "business_parks": parks,
        "exclusions": nature,
        "parcels": _parcels(mun, parcels, rng),
        "zoning": _zoning(mun, cores, parks, nature, parcels, rng),
        "work_sites": _work_sites(parks, mun, meta, rng),
        "parking": gpd.GeoDataFrame({"capaciteit": capacity}, geometry=parking_pts,
                                    crs=settings.crs),
        "dwellings": gpd.GeoDataFrame(geometry=_scatter(cores, mun, parcels // 2, 0.85, rng),
                                      crs=settings.crs),
        "stops": gpd.GeoDataFrame(geometry=_scatter(cores, mun, max(50, parcels // 100), 0.6,
                                                    rng), crs=settings.crs),
        "shops": gpd.GeoDataFrame(geometry=_scatter(cores, mun, max(20, parcels // 400), 0.9,
                                                    rng), crs=settings.crs),
    }
