"""The Streamlit app, run headless with AppTest on a small demo region."""

from __future__ import annotations

import shutil

import pytest
from _toy import ROOT
from streamlit.testing.v1 import AppTest


@pytest.fixture
def app(small_demo, tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data/demo").symlink_to(small_demo)
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    monkeypatch.chdir(tmp_path)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def _longlist_count(app) -> int:
    metrics = {m.label: int(m.value) for m in app.metric}
    return metrics["Op de longlist"]


def test_app_shows_demo_label_and_counts(app):
    assert not app.exception
    assert any("DEMO" in w.value for w in app.warning)
    assert _longlist_count(app) > 0


def test_stricter_threshold_shrinks_the_longlist(app):
    before = _longlist_count(app)
    app.number_input(key="v_parkeren").set_value(1_000).run()
    assert not app.exception
    assert _longlist_count(app) < before
    app.number_input(key="v_parkeren").set_value(0).run()
    assert _longlist_count(app) >= before


def test_why_not_table_for_a_typed_id(app):
    app.text_input[0].set_value("perceel:P0000001").run()
    assert not app.exception
    assert not app.error
    why = app.dataframe[-1].value
    assert "afstand_werk" in why.index
