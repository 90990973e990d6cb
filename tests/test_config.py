"""One loader for every YAML file: errors name the file, the key, the line and what is allowed."""

from __future__ import annotations

import pytest

from locscan import config
from locscan.errors import CriteriaError, LayerError, RegionError, SourcesError
from locscan.layers import Catalogue, load_catalogue
from locscan.pull import load_sources
from locscan.region import load_meta

CATALOGUE = """\
layers:
  parking:
    source: parkeren.gpkg
    feilds: {capacity: plaatsen}
  cores:
    source: kernen.shp
    role: kern
"""


def test_every_problem_of_a_file_with_key_line_and_what_is_allowed(tmp_path):
    path = tmp_path / "layers.yaml"
    path.write_text(CATALOGUE)
    with pytest.raises(LayerError) as err:
        load_catalogue(path)
    text = str(err.value)
    assert text.startswith(f"layer catalogue {path}: ")
    assert "layers.parking.feilds: Extra inputs are not permitted; allowed: source, layer, " \
           "role, crs, fields" in text
    assert "(line 4)" in text  # the misspelt key
    assert "layers.cores.role: Value error, " not in text
    assert "layers.cores.role: unknown role 'kern'; known roles: parcels" in text
    assert text.endswith("(line 7)")


def test_yaml_syntax_errors_give_the_line(tmp_path):
    path = tmp_path / "region.yaml"
    path.write_text("name: r\nlabel: R\nsubregios: {a: [1, 2}\n")
    with pytest.raises(RegionError, match=r"region metadata .*region\.yaml: not valid YAML: "
                                          r".*\(line 3\)"):
        load_meta(path)


def test_a_file_that_is_not_a_mapping(tmp_path):
    (tmp_path / "sources.yaml").write_text("- a\n- b\n")
    with pytest.raises(SourcesError, match=r"sources .*sources\.yaml: expected a mapping of keys, "
                                           "got list"):
        load_sources(tmp_path)


def test_list_items_are_named_by_their_id():
    raw = {"layers": {"a": {"source": 3}}}
    with pytest.raises(CriteriaError, match=r"^test x: layers\.a\.source: Input should be a valid "
                                            r"string$"):
        config.parse(Catalogue, raw, source="x", what="test", error=CriteriaError)
    assert config._key_text({"hard": [{"id": "w"}, {"x": 1}]}, ("hard", 1, "op")) == "hard[2].op"
