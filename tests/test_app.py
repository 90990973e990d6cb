"""The Streamlit app, run headless with AppTest on a small demo region."""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest
import streamlit as st
from _toy import ROOT
from streamlit.testing.v1 import AppTest

HARD_PARKING = "gmr-tijdelijke-werknemers:parkeren"


@pytest.fixture
def workdir(small_demo, tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data/demo").symlink_to(small_demo)
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOCSCAN_DB", f"sqlite:///{tmp_path}/shortlist.sqlite")
    monkeypatch.setenv("LOCSCAN_TILES", "none")
    st.cache_resource.clear()
    return tmp_path


def _app(tab: str | None = None) -> AppTest:
    """The app run once, with `tab` open (only the open tab runs; the first: the map)."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if tab:
        app.session_state["tab"] = tab
    return app.run()


def _tab(app: AppTest, tab: str) -> AppTest:
    """Open `tab`, as a click on it does (the app runs again)."""
    app.session_state["tab"] = tab
    return app.run()


def _metric(app: AppTest, label: str) -> int:
    return int(next(m.value for m in app.metric if m.label == label))


def test_app_shows_demo_label_counts_and_a_map(workdir):
    app = _app()
    assert not app.exception
    assert any("DEMO" in w.value for w in app.warning)
    assert _metric(app, "Op de longlist") > 0
    maps = [e for e in app.main if getattr(e, "type", "") == "component_instance"] or [
        e for e in app._tree.main.children.values()]
    assert maps


def test_two_regions_with_one_label_stay_apart(workdir, small_demo):
    """
    A copy of a region folder has the region's label: both are offered, each named by its
    folder, and a rerun keeps the region chosen (the selectbox answers with the label it
    showed; with one label for both, the app switched to the copy).
    """
    shutil.copytree(small_demo, workdir / "data/kopie", ignore=shutil.ignore_patterns(".*"))
    app = _app()
    box = app.sidebar.selectbox(key="keuze:regio")
    assert box.value == "data/demo"
    labels = box.options
    assert len(set(labels)) == 2
    assert all(("data/demo" in x) != ("data/kopie" in x) for x in labels)
    _tab(app, "Shortlist")
    assert app.sidebar.selectbox(key="keuze:regio").value == "data/demo"
    assert app.query_params["regio"] in ("data/demo", ["data/demo"])


def _map_args(app: AppTest) -> dict:
    def walk(node):
        for child in getattr(node, "children", {}).values():
            yield child
            yield from walk(child)

    comp = next(e for e in walk(app._tree) if getattr(
        getattr(e, "proto", None), "component_name", "").endswith("locscan_kaart"))
    return json.loads(comp.proto.json_args)


def _classes(args: dict) -> bytes:
    """The map's class per candidate, from the file the component is told to fetch."""
    both = (ROOT / "static/kaart" / args["classes"]).read_bytes()
    return both[: len(both) // 2]


def test_map_gets_region_files_once_and_one_byte_per_candidate(workdir):
    args = _map_args(_app())
    files = args["files"]
    assert args["base"] == "/app/static/kaart/"
    for name in (files["points"], files["order"], files["context"]):
        assert (ROOT / "static/kaart" / name).is_file()
    # the outlines a moment later (they are not waited for)
    deadline = time.monotonic() + 30
    while not (ROOT / "static/kaart" / files["rings"]).is_file():
        assert time.monotonic() < deadline, "the outlines were not written"
        time.sleep(0.2)
    # the classes and scores travel as a file (two bytes per candidate), not in the arguments
    assert (ROOT / "static/kaart" / args["classes"]).stat().st_size == 2 * files["count"]
    assert len(json.dumps(args)) < 20_000
    assert args["tiles"] is False
    assert args["legend"]
    from locscan.maps import deck

    assert args["context_style"] == deck.context_draw()  # one place sets the colours


def test_map_component_loads_only_local_assets():
    page = (ROOT / "ui/kaart/index.html").read_text()
    sources = re.findall(r'src="([^"]+)"', page)
    assert sources == ["/app/static/vendor/deckgl/deck.min.js", "kaart.js"]
    assert (ROOT / "static/vendor/deckgl/deck.min.js").is_file()
    assert "https://" not in page
    script = (ROOT / "ui/kaart/kaart.js").read_text()
    # the only address outside the app: the optional OpenStreetMap tiles
    assert re.findall(r"https://[^\s\"'`]+", script) == [
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png"]


def test_stricter_threshold_shrinks_the_longlist_and_offers_to_save(workdir):
    app = _app()
    before = _metric(app, "Op de longlist")
    app.number_input(key=HARD_PARKING).set_value(1_000).run()
    assert not app.exception
    assert _metric(app, "Op de longlist") < before
    shown = [c.value.replace("\\", "") for c in app.caption]  # markdown escapes: not shown
    assert any("Voldoende parkeergelegenheid: drempel 20 → 1000" in c for c in shown)
    app.text_input(key="user").set_value("Anna").run()
    app.text_input(key="new_criteria_name").set_value("strenger parkeren").run()
    next(b for b in app.button if b.label == "Opslaan als nieuwe criteriaset").click().run()
    saved = workdir / "criteria/strenger-parkeren.yaml"
    assert saved.is_file()
    assert "author: Anna" in saved.read_text()
    app.number_input(key=HARD_PARKING).set_value(0).run()
    assert _metric(app, "Op de longlist") >= before


def test_why_not_for_a_typed_id(workdir):
    app = _app("Waarom (niet)?")
    app.text_input(key="site").set_value("perceel:P0000001").run()
    assert not app.exception
    assert not app.error
    why = next(d.value for d in app.dataframe if d.value.index.name == "id")
    assert "afstand_werk" in why.index
    assert why.loc["afstand_werk", "criterium"] == "Binnen 15 km van een werklocatie"


def _first_longlist_site(app: AppTest) -> str:
    _tab(app, "Longlist")
    table = next(d.value for d in app.dataframe if "status" in d.value.columns)
    return table.index[0]


def test_shortlist_survives_a_fresh_app_run(workdir):
    app = _app()
    site = _first_longlist_site(app)
    app.text_input(key="user").set_value("Anna").run()
    _tab(app, "Waarom (niet)?")
    app.text_input(key="site").set_value(site).run()
    next(b for b in app.button if b.label == "Op de shortlist zetten").click().run()
    assert not app.exception
    assert _metric(app, "Op de shortlist") == 1
    st.cache_resource.clear()  # as after a restart of the server
    fresh = _app("Shortlist")
    assert _metric(fresh, "Op de shortlist") == 1
    assert site in fresh.selectbox(key="edit_site").options


def test_a_colleagues_save_never_replaces_typing_and_a_conflict_asks_which_to_keep(workdir):
    from locscan.region import Region
    from locscan.shortlist import Shortlist

    app = _app()
    site = _first_longlist_site(app)
    app.text_input(key="user").set_value("Anna").run()
    _tab(app, "Waarom (niet)?")
    app.text_input(key="site").set_value(site).run()
    next(b for b in app.button if b.label == "Op de shortlist zetten").click().run()
    tag = f"{site}:1"
    _tab(app, "Shortlist")
    assert app.number_input(key=f"capacity:{tag}").value is None  # unknown, not 0
    bram = Shortlist(region=Region(workdir / "data/demo").key)
    bram.update(site, user="Bram", expected_version=1, note="van Bram", capacity=40)
    app.run()  # as the 20-second refresh does: the form keeps the version Anna started from
    assert app.text_area(key=f"note:{tag}").value == ""
    assert any("U bewerkt versie 1" in c.value for c in app.caption)
    app.text_area(key=f"note:{tag}").set_value("Anna typt nog")
    next(b for b in app.button if b.label == "Opslaan").click().run()
    assert not app.exception
    assert any("Bram heeft deze locatie intussen gewijzigd" in w.value.replace("\\", "")
               for w in app.warning)
    assert bram.get(site)["note"] == "van Bram"  # nothing overwritten by the click
    next(b for b in app.button if b.label == "Opslaan").click().run()  # a second click: same
    assert not app.exception
    assert [e.value for e in app.error] == []
    assert bram.get(site)["note"] == "van Bram"
    next(b for b in app.button if b.label == "Mijn versie opslaan").click().run()
    stored = bram.get(site)
    assert (stored["note"], stored["capacity"], stored["version"]) == ("Anna typt nog", None, 3)
    bram.close()


def test_hostile_names_are_shown_as_text(workdir):
    from locscan.region import Region
    from locscan.shortlist import Shortlist

    app = _app()
    site = _first_longlist_site(app)
    evil = "![x](http://evil.example/p.png) [klik](http://evil.example) <b>x</b>"
    with Shortlist(region=Region(workdir / "data/demo").key) as store:
        store.add(site, user=evil)
    app = _app("Shortlist")
    shown = " ".join(c.value for c in app.caption).replace("\u200b", "")
    assert "\\!\\[x\\]\\(http\\:" in shown  # escaped: Streamlit shows it, never fetches it


def test_robustness_of_the_ranking_in_the_app(workdir):
    app = _app("Longlist")
    next(b for b in app.button if b.label == "Bereken robuustheid").click().run()
    assert not app.exception
    assert any("wankele plaats in de top" in m.value for m in app.markdown)


def _ahp_script(root: str) -> None:
    import sys

    sys.path.insert(0, root)
    from locscan import criteria
    from ui import ahp_page

    ahp_page.page(criteria.load("criteria/gmr-tijdelijke-werknemers.yaml"), "Anna")


def test_ahp_page_turns_comparisons_into_weights(workdir):
    app = AppTest.from_function(_ahp_script, args=(str(ROOT),), default_timeout=60).run()
    assert not app.exception
    weights = app.dataframe[-1].value
    assert weights.loc["werkgroep", "CR"] == pytest.approx(0.0)  # all "1": equal weights
    app.text_input(key="ahp_name").set_value("gelijke gewichten").run()
    next(b for b in app.button if b.label.startswith("Opslaan als nieuwe")).click().run()
    assert not app.exception
    saved = (workdir / "criteria/gelijke-gewichten.yaml").read_text()
    assert "ahp:" in saved


def _compare_script(root: str) -> None:
    import sys

    sys.path.insert(0, root)
    from locscan.scan import Scan
    from ui import compare_page

    scan = Scan.open("data/demo", "criteria/gmr-tijdelijke-werknemers.yaml")
    strict = scan.criteria.with_value("afstand_werk", 2)  # 2 km instead of 15: sites leave
    compare_page.page(scan, strict, True, None, None, scan.context(),
                      scan.meta.codes(None, None))


def test_compare_page_shows_the_sites_that_leave(workdir):
    app = AppTest.from_function(_compare_script, args=(str(ROOT),), default_timeout=90).run()
    assert not app.exception
    assert app.multiselect[0].value[0] == "huidige aanpassingen (niet opgeslagen)"
    assert any("locaties komen erbij tegenover" in m.value or
               "locaties vallen af tegenover" in m.value for m in app.markdown)


def test_a_site_is_found_by_part_of_its_number(workdir):
    app = _app()
    site = _first_longlist_site(app)
    number = site.split(":")[1]  # "P0001234"
    _tab(app, "Waarom (niet)?")
    app.text_input(key="site").set_value(f" {number.lower()} ").run()  # one hit: explained
    assert not app.exception
    assert any(site in m.value.replace("\\", "") for m in app.markdown)
    app.text_input(key="site").set_value(number[:-1]).run()  # "P000123": up to ten hits
    found = next(s for s in app.selectbox if s.label.endswith("locaties gevonden"))
    assert any(option.startswith(f"{site} – ") for option in found.options)  # failing ones too
    app.text_input(key="site").set_value("bestaat-niet-xyz").run()
    assert any("Geen locatie gevonden" in w.value for w in app.warning)


def test_only_the_open_tab_runs_and_another_tab_keeps_what_was_typed(workdir):
    app = _app("Waarom (niet)?")
    app.text_input(key="site").set_value("perceel:P0000001").run()
    _tab(app, "Kaart")
    assert not [t for t in app.text_input if t.key == "site"]  # that tab did not run
    assert not [d for d in app.dataframe if "status" in d.value.columns]  # nor the longlist's
    _tab(app, "Waarom (niet)?")
    assert app.text_input(key="site").value == "perceel:P0000001"
    _tab(app, "Longlist")
    app.text_input(key="filter").set_value("no site is called this").run()
    app.selectbox(key="sort").set_value("area_m2").run()
    _tab(app, "Export")
    _tab(app, "Longlist")
    assert not app.exception
    assert app.text_input(key="filter").value == "no site is called this"
    assert app.selectbox(key="sort").value == "area_m2"
    assert not app.warning[1:]  # only the demo's label: no warning about a widget's value


def test_a_reload_keeps_the_choices_in_the_address(workdir):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.query_params["subregio"] = "Liemers"
    app.query_params["afstand_werk"] = "12"
    app.run()
    assert not app.exception
    sub = next(s for s in app.sidebar.selectbox if s.label == "Subregio")
    assert sub.value == "Liemers"
    assert app.number_input(key="gmr-tijdelijke-werknemers:afstand_werk").value == 12.0
    assert app.query_params["afstand_werk"] == "12"
    assert app.query_params["subregio"] == "Liemers"


def test_every_choice_in_the_sidebar_takes_also_the_second(workdir):
    """The address holds the choices; a choice must not be lost when the address changes the
    widget's default (every second choice of a gemeente was: the widget was a new one)."""
    app = _app()
    for name in ("Zevenaar", "Arnhem", "Duiven", "Arnhem"):
        next(s for s in app.sidebar.selectbox if s.label == "Gemeente").set_value(name).run()
        assert not app.exception
        assert next(s for s in app.sidebar.selectbox if s.label == "Gemeente").value == name
        assert app.query_params["gemeente"] == name
    for name in ("Liemers", "Arnhem", "(alle)"):
        next(s for s in app.sidebar.selectbox if s.label == "Subregio").set_value(name).run()
        assert next(s for s in app.sidebar.selectbox if s.label == "Subregio").value == name


def test_a_reload_keeps_the_chosen_site_weights_and_classes(workdir):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.query_params["locatie"] = "perceel:P0000001"
    app.query_params["w.dichtbij_werk"] = "5"
    app.query_params["bestemming"] = ["Wonen", "Gemengd", "geen bestemming van de demo"]
    app.session_state["tab"] = "Waarom (niet)?"
    app.run()
    assert not app.exception
    assert app.text_input(key="site").value == "perceel:P0000001"
    assert app.number_input(key="gmr-tijdelijke-werknemers:w:dichtbij_werk").value == 5.0
    classes = app.multiselect(key="gmr-tijdelijke-werknemers:bestemming").value
    assert sorted(classes) == ["Gemengd", "Wonen"]  # an unknown class from the address is dropped
    # and the address now says so, for the next reload or a shared link
    assert app.query_params["locatie"] == "perceel:P0000001"
    assert app.query_params["w.dichtbij_werk"] == "5"
    assert sorted(app.query_params["bestemming"]) == ["Gemengd", "Wonen"]


def test_longlist_table_pages_over_every_site_and_filters(workdir):
    app = _app("Longlist")
    total = _metric(app, "Op de longlist")
    shown = [c.value.replace("\\", "") for c in app.caption]
    assert any(f"van {total}" in c and "alle locaties staan in de export" in c for c in shown)
    app.text_input(key="filter").set_value("no site is called this").run()
    shown = [c.value.replace("\\", "") for c in app.caption]
    assert any(f"Locaties 0–0 van 0 (gefilterd uit {total})" in c for c in shown)


def test_first_visit_explains_the_tool_and_a_change_without_effect_says_so(workdir):
    app = _app()
    intro = next(e for e in app.expander if e.label == "Hoe werkt locscan?")
    assert "longlist" in intro.markdown[0].value
    # every demo site lies within 15 km of a work site: 60 km changes nothing
    app.number_input(key="gmr-tijdelijke-werknemers:afstand_werk").set_value(60.0).run()
    assert any("Geen effect" in c.value for c in app.caption)
    app.number_input(key=HARD_PARKING).set_value(1_000).run()
    shown = [c.value for c in app.caption]
    assert sum("Geen effect" in c for c in shown) == 1  # parking 1000 does change the outcome


def test_reach_around_work_sites_goes_to_the_map_when_asked(workdir):
    app = _app()
    assert _map_args(app)["reach"] is None
    next(c for c in app.checkbox if c.label == "Bereik rond werklocaties tonen").check().run()
    zone = _map_args(app)["reach"]
    assert zone["features"][0]["properties"]["name"] == "binnen 15 km van een werklocatie"


def test_a_region_scanned_in_parts_maps_only_the_chosen_gemeente(workdir, small_demo,
                                                                   monkeypatch):
    import yaml

    from ui import kaart_component

    folder = workdir / "data/regio-in-delen"  # the demo, as a region scanned in parts
    shutil.copytree(small_demo, folder, ignore=shutil.ignore_patterns(".locscan-cache"))
    meta = yaml.safe_load((folder / "region.yaml").read_text(encoding="utf-8"))
    (folder / "region.yaml").write_text(yaml.safe_dump(
        meta | {"in_parts": True, "label": "Demo in delen"}),
                                        encoding="utf-8")
    whole = _map_args(_app())["files"]["count"]  # the demo scanned whole: every candidate
    monkeypatch.setattr(kaart_component, "MAP_LIMIT", whole - 1)  # the region: too many
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.query_params["regio"] = "data/regio-in-delen"
    app.query_params["gemeente"] = "Zevenaar"
    app.run()
    assert not app.exception
    assert not app.error
    args = _map_args(app)
    ids = json.loads((ROOT / "static/kaart" / args["files"]["ids"]).read_text())
    assert 0 < len(ids) == args["files"]["count"] < whole
    assert all(c > 0 for c in _classes(args))  # all in Zevenaar: all shown
    # a selection larger than the map may draw asks to narrow it, and draws nothing
    gemeente = next(s for s in app.sidebar.selectbox if s.label == "Gemeente")
    gemeente.set_value("(alle)").run()
    assert not app.exception
    assert any("te veel voor één kaart" in i.value for i in app.info)


def test_outlines_that_cannot_be_written_are_logged_not_raised(caplog):
    from locscan.errors import RegionError
    from ui import kaart_component

    class Gone:
        def write_map_outlines(self, files, rows, folder, codes):
            raise RegionError("de bestanden van de regio zijn veranderd")

    files = kaart_component.deck.MapFiles("k", 0, *["x"] * 9)
    kaart_component._write_outlines(Gone(), files, None, ["GM0001"])
    assert "de vlakken van kaart k zijn niet geschreven" in caplog.text
    assert "veranderd" in caplog.text


def _box(app: AppTest, label: str):
    return next(s for s in app.sidebar.selectbox if s.label == label)


def test_a_province_narrows_the_lists_and_the_counts_and_is_kept_in_the_address(workdir):
    """The GMR's one gemeente in Limburg: choosing the province is choosing Mook en Middelaar."""
    app = _app()
    everything = _metric(app, "Kandidaten")
    assert _box(app, "Provincie").options == ["(alle)", "Gelderland", "Limburg"]
    _box(app, "Provincie").set_value("Limburg").run()
    assert not app.exception
    assert _box(app, "Gemeente").options == ["(alle)", "Mook en Middelaar"]
    assert _box(app, "Arbeidsmarktregio").options == ["(alle)", "Rijk van Nijmegen"]
    assert _box(app, "Subregio").options == ["(alle)", "Rijk van Nijmegen"]
    in_limburg = _metric(app, "Kandidaten")
    assert 0 < in_limburg < everything
    assert app.query_params["provincie"] == "Limburg"
    _box(app, "Gemeente").set_value("Mook en Middelaar").run()
    assert _metric(app, "Kandidaten") == in_limburg
    reloaded = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    reloaded.query_params["provincie"] = "Limburg"
    reloaded.run()
    assert not reloaded.exception
    assert _box(reloaded, "Provincie").value == "Limburg"
    assert _metric(reloaded, "Kandidaten") == in_limburg
    _box(reloaded, "Provincie").set_value("(alle)").run()
    _box(reloaded, "Arbeidsmarktregio").set_value("FoodValley").run()  # Renkum alone
    assert _box(reloaded, "Gemeente").options == ["(alle)", "Renkum"]
    assert _metric(reloaded, "Kandidaten") < everything
