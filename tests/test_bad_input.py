"""Bad and hostile input through the command line, as a user meets it.

Every case starts from a working toy region and criteria file, breaks one thing, runs
``locscan scan`` and asserts the exact outcome: exit code 1, one ``Error:`` line that names the
place (file, layer, field or criterion), no traceback, and every file of the region and the
criteria unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
import yaml
from _criteria import toy_criteria
from click.testing import CliRunner

from locscan.cli import main


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and ".locscan-cache" not in p.parts}


def _yaml(path: Path, change: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def _layer(region: Path, name: str, change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]
           ) -> None:
    frame = gpd.read_file(region / "toy.gpkg", layer=name)
    change(frame).to_file(region / "toy.gpkg", layer=name, driver="GPKG")


def _rd_geojson_without_crs(region: Path) -> None:
    cores = gpd.read_file(region / "toy.gpkg", layer="cores")
    (region / "cores.geojson").write_text(json.dumps({
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {},
                      "geometry": json.loads(gpd.GeoSeries([g]).to_json())["features"][0][
                          "geometry"]} for g in cores.geometry.translate(150_000, 400_000)]}))
    _yaml(region / "layers.yaml",
          lambda d: d["layers"].update(cores={"source": "cores.geojson"}))


_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
    for i in range(8))

#: name -> (break the region or criteria, extra arguments, expected message)
CASES: dict[str, tuple[Callable[[Path, Path], None], list[str], str]] = {
    # --- config files
    "layers: duplicate key": (
        lambda r, c: (r / "layers.yaml").write_text(
            (r / "layers.yaml").read_text() + "layers: {}\n"),
        [], r"layers\.yaml: key 'layers' appears twice"),
    "layers: role name typo": (
        lambda r, c: _yaml(r / "layers.yaml",
                           lambda d: d["layers"].update(percels=d["layers"].pop("parcels"))),
        [], "layer 'percels' is not a role; did you mean 'parcels'"),
    "layers: unknown role": (
        lambda r, c: _yaml(r / "layers.yaml",
                           lambda d: d["layers"]["cores"].update(role="kernen")),
        [], r"layers\.yaml: layers\.cores\.role: unknown role 'kernen'; known roles: parcels"),
    "layers: missing": (lambda r, c: (r / "layers.yaml").unlink(), [], "no layers.yaml"),
    "region: latin-1": (
        lambda r, c: (r / "region.yaml").write_bytes(
            (r / "region.yaml").read_text().replace("Aadorp", "Aadörp").encode("latin-1")),
        [], r"region\.yaml: not UTF-8 text"),
    "region: binary": (
        lambda r, c: (r / "region.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"),
        [], r"region\.yaml: not UTF-8 text"),
    "criteria: alias bomb": (
        lambda r, c: c.write_text(c.read_text() + _BOMB.replace("a:", "x_a:")),
        [], r"crit\.yaml: .*expands to more than 200,000 values"),
    "criteria: deep nesting": (
        lambda r, c: c.write_text(c.read_text() + "deep: " + "[" * 100 + "]" * 100 + "\n"),
        [], r"crit\.yaml: nested more than 40 levels deep"),
    "criteria: second op": (
        lambda r, c: c.write_text(c.read_text().replace("op: <=", "op: <=\n  op: '>='", 1)),
        [], r"crit\.yaml: key 'op' appears twice in one mapping"),
    "criteria: unknown kind": (
        lambda r, c: _yaml(c, lambda d: d["measures"]["owner"].update(kind="teleport")),
        [], "measure 'owner': unknown kind 'teleport'"),
    "criteria: no criteria": (
        lambda r, c: _yaml(c, lambda d: d.update(hard=[], soft=[])),
        [], "no criteria: add at least one"),
    "criteria: missing": (lambda r, c: c.unlink(), [], r"crit\.yaml: file not found"),
    # --- layers
    "parcels: empty": (
        lambda r, c: _layer(r, "parcels", lambda f: f.iloc[:0]),
        [], r"layer 'parcels' .*no features; a region needs its cadastral parcels"),
    "cores: RD metres in GeoJSON without crs": (
        lambda r, c: _rd_geojson_without_crs(r),
        [], r"cores\.geojson\): coordinates run .*which look like RD New metres"),
    "work sites: far from the region (a wrong CRS)": (
        lambda r, c: _layer(r, "work_sites", lambda f: f.set_geometry(
            f.translate(150_000, 450_000))),
        [], "layer 'work_sites' .*none of its 1 features lies in or near the region"),
    "zoning: required field missing": (
        lambda r, c: _yaml(r / "layers.yaml",
                           lambda d: d["layers"]["zoning"].update(fields={"class": "klasse"})),
        [], r"layer 'zoning' .*field 'class' \(mapped from 'klasse'\) missing"),
    "source outside the folder": (
        lambda r, c: _yaml(r / "layers.yaml", lambda d: d["layers"]["cores"].update(
            source="../elders/kernen.gpkg")),
        [], "sources outside the region folder: cores"),
    # --- outputs
    "output over an input layer": (lambda r, c: None, ["-o", "{region}/toy.gpkg"],
                                   "is one of the region's own input files"),
    "output over an input layer, by another path": (
        lambda r, c: None, ["-o", "{region}/../toy/./toy.gpkg"],
        "is one of the region's own input files"),
    "output in a missing folder": (lambda r, c: None, ["-o", "{region}/nee/uit.gpkg"],
                                   r"folder .*nee does not exist"),
    "output is a folder": (lambda r, c: None, ["-o", "{region}"], "unknown format ''"),
    "output unknown suffix": (lambda r, c: None, ["-o", "{region}/../uit.shp"],
                              r"unknown format '\.shp'; use one of \.geojson"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_clear_line_and_changes_nothing(toy_region, tmp_path, case):
    crit = tmp_path / "crit.yaml"
    crit.write_text(yaml.safe_dump(toy_criteria(), allow_unicode=True))
    breaker, extra, message = CASES[case]
    breaker(toy_region, crit)
    before = _digests(toy_region), crit.read_bytes() if crit.exists() else None
    args = [a.format(region=toy_region, criteria=crit) for a in extra]
    result = CliRunner().invoke(main, ["scan", "--region", str(toy_region), "--criteria",
                                       str(crit), *args])
    assert result.exit_code == 1, (result.output, result.exception)
    assert "Traceback" not in result.output
    error = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(error) == 1, result.output
    assert re.search(message, result.output.replace("\n", " ")), result.output
    assert (_digests(toy_region), crit.read_bytes() if crit.exists() else None) == before
