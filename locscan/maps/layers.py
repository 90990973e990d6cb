"""Map layers of results: longlist sites by score, the shortlist, gaps, scenario changes."""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import shapely

from locscan.longlist import STATUS
from locscan.maps.base import (
    _SHORTLIST_COLOUR,
    ASSET_BASE,
    SCORE_CLASSES,
    _geojson,
    base_map,
    score_class,
)
from locscan.region import RegionMeta

__all__ = ["change_layer", "clicked_site", "gap_layer", "longlist_map", "site_layers"]

def _site_tooltip() -> folium.GeoJsonTooltip:
    # one instance per layer: a tooltip belongs to the layer it was added to
    return folium.GeoJsonTooltip(
        ["candidate_id", "gemeente", "status", "score", "rank"],
        aliases=["Locatie", "Gemeente", "Status", "Score", "Rang"],
    )


def _site_style(feature: dict) -> dict:
    props = feature["properties"]
    colour = SCORE_CLASSES[props["_class"]][1]
    check = props["status"] == STATUS["check"]
    return {"color": "#e66101" if check else "#333333", "weight": 2 if check else 1,
            "dashArray": "5" if check else None, "fillColor": colour, "fillOpacity": 0.85,
            "radius": 5, "className": "locscan-site"}


def site_layers(
    table: gpd.GeoDataFrame,
    *,
    shortlist: set[str] | frozenset[str] = frozenset(),
    top_n: int = 500,
) -> list[folium.FeatureGroup]:
    """
    The longlist as map layers: the best `top_n` as polygons, the rest as circles.

    Parameters
    ----------
    table
        Longlist rows (from :func:`locscan.longlist.table`), best first, EPSG:28992.
    shortlist
        Candidate ids on the shortlist, drawn with a thick blue outline in their own layer.
    top_n
        How many of the best sites to draw as polygons.

    Returns
    -------
    list of folium.FeatureGroup
        "Longlist: beste N", "Longlist: overige M (punten)" and "Shortlist", when not empty.
        Every site carries its ``candidate_id``, so a click identifies it.
    """
    sites = table.assign(_class=score_class(table["score"]).clip(0, len(SCORE_CLASSES) - 1))
    sites = sites.assign(score=sites["score"].round(1))
    cols = ["gemeente", "status", "score", "rank", "_class"]
    best, rest = sites.iloc[:top_n], sites.iloc[top_n:]
    groups = []
    if len(best):
        group = folium.FeatureGroup(name=f"Longlist: beste {len(best)}")
        folium.GeoJson(_geojson(best, cols, simplify=1), style_function=_site_style,
                       tooltip=_site_tooltip()).add_to(group)
        groups.append(group)
    if len(rest):
        points = rest.set_geometry(shapely.point_on_surface(rest.geometry.to_numpy()))
        group = folium.FeatureGroup(name=f"Longlist: overige {len(rest)} (punten)")
        folium.GeoJson(_geojson(points, cols), marker=folium.CircleMarker(radius=4, fill=True),
                       style_function=_site_style, tooltip=_site_tooltip()).add_to(group)
        groups.append(group)
    chosen = sites[sites.index.isin(list(shortlist))]
    if len(chosen):
        group = folium.FeatureGroup(name="Shortlist")
        folium.GeoJson(
            _geojson(chosen, cols, simplify=1),
            style_function=lambda _: {"color": _SHORTLIST_COLOUR, "weight": 4,
                                      "fillOpacity": 0, "className": "locscan-shortlist"},
            tooltip=_site_tooltip(),
        ).add_to(group)
        groups.append(group)
    return groups


def longlist_map(
    table: gpd.GeoDataFrame,
    layers: dict[str, gpd.GeoDataFrame],
    meta: RegionMeta,
    *,
    shortlist: set[str] | frozenset[str] = frozenset(),
    top_n: int = 500,
    reach_m: float | None = None,
    tiles: bool = True,
    canvas_above: int = 3000,
    asset_base: str = ASSET_BASE,
) -> folium.Map:
    """
    One map with everything: :func:`base_map` plus :func:`site_layers` and a layer control.

    Parameters are those of :func:`base_map` and :func:`site_layers`; the map centres on the
    sites and draws on a canvas when there are more than `canvas_above` of them.
    """
    m = base_map(layers, meta, focus=table, reach_m=reach_m, tiles=tiles,
                 canvas=len(table) > canvas_above, asset_base=asset_base)
    for group in site_layers(table, shortlist=shortlist, top_n=top_n):
        group.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def clicked_site(state: dict | None) -> str | None:
    """
    The candidate id of the site clicked on the map, from the dict ``st_folium`` returns.

    Examples
    --------
    >>> clicked_site({"last_active_drawing": {"properties": {"candidate_id": "perceel:1"}}})
    'perceel:1'
    >>> clicked_site({"last_active_drawing": None}) is None
    True
    """
    drawing = (state or {}).get("last_active_drawing") or {}
    value = (drawing.get("properties") or {}).get("candidate_id")
    return html.unescape(value) if value else None


def gap_layer(demand: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """
    Work sites by whether capacity lies within reach: gaps ("witte vlekken") in red.

    Parameters
    ----------
    demand
        Work sites with ``demand`` and ``capacity_in_reach`` (see :mod:`locscan.capacity`).
    """
    frame = demand.assign(
        tijdelijk=demand["demand"].round(0),
        capaciteit=demand["capacity_in_reach"].round(0),
        _gap=(demand["capacity_in_reach"] <= 0).astype(int),
    )
    group = folium.FeatureGroup(name="Werklocaties: capaciteit binnen bereik")
    folium.GeoJson(
        _geojson(frame, ["tijdelijk", "capaciteit", "_gap"]),
        marker=folium.CircleMarker(radius=6, fill=True),
        style_function=lambda f: {"color": "#b2182b" if f["properties"]["_gap"] else "#2166ac",
                                  "fillOpacity": 0.8, "radius": 7 if f["properties"]["_gap"]
                                  else 4, "className": "locscan-gap" if f["properties"]["_gap"]
                                  else "locscan-covered"},
        tooltip=folium.GeoJsonTooltip(["tijdelijk", "capaciteit"],
                                      aliases=["Tijdelijke werknemers", "Capaciteit in bereik"]),
    ).add_to(group)
    return group


def change_layer(changes: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """
    Sites that enter (green) and leave (red) the longlist between two scenarios.

    Parameters
    ----------
    changes
        :attr:`locscan.compare.Comparison.changes`: ``scenario``, ``change`` and ``gemeente``.
    """
    frame = changes.assign(
        locatie=changes.index.to_numpy(), wijziging=changes["change"].map(
            {"enters": "komt erbij", "leaves": "valt af"}),
        _enters=(changes["change"] == "enters").astype(int))
    group = folium.FeatureGroup(name="Verschil tussen scenario's")
    if frame.empty:
        return group
    points = frame.set_geometry(shapely.point_on_surface(frame.geometry.to_numpy()))
    folium.GeoJson(
        _geojson(points, ["locatie", "scenario", "wijziging", "gemeente", "_enters"]),
        marker=folium.CircleMarker(radius=6, fill=True),
        style_function=lambda f: {"color": "#1a9641" if f["properties"]["_enters"]
                                  else "#d7191c", "fillOpacity": 0.85,
                                  "className": "locscan-enters" if f["properties"]["_enters"]
                                  else "locscan-leaves"},
        tooltip=folium.GeoJsonTooltip(["locatie", "scenario", "wijziging", "gemeente"],
                                      aliases=["Locatie", "Scenario", "Wijziging", "Gemeente"]),
    ).add_to(group)
    return group
