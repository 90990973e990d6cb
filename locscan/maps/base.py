"""The base map: Leaflet from the app's own folder, boundaries, context layers, work sites."""

from __future__ import annotations

import html
import json

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement, Template

from locscan import rdnap, settings
from locscan.region import RegionMeta

__all__ = ["ASSET_BASE", "SCORE_CLASSES", "asset_links", "base_map", "near", "score_class",
           "zoom_for"]

#: URL path under which the app serves ``static/vendor`` (Streamlit static file serving)
ASSET_BASE = "/app/static/vendor"

#: score class upper bounds and their colours (ColorBrewer RdYlGn, colour-blind safe ends)
SCORE_CLASSES = (
    (20, "#d7191c", "0–20"),
    (40, "#fdae61", "20–40"),
    (60, "#ffffbf", "40–60"),
    (80, "#a6d96a", "60–80"),
    (101, "#1a9641", "80–100"),
)
_SHORTLIST_COLOUR = "#2b83ba"


def asset_links(base: str = ASSET_BASE) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """
    The JavaScript and CSS a locscan map needs, served from `base`.

    Examples
    --------
    >>> js, css = asset_links("/static")
    >>> js
    [('leaflet', '/static/leaflet/leaflet.js')]
    """
    return (
        [("leaflet", f"{base}/leaflet/leaflet.js")],
        [("leaflet_css", f"{base}/leaflet/leaflet.css")],
    )


def zoom_for(width_deg: float, height_deg: float, pixels: tuple[int, int] = (900, 600)) -> int:
    """
    The Web Mercator zoom level at which an extent of this many degrees fits the map.

    Examples
    --------
    >>> zoom_for(0.8, 0.4), zoom_for(0.05, 0.03), zoom_for(0, 0)
    (10, 14, 14)
    """
    fits = []
    for span, px in ((width_deg, pixels[0]), (height_deg * 1.6, pixels[1])):
        if span > 0:
            fits.append(np.log2(px * 360 / (256 * span)))
    return int(np.clip(np.floor(min(fits)), 5, 16)) if fits else 14


def score_class(score: pd.Series) -> pd.Series:
    """
    Index (0–4) of the score class of each score (0–100).

    Examples
    --------
    >>> score_class(pd.Series([0, 19.9, 20, 99.5, 100])).tolist()
    [0, 0, 1, 4, 4]
    """
    bounds = np.array([b for b, _, _ in SCORE_CLASSES])
    return pd.Series(np.searchsorted(bounds, score.to_numpy(), side="right"), index=score.index)


def _escaped(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if col != "geometry" and not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else html.escape(str(v)))
    return out


def _wgs84(gdf: gpd.GeoDataFrame, simplify: float = 0.0) -> gpd.GeoDataFrame:
    geoms = gdf.geometry.to_numpy()
    if simplify:
        geoms = shapely.simplify(geoms, simplify, preserve_topology=True)
    out = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))
    out = rdnap.to_crs(out, settings.geojson_crs)
    rounded = shapely.transform(out.geometry.to_numpy(), lambda xy: np.round(xy, 6))
    return out.set_geometry(gpd.GeoSeries(rounded, index=out.index, crs=out.crs))


def _geojson(gdf: gpd.GeoDataFrame, columns: list[str], simplify: float = 0.0) -> dict:
    frame = _escaped(gdf[columns].reset_index(drop=False))
    frame = gpd.GeoDataFrame(frame, geometry=_wgs84(gdf, simplify).geometry.to_numpy(),
                             crs=settings.geojson_crs)
    return json.loads(frame.to_json(drop_id=True))


class _Legend(MacroElement):
    """A legend drawn by Leaflet itself (no d3, no branca colormap)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "locscan-legend");
            div.style.cssText = "background:white;padding:6px 8px;font:12px sans-serif;"
                + "border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3);line-height:18px";
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self._name = "Legend"
        swatch = ('<i style="display:inline-block;width:12px;height:12px;margin-right:6px;'
                  'background:{}"></i>{}<br>')
        self.html = f"<b>{html.escape(title)}</b><br>" + "".join(
            swatch.format(colour, html.escape(label)) for colour, label in rows
        )


def near(frame: gpd.GeoDataFrame, box: shapely.Geometry) -> gpd.GeoDataFrame:
    """
    The rows of `frame` whose shape meets `box`, in their order.

    Examples
    --------
    >>> frame = gpd.GeoDataFrame({"n": [1, 2, 3]}, geometry=[shapely.Point(0, 0),
    ...     shapely.Point(5, 5), shapely.Point(50, 50)], crs=28992)
    >>> near(frame, shapely.box(-1, -1, 6, 6))["n"].tolist()
    [1, 2]
    """
    if not len(frame):
        return frame
    return frame.iloc[np.sort(frame.sindex.query(box, predicate="intersects"))]


def _boundaries(
    m: folium.Map, municipalities: gpd.GeoDataFrame | None, meta: RegionMeta,
    box: shapely.Geometry | None = None,
) -> None:
    """The gemeenten and, thicker, the subregio borders (those meeting `box` when given)."""
    if municipalities is None or not len(municipalities):
        return
    gm = municipalities.copy()
    names = {mu.code: mu.name for mu in meta.municipalities}
    subregio = {mu.code: mu.subregio for mu in meta.municipalities}
    gm["gemeente"] = gm["code"].map(names).fillna(gm["code"])
    gm["subregio"] = gm["code"].map(subregio).fillna("buiten de regio")
    folium.GeoJson(
        _geojson(gm if box is None else near(gm, box), ["gemeente", "subregio"], simplify=10),
        name="Gemeenten",
        style_function=lambda _: {"color": "#555555", "weight": 1, "fill": False},
        tooltip=folium.GeoJsonTooltip(["gemeente", "subregio"], aliases=["Gemeente", "Subregio"]),
    ).add_to(m)
    sub = gm.dissolve("subregio").reset_index()
    if box is not None:  # the borders themselves, cut to the box (not the box's edge)
        sub = sub.set_geometry(shapely.intersection(sub.geometry.boundary.to_numpy(), box))
        sub = sub[~sub.geometry.is_empty]
    folium.GeoJson(
        _geojson(sub, ["subregio"], simplify=20),
        name="Subregio's",
        style_function=lambda _: {"color": "#000000", "weight": 3, "fill": False},
    ).add_to(m)


def _context(m: folium.Map, layers: dict[str, gpd.GeoDataFrame]) -> None:
    styles = {
        "cores": ("Kernen", {"color": "#b2182b", "weight": 1, "fillOpacity": 0.08}),
        "business_parks": ("Bedrijventerreinen",
                           {"color": "#542788", "weight": 1, "fillOpacity": 0.1}),
        "exclusions": ("Natuur / uitsluiting",
                       {"color": "#1b7837", "weight": 1, "fillOpacity": 0.15}),
    }
    for role, (label, style) in styles.items():
        layer = layers.get(role)
        if layer is None or not len(layer):
            continue
        cols = [c for c in ("name",) if c in layer.columns]
        tooltip = folium.GeoJsonTooltip(cols, aliases=["Naam"]) if cols else None
        folium.GeoJson(_geojson(layer, cols, simplify=5), name=label,
                       style_function=lambda _, s=style: s, tooltip=tooltip).add_to(m)


def _work_sites(m: folium.Map, sites: gpd.GeoDataFrame | None, reach_m: float | None) -> None:
    if sites is None or not len(sites):
        return
    sites = sites.copy()
    workers = sites["workers"] if "workers" in sites else pd.Series(np.nan, index=sites.index)
    sites["werknemers"] = workers.fillna(-1).astype(int).astype(str).replace("-1", "onbekend")
    bins = np.array([0, 50, 200, 500, 1000])
    sites["_r"] = 2 + np.searchsorted(bins, workers.fillna(0).to_numpy(), side="right")
    cols = [c for c in ("id", "name", "werknemers") if c in sites.columns] + ["_r"]
    folium.GeoJson(
        _geojson(sites, cols),
        name="Werklocaties",
        marker=folium.CircleMarker(radius=4, color="#08306b", fill=True, fill_opacity=0.8),
        style_function=lambda f: {"radius": f["properties"]["_r"], "color": "#08306b",
                                  "fillColor": "#6baed6", "weight": 1, "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip([c for c in cols if c != "_r"]),
    ).add_to(m)
    if reach_m:
        reach = shapely.union_all(shapely.buffer(sites.geometry.to_numpy(), reach_m, quad_segs=16))
        zone = gpd.GeoDataFrame(geometry=[reach], crs=sites.crs)
        folium.GeoJson(
            _geojson(zone, [], simplify=50),
            name=f"Bereik {reach_m / 1000:g} km rond werklocaties",
            style_function=lambda _: {"color": "#08306b", "weight": 1, "dashArray": "4",
                                      "fillOpacity": 0.04},
            show=False,
        ).add_to(m)


def base_map(
    layers: dict[str, gpd.GeoDataFrame],
    meta: RegionMeta,
    *,
    focus: gpd.GeoDataFrame | None = None,
    focus_codes: list[str] | None = None,
    reach_m: float | None = None,
    tiles: bool = True,
    canvas: bool = False,
    asset_base: str = ASSET_BASE,
    margin_m: float | None = None,
) -> folium.Map:
    """
    The map without sites: boundaries, context layers, work sites and the legend.

    It changes only when the selection changes, so the app can keep it mounted while the sites
    (:func:`site_layers`) follow every change of the criteria.

    Parameters
    ----------
    layers
        Context layers by role: ``municipalities``, ``cores``, ``business_parks``,
        ``exclusions``, ``work_sites``; missing roles are left out.
    meta
        Region metadata: gemeente names and subregios for the boundaries.
    focus
        Geometries to centre and zoom on; default all municipalities.
    focus_codes
        Or: CBS codes of the gemeenten to centre and zoom on (a subregio, a gemeente).
    reach_m
        When given, a hidden layer shows this distance around the work sites.
    tiles
        Draw OpenStreetMap tiles (online only); otherwise a plain background.
    canvas
        Draw vectors on a canvas (fast for many thousands of sites) instead of SVG.
    asset_base
        URL path where ``static/vendor`` is served.
    margin_m
        When given with a focus, the map holds only what lies within this distance of the
        focus's bounding box (the gemeente boundaries and subregio borders, the context
        layers, the work sites): a province of a national region carries no other.
    """
    municipalities = layers.get("municipalities")
    if focus is None and focus_codes and municipalities is not None:
        focus = municipalities[municipalities["code"].isin(focus_codes)]
    extent = focus if focus is not None and len(focus) else municipalities
    if extent is None or not len(extent):
        extent = gpd.GeoDataFrame(geometry=[shapely.box(0, 300_000, 280_000, 620_000)],
                                  crs=settings.crs)  # the Netherlands in RD New
    box = None
    if margin_m is not None and focus is not None and len(focus):
        box = shapely.box(*focus.total_bounds).buffer(margin_m, join_style="mitre")
        layers = {role: near(layer, box) if role != "municipalities" else layer
                  for role, layer in layers.items()}
    x0, y0, x1, y1 = gpd.GeoSeries(
        [shapely.box(*extent.total_bounds)], crs=settings.crs
    ).to_crs(settings.geojson_crs).total_bounds
    m = folium.Map(
        location=[(y0 + y1) / 2, (x0 + x1) / 2], zoom_start=zoom_for(x1 - x0, y1 - y0),
        tiles=None, prefer_canvas=canvas, control_scale=True,
    )
    m.default_js, m.default_css = asset_links(asset_base)
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap",
                         attr="© OpenStreetMap contributors").add_to(m)
    _boundaries(m, layers.get("municipalities"), meta, box)
    _context(m, layers)
    _work_sites(m, layers.get("work_sites"), reach_m)
    rows = [(colour, f"score {label}") for _, colour, label in reversed(SCORE_CLASSES)]
    rows += [("#e66101", "te controleren (rand)"), (_SHORTLIST_COLOUR, "shortlist (rand)")]
    _Legend("Longlist", rows).add_to(m)
    return m
