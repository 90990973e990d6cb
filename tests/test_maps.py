from __future__ import annotations

import re

import folium
import pandas as pd
import pytest
from _toy import REGION, gdf, toy_layers
from shapely import box

from locscan import maps
from locscan.region import RegionMeta

META = RegionMeta.model_validate(REGION)


def _sites(n: int, gemeente: str = "Aadorp") -> pd.DataFrame:
    frame = gdf([box(i * 200, 0, i * 200 + 100, 100) for i in range(n)],
                gemeente=[gemeente] * n, status=["voldoet"] * n,
                score=[100.0 - i for i in range(n)], rank=list(range(1, n + 1)))
    return frame.set_index(pd.Index([f"perceel:{i}" for i in range(n)], name="candidate_id"))


def _layers():
    layers = toy_layers()
    return {
        "municipalities": layers["municipalities"],
        "cores": layers["cores"].rename(columns={"naam": "name"}),
        "work_sites": layers["work_sites"],
    }


def _features(m: folium.Map, name_start: str) -> list[dict]:
    for child in m._children.values():
        if isinstance(child, folium.FeatureGroup | folium.GeoJson) and child.layer_name.startswith(
                name_start):
            layer = child if isinstance(child, folium.GeoJson) else next(
                c for c in child._children.values() if isinstance(c, folium.GeoJson))
            return layer.data["features"]
    return []


def test_every_asset_is_served_locally():
    m = maps.longlist_map(_sites(3), _layers(), META, tiles=False, asset_base="/app/static/v")
    html = m.get_root().render()
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert links
    assert all(link.startswith("/app/static/v/") for link in links), links
    # what streamlit-folium loads: default_js/default_css of every element in the map
    walked = [getattr(e, "default_js", []) + getattr(e, "default_css", [])
              for e in [m, *m._children.values()]]
    assert all(url.startswith("/app/static/v/") for pairs in walked for _, url in pairs)
    assert "d3.v" not in html  # no d3 (branca colormaps pull it from a CDN)
    assert "tile.openstreetmap" not in html


def test_tiles_only_when_asked():
    html = maps.longlist_map(_sites(1), _layers(), META, tiles=True).get_root().render()
    assert "tile.openstreetmap.org" in html


def test_attribute_values_are_escaped():
    evil = "<script>alert(1)</script>"
    m = maps.longlist_map(_sites(2, gemeente=evil), _layers(), META, tiles=False)
    html = m.get_root().render()
    assert evil not in html
    # the escaped text, as JSON writes it inside the page's script
    assert "\\u0026lt;script\\u0026gt;alert(1)" in html


def test_best_sites_as_polygons_rest_as_points_shortlist_highlighted():
    m = maps.longlist_map(_sites(10), _layers(), META, top_n=4, tiles=False,
                          shortlist={"perceel:7"})
    best = _features(m, "Longlist: beste")
    rest = _features(m, "Longlist: overige")
    assert [f["geometry"]["type"] for f in best] == ["Polygon"] * 4
    assert [f["geometry"]["type"] for f in rest] == ["Point"] * 6
    assert [f["properties"]["candidate_id"] for f in best] == [f"perceel:{i}" for i in range(4)]
    assert [f["properties"]["candidate_id"] for f in _features(m, "Shortlist")] == ["perceel:7"]
    x, y = best[0]["geometry"]["coordinates"][0][0]
    assert 3 < x < 4  # RD (0, 0) lies in WGS84 near 3.3 E, 47.97 N
    assert 47 < y < 48


def test_score_classes_give_colours():
    m = maps.longlist_map(_sites(2), _layers(), META, tiles=False)
    best = _features(m, "Longlist: beste")
    assert [f["properties"]["_class"] for f in best] == [4, 4]  # 100 and 99


def test_reach_layer_is_optional():
    without = maps.longlist_map(_sites(1), _layers(), META, tiles=False)
    with_reach = maps.longlist_map(_sites(1), _layers(), META, tiles=False, reach_m=15_000)
    assert not _features(without, "Bereik")
    assert len(_features(with_reach, "Bereik 15 km")) == 1


@pytest.mark.parametrize(("state", "site"), [
    (None, None), ({}, None), ({"last_active_drawing": {"properties": {}}}, None),
    ({"last_active_drawing": {"properties": {"candidate_id": "perceel:a&amp;b"}}},
     "perceel:a&b"),
])
def test_clicked_site(state, site):
    assert maps.clicked_site(state) == site


def test_a_margin_keeps_only_what_lies_near_the_focus():
    """Beestad is x 20-40 km; the core lies at x 5-6 km, the work site at x 15 km."""
    whole = maps.base_map(_layers(), META, focus_codes=["GM0002"], tiles=False)
    assert len(_features(whole, "Kernen")) == len(_features(whole, "Werklocaties")) == 1
    near = maps.base_map(_layers(), META, focus_codes=["GM0002"], tiles=False, margin_m=4_000)
    assert _features(near, "Kernen") == _features(near, "Werklocaties") == []
    assert len(_features(near, "Gemeenten")) == 2  # Aadorp reaches into x 16-20 km
    # the subregio borders are lines cut to the box, not the box's edge
    borders = _features(near, "Subregio")
    assert borders
    assert all("LineString" in f["geometry"]["type"] for f in borders)
    wider = maps.base_map(_layers(), META, focus_codes=["GM0002"], tiles=False, margin_m=6_000)
    assert len(_features(wider, "Werklocaties")) == 1
    assert _features(wider, "Kernen") == []
