"""Measures: one value per candidate, declared as data and computed vectorised, then cached.

A measure is a :class:`MeasureSpec`: a name (the column it fills, with its unit in the name by
convention: ``dist_work_site_m``), a kind, the layer it reads and the kind's parameters. A kind
is a small pure function that takes the candidates and one layer and returns a frame indexed like
the candidates: its ``value`` column becomes the measure, other columns become
``<name>__<column>`` (for example the id of the nearest work site). Missing values (NaN/None)
mean "unknown" and are never filled in.

Every kind queries one ``shapely.STRtree`` for index pairs and aggregates them with numpy; none
loops over features in Python. :func:`compute_for_region` caches each measure on disk, keyed by
the measure's spec and the contents of the layers it reads, so changing a threshold never
recomputes geometry.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict

from locscan import _cache, settings
from locscan.candidates import candidates_for_region, candidates_key
from locscan.errors import MeasureError
from locscan.region import Region

__all__ = [
    "KINDS",
    "MeasureSpec",
    "area",
    "as_categories",
    "attribute",
    "check_specs",
    "compute",
    "compute_for_region",
    "count_within",
    "distance_to",
    "dominant_attribute",
    "network_distance_to",
    "overlap_fraction",
    "sum_within",
]

#: bump when a kind's results change, so old caches are not used
MEASURES_VERSION = 1


def _geoms(candidates: gpd.GeoDataFrame) -> np.ndarray:
    return candidates.geometry.to_numpy()


def _frame(candidates: gpd.GeoDataFrame, **columns: Any) -> pd.DataFrame:
    return pd.DataFrame(columns, index=candidates.index)


def _field(layer: gpd.GeoDataFrame, name: str) -> np.ndarray:
    if name not in layer.columns:
        found = ", ".join(c for c in layer.columns if c != layer.geometry.name)
        raise MeasureError(
            f"layer {layer.attrs.get('locscan_layer', '?')!r}: field {name!r} missing; "
            f"found: {found or 'none'}"
        )
    return layer[name].to_numpy()


def distance_to(
    candidates: gpd.GeoDataFrame,
    layer: gpd.GeoDataFrame,
    *,
    max_distance: float | None = None,
    fields: Iterable[str] = (),
) -> pd.DataFrame:
    """
    Exact distance in metres from each candidate to the nearest feature of `layer`.

    Parameters
    ----------
    candidates
        Candidates, EPSG:28992.
    layer
        Target features (work sites, stops, ...), same CRS.
    max_distance
        Search radius in metres; candidates with nothing inside it get NaN (unknown).
    fields
        Attributes of the nearest feature to return as extra columns (e.g. ``id``).

    Returns
    -------
    DataFrame
        ``value`` (metres, 0 when the candidate touches a feature) and one column per field.

    Examples
    --------
    >>> from shapely import Point, box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(5000, 0, 5010, 10)],
    ...                          crs=28992)
    >>> sites = gpd.GeoDataFrame({"id": ["A"]}, geometry=[Point(310, 410)], crs=28992)
    >>> distance_to(cands, sites, fields=["id"]).round().values.tolist()
    [[500.0, 'A'], [4707.0, 'A']]
    """
    fields = list(fields)
    values = np.full(len(candidates), np.nan)
    extra = {f: np.full(len(candidates), None, dtype=object) for f in fields}
    if len(layer):
        tree = shapely.STRtree(layer.geometry.to_numpy())
        (i_c, i_l), dist = tree.query_nearest(
            _geoms(candidates), max_distance=max_distance, return_distance=True,
            all_matches=False,
        )
        values[i_c] = dist
        for f in fields:
            extra[f][i_c] = _field(layer, f)[i_l]
    return _frame(candidates, value=values, **extra)


def count_within(
    candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, *, distance: float
) -> pd.DataFrame:
    """
    Number of features of `layer` within `distance` metres of each candidate (inclusive).

    Examples
    --------
    >>> from shapely import Point, box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10)], crs=28992)
    >>> pts = gpd.GeoDataFrame(geometry=[Point(410, 5), Point(411, 5)], crs=28992)
    >>> count_within(cands, pts, distance=400)["value"].tolist()
    [1.0]
    """
    i_c, _ = _pairs_within(candidates, layer, distance)
    return _frame(candidates, value=np.bincount(i_c, minlength=len(candidates)).astype(float))


def _pairs_within(
    candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, distance: float
) -> tuple[np.ndarray, np.ndarray]:
    if not len(layer):
        return np.empty(0, dtype=int), np.empty(0, dtype=int)
    tree = shapely.STRtree(layer.geometry.to_numpy())
    return tree.query(_geoms(candidates), predicate="dwithin", distance=distance)


def sum_within(
    candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, *, distance: float, field: str
) -> pd.DataFrame:
    """
    Sum of `field` over the features within `distance` metres of each candidate (inclusive).

    Features whose `field` is unknown are not guessed: ``value`` sums the known values and
    ``unknown`` counts the features in reach without a value, so the sum is a lower bound
    wherever ``unknown > 0``.

    Examples
    --------
    >>> from shapely import Point, box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10)], crs=28992)
    >>> parking = gpd.GeoDataFrame({"capacity": [20, None, 50]},
    ...     geometry=[Point(410, 5), Point(5, 20), Point(900, 0)], crs=28992)
    >>> sum_within(cands, parking, distance=400, field="capacity").values.tolist()
    [[20.0, 1.0]]
    """
    values = pd.to_numeric(pd.Series(_field(layer, field)), errors="coerce").to_numpy(float)
    i_c, i_l = _pairs_within(candidates, layer, distance)
    known = ~np.isnan(values[i_l])
    n = len(candidates)
    total = np.bincount(i_c, weights=np.where(known, values[i_l], 0.0), minlength=n)
    unknown = np.bincount(i_c, weights=(~known).astype(float), minlength=n)
    return _frame(candidates, value=total, unknown=unknown)


def _axis_rectangles(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """
    Which geometries fill their bounding box (axis-aligned rectangles), and the bounds of all.

    A polygonal geometry whose area equals its bounding box's area covers that box, so its
    intersection with another such geometry is the overlap of the two boxes.
    """
    bounds = shapely.bounds(geoms)
    box_area = (bounds[:, 2] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 1])
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    rect = polygonal & np.isclose(shapely.area(geoms), box_area, rtol=1e-9, atol=0)
    return rect, bounds


def _intersection_areas(
    geoms: np.ndarray, targets: np.ndarray, i_c: np.ndarray, i_t: np.ndarray
) -> np.ndarray:
    """
    Area of geoms[i_c] ∩ targets[i_t], doing exact overlays only where they are needed.

    A target that holds the geometry gives its whole area; two axis-aligned rectangles give the
    overlap of their bounds; only the other pairs go through a GEOS overlay.
    """
    shapely.prepare(targets)
    inside = shapely.contains_properly(targets[i_t], geoms[i_c])
    areas = shapely.area(geoms[i_c])
    g_rect, g_bounds = _axis_rectangles(geoms)
    t_rect, t_bounds = _axis_rectangles(targets)
    both = ~inside & g_rect[i_c] & t_rect[i_t]
    gb, tb = g_bounds[i_c[both]], t_bounds[i_t[both]]
    width = np.minimum(gb[:, 2], tb[:, 2]) - np.maximum(gb[:, 0], tb[:, 0])
    height = np.minimum(gb[:, 3], tb[:, 3]) - np.maximum(gb[:, 1], tb[:, 1])
    areas[both] = np.clip(width, 0, None) * np.clip(height, 0, None)
    rest = ~inside & ~both
    areas[rest] = shapely.area(shapely.intersection(geoms[i_c[rest]], targets[i_t[rest]]))
    return areas


def overlap_fraction(candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame) -> pd.DataFrame:
    """
    Share (0–1) of each candidate's area that lies inside the union of `layer`.

    The layer is dissolved first, so overlapping features are not counted twice.

    Examples
    --------
    >>> from shapely import box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10)], crs=28992)
    >>> cores = gpd.GeoDataFrame(geometry=[box(5, -5, 50, 50), box(6, -5, 50, 50)], crs=28992)
    >>> overlap_fraction(cands, cores)["value"].tolist()
    [0.5, 1.0]
    """
    geoms = _geoms(candidates)
    share = np.zeros(len(candidates))
    if len(layer):
        parts = shapely.get_parts(shapely.union_all(layer.geometry.to_numpy()))
        i_c, i_p = shapely.STRtree(parts).query(geoms, predicate="intersects")
        inter = _intersection_areas(geoms, parts, i_c, i_p)
        share = np.bincount(i_c, weights=inter, minlength=len(geoms)) / shapely.area(geoms)
    return _frame(candidates, value=np.clip(share, 0.0, 1.0))


def dominant_attribute(
    candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, *, field: str
) -> pd.DataFrame:
    """
    The value of `field` that covers the largest part of each candidate, and its share.

    Candidates that no feature with a value covers get a missing value (unknown). Ties go to the
    value that sorts first.

    Examples
    --------
    >>> from shapely import box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(100, 0, 110, 10)],
    ...                          crs=28992)
    >>> zoning = gpd.GeoDataFrame({"class": ["Wonen", "Agrarisch"]},
    ...     geometry=[box(0, 0, 6, 10), box(6, 0, 10, 10)], crs=28992)
    >>> dominant_attribute(cands, zoning, field="class").values.tolist()
    [['Wonen', 0.6], [nan, nan]]
    """
    classes = _field(layer, field)
    geoms = _geoms(candidates)
    value = np.full(len(candidates), None, dtype=object)
    share = np.full(len(candidates), np.nan)
    if len(layer):
        targets = layer.geometry.to_numpy()
        i_c, i_l = shapely.STRtree(targets).query(geoms, predicate="intersects")
        pairs = pd.DataFrame(
            {"c": i_c, "cls": classes[i_l], "a": _intersection_areas(geoms, targets, i_c, i_l)}
        )
        pairs = pairs[pairs["cls"].notna() & (pairs["a"] > 0)]
        best = (
            pairs.groupby(["c", "cls"], sort=True)["a"].sum().reset_index()
            .sort_values(["c", "a", "cls"], ascending=[True, False, True], kind="stable")
            .drop_duplicates("c")
        )
        c = best["c"].to_numpy()
        value[c] = best["cls"].to_numpy()
        share[c] = best["a"].to_numpy() / shapely.area(geoms[c])
    return _frame(candidates, value=value, share=np.clip(share, 0.0, 1.0))


def network_distance_to(
    candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, *, network: Any,
    max_snap: float = 500.0,
) -> pd.DataFrame:
    """
    Travel distance in metres over a road network to the nearest feature of `layer`.

    `network` names a catalogue layer with role ``network`` (an OSM XML file); the engine
    passes the built :class:`locscan.network.Network`. One shortest-path run serves all
    candidates. Candidates more than `max_snap` metres from any road get NaN (unknown).

    Examples
    --------
    >>> import numpy as np
    >>> from shapely import Point, box
    >>> from locscan.network import Network
    >>> net = Network(np.array([0.0, 1000.0, 1000.0]), np.array([0.0, 0.0, 1000.0]),
    ...               np.array([0, 1]), np.array([1, 2]), np.array([1000.0, 1000.0]))
    >>> cands = gpd.GeoDataFrame(geometry=[box(990, 990, 1010, 1010)], crs=28992)
    >>> sites = gpd.GeoDataFrame(geometry=[Point(0, 10)], crs=28992)
    >>> network_distance_to(cands, sites, network=net)["value"].round().tolist()
    [2010.0]
    """
    from locscan.network import distances_to

    value = distances_to(network, _geoms(candidates), layer.geometry.to_numpy(),
                         max_snap=max_snap)
    return _frame(candidates, value=value)


def attribute(candidates: gpd.GeoDataFrame, *, field: str) -> pd.DataFrame:
    """
    The candidate's own attribute `field` (for example ``ownership`` of a parcel).

    Candidates from a layer without the field get a missing value (unknown).

    Examples
    --------
    >>> from shapely import box
    >>> cands = gpd.GeoDataFrame({"ownership": ["gemeente", None]},
    ...                          geometry=[box(0, 0, 1, 1), box(2, 0, 3, 1)], crs=28992)
    >>> attribute(cands, field="ownership")["value"].tolist()
    ['gemeente', nan]
    """
    if field not in candidates.columns:
        found = ", ".join(c for c in candidates.columns if c != candidates.geometry.name)
        raise MeasureError(f"candidates have no attribute {field!r}; found: {found}")
    return _frame(candidates, value=candidates[field].to_numpy())


def area(candidates: gpd.GeoDataFrame) -> pd.DataFrame:
    """
    Area of each candidate in m².

    Examples
    --------
    >>> from shapely import box
    >>> area(gpd.GeoDataFrame(geometry=[box(0, 0, 50, 60)], crs=28992))["value"].tolist()
    [3000.0]
    """
    return _frame(candidates, value=shapely.area(_geoms(candidates)))


@dataclass(frozen=True)
class Kind:
    """A measure kind: its function, whether it reads a layer, and its unit."""

    func: Callable[..., pd.DataFrame]
    needs_layer: bool
    unit: str | None


KINDS: dict[str, Kind] = {
    "distance_to": Kind(distance_to, True, "m"),
    "network_distance_to": Kind(network_distance_to, True, "m"),
    "count_within": Kind(count_within, True, "count"),
    "sum_within": Kind(sum_within, True, "count"),
    "overlap_fraction": Kind(overlap_fraction, True, "fraction"),
    "dominant_attribute": Kind(dominant_attribute, True, None),
    "attribute": Kind(attribute, False, None),
    "area": Kind(area, False, "m2"),
}


class MeasureSpec(BaseModel):
    """
    A measure declared as data.

    Attributes
    ----------
    name
        Column name of the measure, with its unit by convention (``dist_work_site_m``).
    kind
        One of :data:`KINDS`.
    layer
        Layer (catalogue name) the kind reads; ``None`` for kinds that read the candidate.
    params
        Keyword arguments of the kind (``distance``, ``field``, ...).
    unit
        Unit of the value; defaults to the kind's unit (``m``, ``m2``, ``fraction``, ``count``).
    label
        Dutch label for the UI and exports.
    if_missing
        What a missing layer (not in the region's catalogue) or candidate attribute means:
        ``error`` (default) or ``unknown``, for data that regions may not have (ownership is
        not open data): every value is then unknown, with a warning.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    kind: str
    layer: str | None = None
    params: dict[str, Any] = {}
    unit: str | None = None
    label: str = ""
    if_missing: Literal["error", "unknown"] = "error"

    @property
    def value_unit(self) -> str | None:
        """The unit of the measure's value."""
        return self.unit or KINDS[self.kind].unit

    def problems(self) -> list[str]:
        """Return what is wrong with this spec on its own (kind, layer, parameters)."""
        where = f"measure {self.name!r}"
        if self.kind not in KINDS:
            return [f"{where}: unknown kind {self.kind!r}; known kinds: {', '.join(KINDS)}"]
        kind = KINDS[self.kind]
        out = []
        if kind.needs_layer and not self.layer:
            out.append(f"{where}: kind {self.kind!r} needs a 'layer'")
        if not kind.needs_layer and self.layer:
            out.append(f"{where}: kind {self.kind!r} reads the candidate itself, not a layer")
        sig = inspect.signature(kind.func).parameters
        allowed = [p for p, v in sig.items() if v.kind is inspect.Parameter.KEYWORD_ONLY]
        required = [p for p in allowed if sig[p].default is inspect.Parameter.empty]
        unknown = sorted(set(self.params) - set(allowed))
        if unknown:
            out.append(
                f"{where}: unknown parameter(s) {', '.join(unknown)} for kind {self.kind!r}; "
                f"allowed: {', '.join(allowed) or 'none'}"
            )
        missing = [p for p in required if p not in self.params]
        if missing:
            out.append(f"{where}: kind {self.kind!r} needs parameter(s) {', '.join(missing)}")
        return out


def _missing(candidates: gpd.GeoDataFrame, spec: MeasureSpec, layer: Any) -> str | None:
    """The warning for optional data the region lacks (``if_missing: unknown``), else None."""
    if spec.if_missing != "unknown" or spec.kind not in KINDS:
        return None
    if KINDS[spec.kind].needs_layer and layer is None:
        what = f"layer {spec.layer!r}"
    elif spec.kind == "attribute" and spec.params.get("field") not in candidates:
        what = f"attribute {spec.params.get('field')!r}"
    else:
        return None
    return f"measure {spec.name!r}: the region has no {what}; every value is unknown"


def compute_one(
    candidates: gpd.GeoDataFrame,
    spec: MeasureSpec,
    layer: gpd.GeoDataFrame | None,
    networks: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """
    Compute one measure; columns are ``spec.name`` and ``spec.name + '__' + extra``.

    Raises
    ------
    MeasureError
        When the spec is invalid or names a field the layer lacks.
    """
    if problems := spec.problems():
        raise MeasureError("; ".join(problems))
    kind = KINDS[spec.kind]
    if (missing := _missing(candidates, spec, layer)) is not None:
        warnings.warn(missing, stacklevel=2)
        return pd.DataFrame({spec.name: np.full(len(candidates), np.nan)},
                            index=candidates.index)
    args = (candidates, layer) if kind.needs_layer else (candidates,)
    params = dict(spec.params)
    if "network" in params:
        params["network"] = (networks or {})[params["network"]]
    try:
        out = kind.func(*args, **params)
    except MeasureError as exc:
        raise MeasureError(f"measure {spec.name!r}: {exc}") from exc
    return out.rename(columns=lambda c: spec.name if c == "value" else f"{spec.name}__{c}")


def compute(
    candidates: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    specs: Iterable[MeasureSpec],
) -> pd.DataFrame:
    """
    Compute `specs` for all candidates at once, without a cache.

    Parameters
    ----------
    candidates
        Candidate table (EPSG:28992), indexed by candidate id.
    layers
        Layer name -> layer, for the layers the specs read.
    specs
        The measures.

    Returns
    -------
    DataFrame
        One or more columns per measure, indexed like `candidates`.

    Examples
    --------
    >>> from shapely import Point, box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 50, 60)], crs=28992)
    >>> sites = gpd.GeoDataFrame(geometry=[Point(350, 460)], crs=28992)
    >>> specs = [MeasureSpec(name="area_m2", kind="area"),
    ...          MeasureSpec(name="dist_m", kind="distance_to", layer="sites")]
    >>> compute(cands, {"sites": sites}, specs).round().values.tolist()
    [[3000.0, 500.0]]
    """
    frames = [compute_one(candidates, s, layers[s.layer] if s.layer else None, layers)
              for s in specs]
    return as_categories(pd.concat(frames, axis=1)) if frames else pd.DataFrame(
        index=candidates.index)


def check_specs(specs: Iterable[MeasureSpec], region: Region) -> None:
    """
    Check every spec against the region's catalogue before anything is computed.

    Raises
    ------
    MeasureError
        Listing every problem at once (unknown kind, missing layer, bad parameters).
    """
    problems = []
    for spec in specs:
        problems += spec.problems()
        for name in (spec.layer, spec.params.get("network")):
            if name and not region.has_layer(name) and spec.if_missing == "error":
                problems.append(
                    f"measure {spec.name!r}: layer {name!r} is not in the catalogue of "
                    f"{region.folder}; layers there: {', '.join(region.catalogue.layers)}"
                )
    if problems:
        raise MeasureError("; ".join(problems))


def _spec_key(region: Region, spec: MeasureSpec, cand_key: str) -> str:
    layer_key = region.fingerprint(spec.layer) if spec.layer and region.has_layer(
        spec.layer) else None
    net = spec.params.get("network")
    net_key = region.fingerprint(net) if net else None
    return _cache.key(MEASURES_VERSION, spec.model_dump(exclude={"label"}), cand_key, layer_key,
                      net_key)


def compute_for_region(
    region: Region,
    specs: Iterable[MeasureSpec],
    *,
    cache: bool | None = None,
    on_measure: Callable[[MeasureSpec, bool], None] | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """
    Candidates of `region` and their measures, each measure from the cache when possible.

    Parameters
    ----------
    region
        An open region.
    specs
        The measures to compute.
    cache
        Read and write the cache; defaults to :data:`locscan.settings.use_cache`.
    on_measure
        Called after each measure with the spec and whether it came from the cache.

    Returns
    -------
    GeoDataFrame, DataFrame
        The candidates and the measures table, both indexed by candidate id.
    """
    specs = list(specs)
    check_specs(specs, region)
    cache = settings.use_cache if cache is None else cache
    cands = candidates_for_region(region, cache=cache)
    cand_key = candidates_key(region)
    paths = [
        region.cache_dir / f"measure-{s.name}-{_spec_key(region, s, cand_key)}.parquet"
        for s in specs
    ]
    frames: list[pd.DataFrame | None] = []
    for path in paths:
        hit = _cache.read(path) if cache else None
        frames.append(hit if hit is not None and hit.index.equals(cands.index) else None)
    todo = [i for i, frame in enumerate(frames) if frame is None]
    layers = {specs[i].layer: region.layer(specs[i].layer) for i in todo
              if specs[i].layer and region.has_layer(specs[i].layer)}
    unknown = set()
    for i in list(todo):  # optional data the region lacks: unknown, warned here, not in threads
        if (missing := _missing(cands, specs[i], layers.get(specs[i].layer))) is not None:
            warnings.warn(missing, stacklevel=2)
            frames[i] = pd.DataFrame({specs[i].name: np.full(len(cands), np.nan)},
                                     index=cands.index)
            todo.remove(i)
            unknown.add(i)
    networks = {n: region.network(n) for i in todo if (n := specs[i].params.get("network"))}
    # shapely releases the GIL in its vectorised operations: measures run side by side
    with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        computed = pool.map(
            lambda i: compute_one(cands, specs[i], layers.get(specs[i].layer), networks), todo
        )
        for i, frame in zip(todo, computed, strict=True):
            frames[i] = frame
            if cache:
                _cache.write(paths[i], frame)
    if on_measure:
        for i, spec in enumerate(specs):
            on_measure(spec, i not in todo and i not in unknown)
    table = pd.concat(frames, axis=1) if frames else pd.DataFrame(index=cands.index)
    return cands, as_categories(table)


def as_categories(table: pd.DataFrame) -> pd.DataFrame:
    """
    Text columns as pandas categoricals: criteria on classes then compare a few categories.

    Examples
    --------
    >>> as_categories(pd.DataFrame({"z": ["Wonen", None], "d": [1.0, 2.0]})).dtypes.tolist()
    [CategoricalDtype(categories=['Wonen'], ordered=False, categories_dtype=str), dtype('float64')]
    """
    text = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])
            and not isinstance(table[c].dtype, pd.CategoricalDtype)]
    return table.astype(dict.fromkeys(text, "category")) if text else table
