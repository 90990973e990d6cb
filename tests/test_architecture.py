"""The import contracts of `.importlinter` hold, and they do fail when a module breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _toy import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(root)}
    return subprocess.run([str(LINT), str(ROOT / ".importlinter"), "--no-cache"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "locscan", tmp_path / "locscan",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_project_keeps_its_contracts():
    run = _lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 2 kept, 0 broken." in run.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("measures/engine.py", "from locscan import longlist", "The data flow runs one way"),
    ("region.py", "from locscan.scan import Scan", "The data flow runs one way"),
    ("maps/base.py", "import streamlit", "No library module imports Streamlit"),
])
def test_an_import_against_the_flow_fails(tmp_path, module, line, broken):
    root = _copy(tmp_path)
    path = root / "locscan" / module
    text = path.read_text()
    head, rest = text.split("\nfrom __future__ import annotations\n", 1)
    path.write_text(f"{head}\nfrom __future__ import annotations\n{line}  # noqa\n{rest}")
    run = _lint(root)
    assert run.returncode == 1, run.stdout
    assert "1 broken" in run.stdout
    assert broken in run.stdout.replace("\n", " ")
