"""One loader for every YAML file: errors name the file, the key, the line and what is allowed."""

from __future__ import annotations

import pytest

from locscan import config
from locscan.errors import CriteriaError, LayerError, LocscanError, RegionError, SourcesError
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


_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
    for i in range(8))


@pytest.mark.parametrize(("content", "message"), [
    pytest.param(_BOMB, r"expands to more than 200,000 values \(through aliases", id="alias-bomb"),
    pytest.param("a: " + "[" * 200 + "]" * 200 + "\n", "nested more than 40 levels deep",
                 id="deep-nesting"),
    pytest.param("name: t\nname: u\n", r"key 'name' appears twice in one mapping \(lines 1 and 2\)",
                 id="duplicate-key"),
    pytest.param("name: caf\xe9\n".encode("latin-1"), "not UTF-8 text", id="latin-1"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 text|binary", id="binary"),
    pytest.param(b"name: t\n\x00\x00", "a binary file, not YAML text", id="nul-bytes"),
    pytest.param("a: [1, 2\n", r"not valid YAML: .*\(line 2\)", id="broken-yaml"),
    pytest.param("# " + "x" * 2_100_000, "a configuration file is at most", id="too-big"),
])
def test_hostile_and_broken_files_are_one_clear_error(tmp_path, content, message):
    path = tmp_path / "crit.yaml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    with pytest.raises(LocscanError, match=message) as err:
        config.read(path, what="criteria file", error=LocscanError)
    assert str(path) in str(err.value)


def test_a_bom_is_fine(tmp_path):
    path = tmp_path / "crit.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: t\n")
    assert config.read(path, what="x", error=LocscanError)[0] == {"name": "t"}
