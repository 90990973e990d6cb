"""The ``locscan`` command line: build the demo, compute measures, scan, explain.

A thin layer over the library: every command parses its options, calls the library and prints.
Errors on bad input are printed as one clear line (exit code 1), warnings as "Let op:" lines.
"""

from locscan.cli import data, deciding, scanning  # noqa: F401 - they register the commands
from locscan.cli.common import main

__all__ = ["main"]
