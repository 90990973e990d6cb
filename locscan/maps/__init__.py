"""Folium maps of a longlist: boundaries, context layers, sites coloured by score.

The maps load Leaflet from the app's own static folder (:data:`ASSET_BASE`), never from a CDN,
so they work offline; the background tiles come from OpenStreetMap only when asked for. Every
text shown in a tooltip is HTML-escaped, since layer attributes come from outside. The best
``top_n`` sites are drawn as polygons and the rest as small circles, so a longlist of thousands
stays fast. No Streamlit here: :func:`longlist_map` returns a ``folium.Map``.
"""

from locscan.maps import deck
from locscan.maps.base import (
    ASSET_BASE,
    SCORE_CLASSES,
    asset_links,
    base_map,
    score_class,
    zoom_for,
)
from locscan.maps.layers import change_layer, clicked_site, gap_layer, longlist_map, site_layers

__all__ = [
    "ASSET_BASE",
    "SCORE_CLASSES",
    "asset_links",
    "base_map",
    "change_layer",
    "clicked_site",
    "deck",
    "gap_layer",
    "longlist_map",
    "score_class",
    "site_layers",
    "zoom_for",
]
