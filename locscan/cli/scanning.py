"""Commands of the scan itself: demo, measure, check, scan, explain, find."""

from __future__ import annotations

import time
from pathlib import Path

import click
import pandas as pd

from locscan import (
    criteria,
    demo,
    longlist,
    nl,
    settings,
)
from locscan.region import Gemeenten, open_region
from locscan.scan import Scan

__all__ = ["main"]
from locscan.cli.common import (
    _check_output,
    _friendly,
    _open,
    area_option,
    cache_option,
    criteria_option,
    main,
    narrowed,
    parts_options,
    region_option,
)


@main.group("demo")
def demo_group() -> None:
    """The built-in demo region (invented data)."""


@demo_group.command("build")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help=f"Region folder to write (default: {settings.default_region}; with "
                   "--national: data/nl-demo).")
@click.option("--source-region", type=click.Path(path_type=Path), default=None,
              help="Region whose region.yaml gives municipalities and task (default: data/gmr;"
                   " with --national: data/nl, all 342 gemeenten).")
@click.option("--parcels", type=click.IntRange(min=100), default=None,
              help=f"About how many parcels to generate (default: 20,000; with --national: "
                   f"{demo.NATIONAL_PARCELS:,}).")
@click.option("--national", is_flag=True,
              help="Every gemeente of the source region, generated one at a time into a "
                   "GeoParquet file per layer (for a scan in parts: locscan scan --in-parts).")
@click.option("--seed", type=int, default=42, show_default=True)
@_friendly
def demo_build(out: Path | None, source_region: Path | None, parcels: int | None,
               national: bool, seed: int) -> None:
    """Write the demo region (deterministic for a given seed and size)."""
    start = time.perf_counter()
    if national:
        folder = demo.build_national(out or Path("data/nl-demo"),
                                     source_region=source_region or Path("data/nl"),
                                     parcels=parcels or demo.NATIONAL_PARCELS, seed=seed)
    else:
        folder = demo.build(out or Path(settings.default_region),
                            source_region=source_region or Path("data/gmr"),
                            parcels=parcels or 20_000, seed=seed)
    click.echo(f"Demoregio geschreven naar {folder} ({time.perf_counter() - start:.1f} s).")


@main.command("measure")
@region_option
@criteria_option
@cache_option
@parts_options
@_friendly
def measure_cmd(region_dir: Path | None, criteria_file: Path, cache: bool, in_parts: bool,
                scheduler: str | None) -> None:
    """Compute (and cache) the measures a criteria file uses."""
    _open(region_dir, criteria_file, cache, in_parts=in_parts, scheduler=scheduler)


def _print_summary(scan: Scan, subregio: str | None, gemeente: Gemeenten | None) -> None:
    crit = scan.criteria
    click.echo(f"Regio: {scan.meta.label}")
    click.echo(f"Criteria: {crit.name} versie {crit.version} ({crit.digest()})")
    summary = scan.summary(subregio=subregio, gemeente=gemeente)
    areas = summary["areas"]
    click.echo(
        f"Kandidaten: {int(areas['candidates'].sum())}; op de longlist: "
        f"{int(areas['longlist'].sum())} (waarvan te controleren: "
        f"{int(areas['to_check'].sum())})"
    )
    with pd.option_context("display.width", 120, "display.max_rows", 200):
        click.echo("\nPer criterium:")
        click.echo(nl.dutch(summary["criteria"], nl.SUMMARY_COLUMNS).to_string())
        click.echo("\nPer subregio en gemeente:")
        click.echo(nl.dutch(areas, nl.AREA_COLUMNS).to_string())
        differ = nl.dutch(longlist.radius_vs_network(scan.evaluate()), nl.RADIUS_COLUMNS)
        if not differ.empty:
            click.echo("\nHemelsbreed tegenover over de weg (aantal locaties dat verschilt):")
            click.echo(differ.to_string(index=False))



@main.command("scan")
@region_option
@criteria_option
@click.option("--subregio", default=None, help="Only this subregio.")
@click.option("--gemeente", default=None, help="Only this gemeente (name or CBS code).")
@area_option
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the longlist: .geojson (WGS84), .gpkg (RD New) or .csv.")
@click.option("--all", "everything", is_flag=True,
              help="Write every candidate with its status and reasons, not only the longlist.")
@cache_option
@parts_options
@_friendly
def scan_cmd(region_dir: Path | None, criteria_file: Path, subregio: str | None,
             gemeente: str | None, area: str | None, output: Path | None, everything: bool,
             cache: bool, in_parts: bool, scheduler: str | None) -> None:
    """Evaluate the criteria, print a summary and write the longlist."""
    region = open_region(region_dir)  # a wrong subregio or gemeente fails before measuring
    _check_output(output, region, criteria_file)
    subregio, chosen = narrowed(region.meta, subregio, gemeente, area)
    scan = _open(region, criteria_file, cache, in_parts=in_parts, scheduler=scheduler)
    _print_summary(scan, subregio, chosen)
    if output is None:
        return
    table = scan.longlist(subregio=subregio, gemeente=chosen, everything=everything)
    crit = scan.criteria
    label = f"{demo.DEMO_LABEL} – " if scan.meta.demo else ""
    scan.export(table, output, description=f"{label}longlist {crit.name} {crit.version}",
                subregio=subregio or "", gemeente=gemeente or area or "")
    click.echo(f"\n{len(table)} locaties geschreven naar {output}.")



@main.command("find")
@region_option
@criteria_option
@click.argument("query")
@cache_option
@_friendly
def find_cmd(region_dir: Path | None, criteria_file: Path, query: str, cache: bool) -> None:
    """Find sites by part of their id, parcel number, name or address."""
    scan = _open(region_dir, criteria_file, cache)
    hits = scan.find(query)
    if hits.empty:
        raise click.ClickException(f"geen locatie gevonden voor {query!r}")
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        click.echo(hits.rename(columns={"name": "naam"}).rename_axis("locatie").to_string())


@main.command("explain")
@region_option
@criteria_option
@click.option("--candidate", required=True, help="Candidate id, e.g. perceel:P0000123.")
@cache_option
@_friendly
def explain_cmd(region_dir: Path | None, criteria_file: Path, candidate: str,
                cache: bool) -> None:
    """Why (not)? Every criterion for one site: measured value, norm, outcome."""
    scan = _open(region_dir, criteria_file, cache)
    table = scan.explain(candidate)
    result = scan.evaluate()
    row = scan.candidates.loc[candidate]
    click.echo(
        f"{candidate} ({row['gemeente']}, {row['subregio']}): {result.status[candidate]}"
        + (f", rang {result.rank[candidate]}" if result.rank[candidate] else "")
        + f", score {nl.format_number(result.evaluation.at[candidate, 'score'])}"
        + ("" if result.on_longlist[candidate] else " (telt niet: de locatie valt af)")
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
