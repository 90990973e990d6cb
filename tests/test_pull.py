"""Pulling layers from online services, against local OGC API Features servers."""

from __future__ import annotations

import json
import socket
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import yaml
from _files import file_server
from _servers import oapif_server, point_features

from locscan import pull, settings
from locscan.layers import load_catalogue, load_layer


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch):
    monkeypatch.setattr(settings, "http_retry_delay", 0.05)
    monkeypatch.setattr(settings, "http_timeout", 10)


def _extent(n: int) -> list[float]:
    pts = gpd.GeoSeries.from_xy(*zip(*[f["geometry"]["coordinates"]
                                       for f in point_features(n)], strict=True), crs=4326)
    x0, y0, x1, y1 = pts.to_crs(28992).total_bounds
    return [float(x0) - 50, float(y0) - 50, float(x1) + 50, float(y1) + 50]


def _region(folder, url: str, n: int = 25) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "sources.yaml").write_text(yaml.safe_dump({
        "extent_rd": _extent(n), "tile_size_m": 1000,
        "sources": {"stops": {"kind": "oapif", "url": url, "collection": "perceel",
                              "id_field": "identificatie", "page_size": 3,
                              "fields": {"name": "identificatie"},
                              "license": "CC0", "attribution": "© test"}},
    }))


def test_pull_pages_tiles_and_records_provenance(tmp_path):
    with oapif_server(25) as (url, log):
        _region(tmp_path, url)
        done = pull.pull(tmp_path, ["stops"])
        requests = log.read_text().splitlines()
    assert done["stops"]["features"] == 25
    assert sum("offset=" in r for r in requests) >= 1  # followed a next link
    assert done["stops"]["tiles"] > 1
    layer, _ = load_layer("stops", load_catalogue(tmp_path / "layers.yaml").layers["stops"],
                               tmp_path)
    assert len(layer) == 25  # features on tile edges are not doubled
    assert layer.crs.to_epsg() == 28992
    assert sorted(layer["name"]) == sorted(f"f{i}" for i in range(25))
    record = json.loads((tmp_path / "provenance.json").read_text())["stops"]
    assert record["url"] == url
    assert record["license"] == "CC0"
    meta = pyogrio.read_info(tmp_path / "layers/stops.gpkg")["layer_metadata"]
    assert meta["locscan_attribution"] == "© test"
    table = pull.status(tmp_path)
    assert table.loc["stops", "state"] == "aanwezig"
    assert table.loc["stops", "features"] == 25


def test_an_attribute_filter_the_server_cannot_take_is_applied_by_gdal(tmp_path):
    """Like PDOK's gebiedsindelingen (no CQL): `where` must still select the right features."""
    with oapif_server(25) as (url, _):
        _region(tmp_path, url)
        config = yaml.safe_load((tmp_path / "sources.yaml").read_text())
        config["sources"]["stops"]["where"] = "waarde >= 20"
        (tmp_path / "sources.yaml").write_text(yaml.safe_dump(config))
        done = pull.pull(tmp_path)
    assert done["stops"]["features"] == 5
    assert done["stops"]["where"] == "waarde >= 20"


def test_a_busy_server_is_retried(tmp_path):
    with oapif_server(25, fail_first=2) as (url, log):
        _region(tmp_path, url)
        done = pull.pull(tmp_path)
        assert log.read_text().splitlines()[:3] == ["/collections"] * 3
    assert done["stops"]["features"] == 25


def test_a_server_that_dies_keeps_the_old_layer_and_the_pull_resumes(tmp_path):
    with oapif_server(25) as (url, _):
        _region(tmp_path, url)
        pull.pull(tmp_path)
    target = tmp_path / "layers/stops.gpkg"
    before = target.read_bytes()
    with oapif_server(25, die_after_pages=5) as (url, _):
        _region(tmp_path, url)
        with pytest.raises(pull.PullError, match=r"tile \d+ of \d+ could not be fetched.*"
                                                 r"existing layer is untouched"):
            pull.pull(tmp_path)
    assert target.read_bytes() == before
    state = pull.status(tmp_path).loc["stops", "state"]
    assert state.startswith("onderbroken")
    with oapif_server(25) as (url, log):
        _region(tmp_path, url)
        done = pull.pull(tmp_path)
        resumed = [r for r in log.read_text().splitlines() if "/items" in r]
    assert done["stops"]["features"] == 25
    total_tiles = done["stops"]["tiles"]
    fetched_tiles = {r.split("bbox=")[1] for r in resumed if "bbox=" in r}
    assert len(fetched_tiles) < total_tiles  # the tiles of the first attempt were kept
    assert pull.status(tmp_path).loc["stops", "state"] == "aanwezig"


def test_without_network_the_message_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "http_retries", 0)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    _region(tmp_path, f"http://127.0.0.1:{port}")
    with pytest.raises(pull.PullError, match="No network or the service is down"):
        pull.pull(tmp_path)
    assert not (tmp_path / "layers").exists()


def test_unknown_layer_and_bad_sources_file(tmp_path):
    _region(tmp_path, "http://127.0.0.1:9")
    with pytest.raises(Exception, match="no layer\\(s\\) parcels; known: stops"):
        pull.pull(tmp_path, ["parcels"])
    (tmp_path / "sources.yaml").write_text("extent_rd: [0, 0, 1, 1]\nsources: {x: {kind: ftp}}")
    with pytest.raises(Exception, match=r"sources .*sources\.yaml"):
        pull.load_sources(tmp_path)


def test_data_commands(tmp_path):
    from click.testing import CliRunner

    from locscan.cli import main

    with oapif_server(25) as (url, _):
        _region(tmp_path, url)
        result = CliRunner().invoke(main, ["data", "pull", "--region", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "stops: 25 objecten uit" in result.output
    result = CliRunner().invoke(main, ["data", "status", "--region", str(tmp_path)])
    assert "aanwezig" in result.output
    assert "© test" in result.output


def test_status_says_what_is_missing_and_what_to_do_next(tmp_path):
    from click.testing import CliRunner
    from shapely import box

    from locscan.cli import main

    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({
        "extent_rd": _extent(5), "tile_size_m": 1000,
        "sources": {
            "stops": {"kind": "oapif", "url": "http://127.0.0.1:9/ogc", "collection": "haltes",
                      "license": "CC0", "attribution": "© test"},
            "shops": {"kind": "oapif", "url": "http://127.0.0.1:9/ogc", "collection": "winkels"},
            "work_sites": {"kind": "manual", "description": "Werklocaties van de regio"}}}))
    from _toy import gdf
    gdf([box(0, 0, 10, 10)], id=["a"]).to_file(tmp_path / "kernen.gpkg")
    (tmp_path / "plannen").mkdir()
    for i in (1, 2):
        gdf([box(0, 0, 10, 10)] * i, c=["x"] * i).to_file(tmp_path / "plannen" / f"p{i}.gpkg")
    (tmp_path / "layers.yaml").write_text(yaml.safe_dump({"layers": {
        "cores": {"source": "kernen.gpkg"}, "parking": {"source": "parkeren.gpkg"},
        "zoning": {"source": "plannen/*.gpkg"}}}))
    result = CliRunner().invoke(main, ["data", "status", "--region", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "zoning: aanwezig (eigen laag), 3 objecten" in lines  # a pattern: both files
    assert max(len(line) for line in lines) <= 100 + len(str(tmp_path))
    assert "cores: aanwezig (eigen laag), 1 objecten" in lines
    assert "stops: ontbreekt" in lines
    assert "  bron: http://127.0.0.1:9/ogc, haltes (CC0, © test)" in lines
    steps = result.output.split("Volgende stap:")[1]
    # both open layers are missing: one command pulls them all
    assert f"- ophalen: locscan data pull --region {tmp_path}\n" in steps
    assert "- zelf aanleveren: work_sites, parking" in steps


def test_shipped_gmr_sources_are_valid():
    from _toy import ROOT

    config = pull.load_sources(ROOT / "data/gmr")
    assert {"municipalities", "parcels", "dwellings", "exclusions"} <= set(config.sources)
    pulled = [s for s in config.sources.values() if s.kind != "manual"]
    assert all(s.license and s.attribution for s in pulled)
    assert {n for n, s in config.sources.items() if s.kind == "manual"} == {
        "work_sites", "ownership", "business_parks"}
    assert config.sources["zoning"].kind == "atom"
    zoning_classes = set(config.sources["zoning"].classes["class"].values())
    criteria = yaml.safe_load((ROOT / "criteria/gmr-tijdelijke-werknemers.yaml").read_text())
    wanted = next(c for c in criteria["hard"] if c["id"] == "bestemming")["value"]
    assert set(wanted) <= zoning_classes  # every class the criteria ask for can be produced
    assert config.sources["parcels"].page_size <= 1000


def _osm_parking(path) -> None:
    # RD near Arnhem: a parking node with capacity, a parking area whose capacity is text,
    # a supermarket node (not parking)
    pts = gpd.GeoSeries.from_xy([190_000, 190_100, 190_100, 190_200, 190_200, 190_300],
                                [444_000, 444_000, 444_100, 444_100, 444_000, 444_000],
                                crs=28992).to_crs(4326)
    nodes = "".join(f'<node id="{i + 1}" lat="{p.y:.8f}" lon="{p.x:.8f}" version="1">'
                    + ('<tag k="amenity" v="parking"/><tag k="capacity" v="40"/>' if i == 0
                       else '<tag k="shop" v="supermarket"/>' if i == 5 else "")
                    + "</node>" for i, p in enumerate(pts))
    way = ('<way id="20"><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="5"/><nd ref="2"/>'
           '<tag k="amenity" v="parking"/><tag k="capacity" v="veel"/>'
           '<tag k="name" v="P+R Noord"/></way>')
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?><osm version="0.6">{nodes}{way}'
                    "</osm>")


def test_osm_features_from_a_local_extract(tmp_path):
    _osm_parking(tmp_path / "extract.osm")
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({
        "extent_rd": [189_000, 443_000, 191_000, 445_000],
        "sources": {"parking": {"kind": "osm", "tags": {"amenity": "parking"},
                                "file": "extract.osm", "fields": {"capacity": "capacity"},
                                "license": "ODbL 1.0",
                                "attribution": "© OpenStreetMap contributors"}},
    }))
    record = pull.pull(tmp_path)["parking"]
    assert record["features"] == 2
    assert record["attribution"] == "© OpenStreetMap contributors"
    entry = load_catalogue(tmp_path / "layers.yaml").layers["parking"]
    with pytest.warns(UserWarning, match="'capacity' has 1 values that are not numbers \\('veel'"):
        layer, _ = load_layer("parking", entry, tmp_path)
    assert sorted(layer.geom_type) == ["Point", "Polygon"]
    assert layer.sort_values("capacity")["capacity"].tolist()[0] == 40
    assert layer["capacity"].isna().sum() == 1
    area = layer[layer.geom_type == "Polygon"].area.iloc[0]
    assert area == pytest.approx(100 * 100, rel=1e-3)  # the 100 m square, back in RD


def test_osm_source_needs_tags(tmp_path):
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({
        "extent_rd": [0, 0, 1, 1], "sources": {"parking": {"kind": "osm"}}}))
    with pytest.raises(Exception, match="kind 'osm' needs 'tags'"):
        pull.load_sources(tmp_path)


def test_wfs_with_paging(tmp_path):
    from _servers import wfs_server

    with wfs_server(25, page=10) as (url, log):
        (tmp_path / "sources.yaml").write_text(yaml.safe_dump({
            "extent_rd": [189_000, 443_000, 193_000, 445_000], "tile_size_m": 5000,
            "sources": {"stops": {"kind": "wfs", "url": url, "collection": "test:kernen",
                                  "page_size": 10, "fields": {"name": "naam"},
                                  "license": "CC0", "attribution": "test"}},
        }))
        record = pull.pull(tmp_path)["stops"]
        requests = log.read_text()
    assert record["features"] == 25
    assert "STARTINDEX=20" in requests.upper()  # three pages of at most 10
    assert "%3CBBOX%3E" in requests.upper()  # the tile as a filter
    layer, _ = load_layer("stops", load_catalogue(tmp_path / "layers.yaml").layers["stops"],
                          tmp_path)
    assert layer.crs.to_epsg() == 28992
    assert layer.geometry.x.min() == 190_000  # served in RD New, kept exactly


def test_manual_layers_are_reported_not_pulled(tmp_path):
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({
        "extent_rd": [0, 0, 1, 1],
        "sources": {"ownership": {"kind": "manual", "role": "ownership",
                                  "description": "eigen vastgoedregister"}}}))
    with pytest.raises(Exception, match="ownership cannot be pulled: the region supplies"):
        pull.pull(tmp_path, ["ownership"])
    assert pull.pull(tmp_path) == {}  # 'all' skips them
    state = pull.status(tmp_path).loc["ownership", "state"]
    assert state == "ontbreekt (geen open bron: lever een eigen laag aan)"


# --- downloads (kind file) and Atom feeds (kind atom), from a local static file server ---

def _zipped_gpkg(folder, name: str, frame: gpd.GeoDataFrame) -> str:
    import zipfile

    gpkg = folder / f"{name}.gpkg"
    pyogrio.write_dataframe(frame, gpkg, layer=name)
    with zipfile.ZipFile(folder / f"{name}.zip", "w") as z:
        z.write(gpkg, f"data/{name}.gpkg")
    gpkg.unlink()
    return f"{name}.zip"


def _polygons(names: list[str], x0: float, field: str = "naam") -> gpd.GeoDataFrame:
    import shapely

    return gpd.GeoDataFrame({field: names}, geometry=[
        shapely.box(x0 + 300 * i, 440_000, x0 + 300 * i + 200, 440_200)
        for i in range(len(names))], crs=28992)


def _file_region(folder, sources: dict) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "sources.yaml").write_text(yaml.safe_dump({
        "extent_rd": [190_000, 439_000, 191_000, 441_000], "tile_size_m": 1000,
        "sources": sources}))


def test_file_source_reads_a_zipped_geopackage_over_http_and_clips_to_the_extent(tmp_path):
    served = tmp_path / "www"
    served.mkdir()
    # two cores inside the extent, one far outside it
    cores = pd.concat([_polygons(["Zevenaar", "Duiven"], 190_000, "kern_naam"),
                       _polygons(["Elders"], 250_000, "kern_naam")], ignore_index=True)
    zipped = _zipped_gpkg(served, "kernen", cores)
    with file_server(served, fail_first=2) as (url, log):  # the first two requests fail: 503
        _file_region(tmp_path / "r", {"cores": {
            "kind": "file", "url": f"{url}/{zipped}", "member": "data/kernen.gpkg",
            "fields": {"name": "kern_naam"}, "license": "CBS: bron vermelden",
            "attribution": "CBS Bevolkingskernen"}})
        done = pull.pull(tmp_path / "r", ["cores"])
        requests = log.read_text().splitlines()
    assert done["cores"]["features"] == 2
    assert done["cores"]["downloads"] == [f"{url}/{zipped}"]
    assert any("Range" in r or "bytes=" in r for r in requests)  # read by ranges, not whole
    entry = load_catalogue(tmp_path / "r" / "layers.yaml").layers["cores"]
    layer, _ = load_layer("cores", entry, tmp_path / "r")
    assert sorted(layer["name"]) == ["Duiven", "Zevenaar"]


def test_file_source_takes_a_local_file(tmp_path):
    region = tmp_path / "r"
    region.mkdir()
    _zipped_gpkg(region, "kernen", _polygons(["Zevenaar"], 190_000))
    _file_region(region, {"cores": {"kind": "file", "url": "kernen.zip"}})
    assert pull.pull(region, ["cores"])["cores"]["features"] == 1


def test_a_file_without_a_crs_is_not_guessed(tmp_path):
    region = tmp_path / "r"
    region.mkdir()
    with pytest.warns(UserWarning, match="'crs' was not provided"):  # made on purpose
        _polygons(["Zevenaar"], 190_000).set_crs(None, allow_override=True).to_file(
            region / "kernen.shp")  # a shapefile without .prj
    _file_region(region, {"cores": {"kind": "file", "url": "kernen.shp"}})
    with pytest.raises(pull.PullError, match=r"kernen\.shp: the file states no CRS; state it "
                                             "with 'crs:' in sources.yaml"):
        pull.pull(region, ["cores"])
    _file_region(region, {"cores": {"kind": "file", "url": "kernen.shp", "crs": "EPSG:28992"}})
    assert pull.pull(region, ["cores"])["cores"]["features"] == 1


def _feed(entries: list[tuple[str, str, str]], *, describedby: bool = False) -> str:
    """An Atom feed; entries are (title, href, type)."""
    items = "".join(
        f"<entry><title>{title}</title><id>{href}</id>"
        f"<link rel='alternate' href='{href}' type='{kind}'/>"
        + ("<link rel='describedby' href='meta.xml' type='application/xml'/>"
           if describedby else "") + "</entry>"
        for title, href, kind in entries)
    return ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"<title>test</title><id>t</id>{items}</feed>")


def _zoning_site(served) -> None:
    served.mkdir()
    (served / "service.xml").write_text(_feed([
        ("Ruimtelijke plannen Enkelbestemming", "enkel.xml", "application/atom+xml"),
        ("Ruimtelijke plannen Bouwvlak", "bouwvlak.xml", "application/atom+xml")],
        describedby=True))
    (served / "enkel.xml").write_text(_feed([
        ("Enkelbestemming deel 1", "deel1.zip", "application/zip"),
        ("Enkelbestemming deel 2", "deel2.zip", "application/zip")]))
    (served / "bouwvlak.xml").write_text(_feed([("Bouwvlak", "bouwvlak.zip", "application/zip")]))
    _zipped_gpkg(served, "deel1", _polygons(["Wonen", "Bedrijf - 2"], 190_000))
    _zipped_gpkg(served, "bouwvlak", _polygons(["bouwvlak"], 190_000))


def _zoning_source(url: str) -> dict:
    return {"zoning": {"kind": "atom", "url": f"{url}/service.xml",
                       "entries": "*enkelbestemming*", "role": "zoning",
                       "fields": {"class": "naam"},
                       "classes": {"class": {"Wonen*": "Wonen", "Bedrijf*": "Bedrijf"}},
                       "license": "CC0 1.0", "attribution": "Ruimtelijke plannen / PDOK"}}


@contextmanager
def _interrupted_zoning_pull(tmp_path):
    """
    Serve the zoning feed with part 2 not yet published, after a pull that stopped there.

    Yields (served folder, region folder, request log); part 1 is kept in the region's staging.
    """
    served = tmp_path / "www"
    _zoning_site(served)
    region = tmp_path / "r"
    with file_server(served) as (url, log):
        _file_region(region, _zoning_source(url))
        with pytest.raises(pull.PullError, match=r"deel2\.zip.*1 parts are kept"):
            pull.pull(region, ["zoning"])
        assert not (region / "layers" / "zoning.gpkg").exists()
        yield served, region, log


def test_atom_follows_matching_entries_resumes_and_maps_classes(tmp_path):
    with _interrupted_zoning_pull(tmp_path) as (served, region, log):
        _zipped_gpkg(served, "deel2", _polygons(["Wonen - 1"], 190_500))
        log.write_text("")
        done = pull.pull(region, ["zoning"])
        requests = log.read_text()
    assert "deel1.zip" not in requests  # resumed: part 1 was kept from the first run
    assert "bouwvlak" not in requests
    assert "meta.xml" not in requests
    assert done["zoning"]["features"] == 3
    assert [d.rsplit("/", 1)[1] for d in done["zoning"]["downloads"]] == ["deel1.zip",
                                                                          "deel2.zip"]
    entry = load_catalogue(region / "layers.yaml").layers["zoning"]
    layer, _ = load_layer("zoning", entry, region)
    assert sorted(layer["class"]) == ["Bedrijf", "Wonen", "Wonen"]


def test_atom_feed_offline_is_a_clear_error(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _file_region(tmp_path, _zoning_source(f"http://127.0.0.1:{port}"))
    with pytest.raises(pull.PullError, match=r"feed could not be read.*no earlier copy of "
                                             r"this layer yet"):
        pull.pull(tmp_path, ["zoning"])


def test_atom_links_rejects_what_is_not_a_feed(tmp_path):
    served = tmp_path / "www"
    served.mkdir()
    (served / "page.xml").write_text("<html xmlns='http://www.w3.org/1999/xhtml'/>")
    with file_server(served) as (url, _), pytest.raises(pull.PullError, match="not an Atom"):
        pull.atom_links(f"{url}/page.xml")


def test_file_source_reads_gzipped_gml_style_downloads(tmp_path):
    import gzip

    served = tmp_path / "www"
    served.mkdir()
    plain = served / "Enkelbestemming.geojson"
    frame = _polygons(["Wonen", "Groen"], 190_000).assign(historisch=["false", "true"])
    pyogrio.write_dataframe(frame, plain, driver="GeoJSON")
    (served / "Enkelbestemming.geojson.gz").write_bytes(gzip.compress(plain.read_bytes()))
    with file_server(served) as (url, _):
        _file_region(tmp_path / "r", {"zoning": {
            "kind": "file", "url": f"{url}/Enkelbestemming.geojson.gz",
            "where": "historisch = 'false'", "role": "zoning", "fields": {"class": "naam"}}})
        done = pull.pull(tmp_path / "r", ["zoning"])
    assert done["zoning"]["features"] == 1


def test_missing_local_file_says_where_to_get_it(tmp_path):
    _file_region(tmp_path, {"cores": {"kind": "file", "url": "downloads/kernen.zip",
                                      "description": "Download het bestand van cbs.nl."}})
    with pytest.raises(pull.PullError, match=r"kernen\.zip: file not found\. Download"):
        pull.pull(tmp_path, ["cores"])


def test_one_failing_layer_does_not_stop_the_others(tmp_path):
    region = tmp_path / "r"
    region.mkdir()
    _zipped_gpkg(region, "kernen", _polygons(["Zevenaar"], 190_000))
    _file_region(region, {"missing": {"kind": "file", "url": "nothing.zip"},
                          "cores": {"kind": "file", "url": "kernen.zip"}})
    with pytest.raises(pull.PullError, match=r"nothing\.zip") as info:
        pull.pull(region)
    assert list(info.value.done) == ["cores"]
    assert (region / "layers" / "cores.gpkg").exists()


def test_a_pulled_region_is_accepted_by_the_scan(tmp_path, small_demo):
    """End to end, offline: every layer of a region pulled over HTTP, then `locscan scan`."""
    import shutil

    from click.testing import CliRunner

    from locscan.cli import main
    from locscan.region import Region

    served = tmp_path / "www"
    served.mkdir()
    shutil.copy(small_demo / "demo.gpkg", served / "demo.gpkg")
    demo_layers = yaml.safe_load((small_demo / "layers.yaml").read_text())["layers"]
    region = tmp_path / "pulled"
    region.mkdir()
    shutil.copy(small_demo / "region.yaml", region / "region.yaml")
    extent = Region(small_demo).layer("municipalities").total_bounds.tolist()
    with file_server(served) as (url, _):
        sources = {name: {"kind": "file", "url": f"{url}/demo.gpkg", "collection": entry["layer"],
                          "fields": entry.get("fields", {}), "classes": entry.get("classes", {}),
                          "license": "demo", "attribution": "locscan demo"}
                   for name, entry in demo_layers.items()}
        (region / "sources.yaml").write_text(yaml.safe_dump(
            {"extent_rd": extent, "tile_size_m": 50_000, "sources": sources}))
        done = pull.pull(region)
    assert set(done) == set(demo_layers)
    out = tmp_path / "longlist.gpkg"
    result = CliRunner().invoke(main, [
        "scan", "--region", str(region), "--criteria",
        str(Path(__file__).parents[1] / "criteria/gmr-tijdelijke-werknemers.yaml"),
        "-o", str(out)])
    assert result.exit_code == 0, result.output
    sites = pyogrio.read_dataframe(out)
    assert len(sites) > 0
    meta = pyogrio.read_info(out)["layer_metadata"]
    assert "locscan demo" in json.dumps(meta)  # attribution of the pulled layers in the export


def test_a_host_that_does_not_resolve_fails_at_once(tmp_path, monkeypatch):
    def no_requests(*args, **kwargs):
        raise AssertionError("the service was asked (and retried) although its host is unknown")

    monkeypatch.setattr(pull.service, "service_crs", no_requests)
    monkeypatch.setattr(pull.service, "fetch_tile", no_requests)
    _file_region(tmp_path, {"parcels": {"kind": "oapif", "url": "https://locscan.invalid/ogc",
                                        "collection": "perceel"}})
    with pytest.raises(pull.PullError, match=r"no network\? cannot resolve locscan\.invalid"):
        pull.pull(tmp_path)


def test_status_table_is_in_dutch_and_says_what_is_missing(tmp_path):
    region = tmp_path / "r"
    region.mkdir()
    _zipped_gpkg(region, "kernen", _polygons(["Zevenaar", "Duiven"], 190_000))
    _file_region(region, {"cores": {"kind": "file", "url": "kernen.zip", "license": "CC BY",
                                    "attribution": "CBS"},
                          "ownership": {"kind": "manual", "role": "ownership"}})
    pull.pull(region, ["cores"])
    table = pull.status_table(region).set_index("laag")
    assert list(table.columns) == ["bron", "eigen laag", "opgehaald (UTC)", "objecten", "licentie",
                                   "naamsvermelding", "toestand", "beschrijving"]
    assert table.loc["cores", "objecten"] == 2
    assert table.loc["cores", "naamsvermelding"] == "CBS"
    assert table.loc["ownership", "toestand"].startswith("ontbreekt")


def test_a_part_kept_from_an_older_feed_is_not_reused(tmp_path):
    with _interrupted_zoning_pull(tmp_path) as (served, region, _):  # deel1 is kept
        # the publisher replaces deel1 by deel1b before the next pull
        (served / "enkel.xml").write_text(_feed([
            ("Enkelbestemming deel 1", "deel1b.zip", "application/zip"),
            ("Enkelbestemming deel 2", "deel2.zip", "application/zip")]))
        _zipped_gpkg(served, "deel1b", _polygons(["Bedrijf - 3"], 190_000))
        _zipped_gpkg(served, "deel2", _polygons(["Wonen - 1"], 190_500))
        done = pull.pull(region, ["zoning"])
    layer, _ = load_layer("zoning", load_catalogue(region / "layers.yaml").layers["zoning"],
                          region)
    assert done["zoning"]["features"] == 2
    assert sorted(layer["class"]) == ["Bedrijf", "Wonen"]  # nothing of the old deel1
