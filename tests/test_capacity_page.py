"""The page "Opgave & capaciteit" on a region scanned in parts: a chosen part, never all."""

from __future__ import annotations

import shutil

import pytest
import yaml
from _toy import ROOT
from streamlit.testing.v1 import AppTest


def _script(root: str, folder: str, codes: list[str] | None) -> None:
    import sys

    sys.path.insert(0, root)
    from locscan.scan import Scan
    from locscan.shortlist import Shortlist
    from ui import capacity_page

    scan = Scan.open(folder, f"{root}/criteria/gmr-tijdelijke-werknemers.yaml")
    store = Shortlist(f"sqlite:///{folder}/sl.sqlite", scan.region.key)
    capacity_page.page(scan, scan.criteria, store, store.items(), "", None,
                       codes or scan.meta.codes(), scan.context())


@pytest.fixture(scope="module")
def in_parts(small_demo, tmp_path_factory):
    """The demo as a region scanned in parts (as a province or the country is)."""
    folder = tmp_path_factory.mktemp("delen") / "regio"
    shutil.copytree(small_demo, folder, ignore=shutil.ignore_patterns(".locscan-cache"))
    meta = yaml.safe_load((folder / "region.yaml").read_text(encoding="utf-8"))
    (folder / "region.yaml").write_text(yaml.safe_dump(meta | {"in_parts": True}),
                                        encoding="utf-8")
    return folder


def _page(folder, codes: list[str] | None) -> AppTest:
    app = AppTest.from_function(_script, args=(str(ROOT), str(folder), codes),
                                default_timeout=180)
    return app.run()


def test_the_whole_of_a_region_in_parts_asks_for_a_part(in_parts):
    app = _page(in_parts, None)
    assert not app.exception
    assert any("te groot om in één keer" in i.value for i in app.info)
    assert not app.subheader


def test_a_whole_subregio_shows_its_task_and_one_gemeente_its_own_figures(in_parts):
    liemers = ["GM0221", "GM0226", "GM0293", "GM0299"]
    app = _page(in_parts, liemers)
    assert not app.exception
    titles = [s.value for s in app.subheader]
    assert "Witte vlekken" in titles
    task = app.dataframe[0].value
    assert task.index.tolist() == ["Liemers"]  # the subregio chosen whole, no other
    app = _page(in_parts, ["GM0299"])
    assert not app.exception
    assert any("helemaal gekozen" in c.value for c in app.caption)
    per_gemeente = app.dataframe[0].value
    assert per_gemeente.index.tolist() == ["Zevenaar"]
