"""Travel distance over a small OpenStreetMap network that the test writes itself."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import yaml
from _toy import REGION, gdf
from shapely import Point, box

from locscan import measures, network
from locscan.errors import LayerError, MeasureError
from locscan.measures import MeasureSpec
from locscan.region import Region

# an L-shaped road near Amersfoort: A (155000, 463000) - B (156000, 463000) - C (156000, 464000),
# and a road D - E far away that joins nothing
RD = {1: (155_000, 463_000), 2: (156_000, 463_000), 3: (156_000, 464_000),
      4: (170_000, 470_000), 5: (170_500, 470_000)}


def _osm(path):
    pts = gpd.GeoSeries([Point(xy) for xy in RD.values()], crs=28992).to_crs(4326)
    nodes = "".join(
        f'<node id="{i}" lat="{p.y:.8f}" lon="{p.x:.8f}" version="1"/>'
        for i, p in zip(RD, pts, strict=True))
    ways = ('<way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/>'
            '<tag k="highway" v="residential"/></way>'
            '<way id="11"><nd ref="4"/><nd ref="5"/><tag k="highway" v="residential"/></way>')
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?><osm version="0.6">{nodes}{ways}'
                    "</osm>")
    return path


def test_network_distance_by_hand(tmp_path):
    net = network.load_network(_osm(tmp_path / "roads.osm"))
    assert len(net.x) == 4  # simplified: A, C and the two ends of D-E (B is not a junction)
    assert sorted(np.round(net.length)) == [500, 500, 2000, 2000]  # both directions
    cands = gdf([box(155_990, 464_000, 156_010, 464_020),   # at C: 20 m off the road end
                 box(170_200, 470_050, 170_300, 470_100),   # on the road that joins nothing
                 box(160_000, 466_000, 160_010, 466_010)])  # 5 km from any road
    sites = gdf([Point(155_000, 462_950)])  # 50 m south of A
    out = measures.network_distance_to(cands, sites, network=net, max_snap=500)["value"]
    # 50 m to A, 1,000 m to B, 1,000 m to C, then from C to the candidate's point on surface
    assert out[0] == pytest.approx(50 + 2000 + 10.0, abs=0.5)
    assert np.isnan(out[1])  # not connected to any work site
    assert np.isnan(out[2])  # too far from a road
    straight = measures.distance_to(cands, sites)["value"][0]
    assert straight < out[0]  # the radius understates the travel distance


def test_compute_takes_networks_by_name(tmp_path):
    net = network.load_network(_osm(tmp_path / "roads.osm"))
    cands = gdf([box(155_990, 464_000, 156_010, 464_020)])
    spec = MeasureSpec(name="road_m", kind="network_distance_to", layer="work",
                       params={"network": "roads"})
    layers = {"work": gdf([Point(155_000, 462_950)])}
    out = measures.compute(cands, layers, [spec], networks={"roads": net})
    assert out["road_m"].iloc[0] == pytest.approx(2060.0, abs=0.5)  # as in the test above
    with pytest.raises(MeasureError, match="network 'roads' is not given; networks: none"):
        measures.compute(cands, layers, [spec])


def test_network_measure_in_a_region_is_cached(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    _osm(folder / "roads.osm")
    layers = {
        "municipalities": gdf([box(150_000, 460_000, 175_000, 475_000)], code=["GM0001"]),
        "parcels": gdf([box(155_990, 464_000, 156_010, 464_020)], id=["p1"]),
        "work_sites": gdf([Point(155_000, 462_950)], id=["W1"]),
    }
    for name, frame in layers.items():
        frame.to_file(folder / "r.gpkg", layer=name)
    catalogue = {n: {"source": "r.gpkg", "layer": n} for n in layers}
    catalogue["roads"] = {"source": "roads.osm", "role": "network"}
    (folder / "layers.yaml").write_text(yaml.safe_dump({"layers": catalogue}))
    (folder / "region.yaml").write_text(yaml.safe_dump(REGION))
    spec = MeasureSpec(name="road_work_m", kind="network_distance_to", layer="work_sites",
                       params={"network": "roads"})
    _, table = measures.compute_for_region(Region(folder), [spec])
    assert table.loc["perceel:p1", "road_work_m"] == pytest.approx(2060, abs=0.5)
    assert len(list((folder / ".locscan-cache").glob("network-roads-*.parquet"))) == 2
    seen = []
    measures.compute_for_region(Region(folder), [spec], on_measure=lambda s, h: seen.append(h))
    assert seen == [True]


def test_network_errors(tmp_path):
    with pytest.raises(LayerError, match="file not found"):
        network.load_network(tmp_path / "none.osm", "roads")
    (tmp_path / "empty.osm").write_text('<?xml version="1.0"?><osm version="0.6"></osm>')
    with pytest.raises(LayerError, match="no road network in it"):
        network.load_network(tmp_path / "empty.osm", "roads")
