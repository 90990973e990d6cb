"""The ``locscan`` command line: build the demo, compute measures, scan, explain.

A thin layer over the library: every command parses its options, calls the library and prints.
Errors on bad input are printed as one clear line (exit code 1), warnings as "Let op:" lines.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import click
import pandas as pd

from locscan import __version__, criteria, demo, export, longlist, measures, settings
from locscan.errors import LocscanError
from locscan.region import Region, open_region

__all__ = ["main"]


@contextmanager
def _reported_warnings() -> Iterator[None]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for w in caught:
                click.secho(f"Let op: {w.message}", fg="yellow", err=True)


def _friendly(func: Callable) -> Callable:
    """Turn LocscanError into a one-line error and report warnings."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with _reported_warnings():
                return func(*args, **kwargs)
        except LocscanError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


region_option = click.option(
    "--region", "region_dir", type=click.Path(path_type=Path), default=None,
    help=f"Region folder with region.yaml and layers.yaml (default: {settings.default_region}).",
)
criteria_option = click.option(
    "--criteria", "criteria_file", type=click.Path(path_type=Path), required=True,
    help="Criteria file (YAML), e.g. criteria/gmr-tijdelijke-werknemers.yaml.",
)
cache_option = click.option(
    "--cache/--no-cache", default=True, show_default=True,
    help="Use cached measures when the layers did not change.",
)


@click.group()
@click.version_option(__version__, prog_name="locscan")
def main() -> None:
    """locscan: location scan for housing temporary international workers."""


@main.group("demo")
def demo_group() -> None:
    """The built-in demo region (invented data)."""


@demo_group.command("build")
@click.option("--out", type=click.Path(path_type=Path), default=Path(settings.default_region),
              show_default=True, help="Region folder to write.")
@click.option("--source-region", type=click.Path(path_type=Path), default=Path("data/gmr"),
              show_default=True, help="Region whose region.yaml gives municipalities and task.")
@click.option("--parcels", type=click.IntRange(min=100), default=20_000, show_default=True,
              help="About how many parcels to generate.")
@click.option("--seed", type=int, default=42, show_default=True)
@_friendly
def demo_build(out: Path, source_region: Path, parcels: int, seed: int) -> None:
    """Write the demo region (deterministic for a given seed and size)."""
    start = time.perf_counter()
    folder = demo.build(out, source_region=source_region, parcels=parcels, seed=seed)
    click.echo(f"Demoregio geschreven naar {folder} ({time.perf_counter() - start:.1f} s).")


def _load(
    region_dir: Path | None, criteria_file: Path, cache: bool, region: Region | None = None
) -> tuple[Region, Any]:
    region = region or open_region(region_dir)
    crit = criteria.load(criteria_file)
    start = time.perf_counter()
    done: list[tuple[str, bool]] = []
    cands, table = measures.compute_for_region(
        region, crit.used_measures(), cache=cache,
        on_measure=lambda spec, hit: done.append((spec.name, hit)),
    )
    hits = sum(h for _, h in done)
    click.echo(
        f"Metingen: {len(done)} ({hits} uit cache) voor {len(cands)} kandidaten in "
        f"{time.perf_counter() - start:.2f} s.", err=True,
    )
    return region, longlist.build(crit, cands, table, region.meta)


@main.command("measure")
@region_option
@criteria_option
@cache_option
@_friendly
def measure_cmd(region_dir: Path | None, criteria_file: Path, cache: bool) -> None:
    """Compute (and cache) the measures a criteria file uses."""
    _load(region_dir, criteria_file, cache)


def _print_summary(result: longlist.Result, region: Region, subregio: str | None,
                   gemeente: str | None) -> None:
    if region.meta.demo:
        click.secho(demo.DEMO_LABEL, fg="magenta", bold=True)
    crit = result.criteria
    click.echo(f"Regio: {region.meta.label}")
    click.echo(f"Criteria: {crit.name} versie {crit.version} ({crit.digest()})")
    summary = longlist.summary(result, subregio=subregio, gemeente=gemeente)
    areas = summary["areas"]
    click.echo(
        f"Kandidaten: {int(areas['kandidaten'].sum())}; op de longlist: "
        f"{int(areas['longlist'].sum())} (waarvan te controleren: "
        f"{int(areas['te_controleren'].sum())})"
    )
    with pd.option_context("display.width", 120, "display.max_rows", 200):
        click.echo("\nPer criterium:")
        click.echo(summary["criteria"].to_string())
        click.echo("\nPer subregio en gemeente:")
        click.echo(areas.to_string())


@main.command("scan")
@region_option
@criteria_option
@click.option("--subregio", default=None, help="Only this subregio.")
@click.option("--gemeente", default=None, help="Only this gemeente (name or CBS code).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the longlist: .geojson (WGS84), .gpkg (RD New) or .csv.")
@click.option("--all", "everything", is_flag=True,
              help="Write every candidate with its status and reasons, not only the longlist.")
@cache_option
@_friendly
def scan_cmd(region_dir: Path | None, criteria_file: Path, subregio: str | None,
             gemeente: str | None, output: Path | None, everything: bool, cache: bool) -> None:
    """Evaluate the criteria, print a summary and write the longlist."""
    if output is not None and output.suffix.lower() not in export.FORMATS:
        raise LocscanError(
            f"output {output}: unknown format {output.suffix!r}; use one of "
            f"{', '.join(export.FORMATS)}"
        )
    region = open_region(region_dir)
    subregio = region.meta.subregio(subregio) if subregio else None
    gemeente = region.meta.municipality(gemeente).code if gemeente else None
    region, result = _load(region_dir, criteria_file, cache, region)
    _print_summary(result, region, subregio, gemeente)
    if output is None:
        return
    table = longlist.table(result, subregio=subregio, gemeente=gemeente, everything=everything)
    crit = result.criteria
    meta = export.scan_provenance(region, crit, subregio=subregio or "", gemeente=gemeente or "")
    label = f"{demo.DEMO_LABEL} – " if region.meta.demo else ""
    export.write(table, output, description=f"{label}longlist {crit.name} {crit.version}",
                 metadata=meta)
    click.echo(f"\n{len(table)} locaties geschreven naar {output}.")


@main.command("explain")
@region_option
@criteria_option
@click.option("--candidate", required=True, help="Candidate id, e.g. perceel:P0000123.")
@cache_option
@_friendly
def explain_cmd(region_dir: Path | None, criteria_file: Path, candidate: str,
                cache: bool) -> None:
    """Why (not)? Every criterion for one site: measured value, norm, outcome."""
    region, result = _load(region_dir, criteria_file, cache)
    if region.meta.demo:
        click.secho(demo.DEMO_LABEL, fg="magenta", bold=True)
    row = result.candidates.loc[candidate] if candidate in result.candidates.index else None
    table = longlist.explain(result, candidate)
    click.echo(
        f"{candidate} ({row['gemeente']}, {row['subregio']}): {result.status[candidate]}"
        + (f", rang {result.rank[candidate]}" if result.rank[candidate] else "")
        + f", score {result.evaluation.at[candidate, 'score']:.1f}"
    )
    with pd.option_context("display.width", 200, "display.max_colwidth", 80):
        click.echo(table.drop(columns=["gewicht"]).to_string())


@main.command("check")
@click.argument("criteria_file", type=click.Path(path_type=Path))
@_friendly
def check_cmd(criteria_file: Path) -> None:
    """Validate a criteria file and list its criteria."""
    crit = criteria.load(criteria_file)
    click.echo(f"{criteria_file}: {crit.name} versie {crit.version} is geldig.")
    for c in crit.criteria:
        click.echo(f"  {c.id}: {c.label}")
