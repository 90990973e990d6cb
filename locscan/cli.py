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
import geopandas as gpd
import pandas as pd

from locscan import (
    __version__,
    capacity,
    crash,
    criteria,
    demo,
    export,
    longlist,
    nl,
    pull,
    settings,
)
from locscan.errors import LocscanError, PullError
from locscan.nl import text
from locscan.region import Region, open_region
from locscan.scan import Scan
from locscan.shortlist import Shortlist

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


class _InternalError(click.ClickException):
    """An error that is not the user's: the message says where the log is; exit code 70."""

    exit_code = 70  # EX_SOFTWARE


def _friendly(func: Callable) -> Callable:
    """
    Turn LocscanError into a one-line error and report warnings.

    Any other exception is a defect of locscan: its traceback goes to a log file
    (:func:`locscan.crash.report`) and the user reads one line that says so and where.
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with _reported_warnings():
                return func(*args, **kwargs)
        except LocscanError as exc:
            raise click.ClickException(str(exc)) from exc
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            log = crash.report(exc, context=f"locscan {func.__name__}")
            raise _InternalError(
                f"an internal error in locscan ({type(exc).__name__}); this is not your input's "
                f"fault. The details are in {log}; please send that file to the maintainers"
            ) from exc

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


def _open(region: Path | Region | None, criteria_file: Path, cache: bool) -> Scan:
    """Open the scan (of a folder, or of a region already open) and report the cache hits."""
    start = time.perf_counter()
    done: list[bool] = []
    region = region if isinstance(region, Region) else open_region(region)
    scan = Scan(region, criteria.load(criteria_file), cache=cache, criteria_file=criteria_file,
                on_measure=lambda _spec, hit: done.append(hit))
    click.echo(
        f"Metingen: {len(done)} ({sum(done)} uit cache) voor {len(scan.candidates)} kandidaten "
        f"in {time.perf_counter() - start:.2f} s.", err=True,
    )
    if scan.meta.demo:
        click.secho(demo.DEMO_LABEL, fg="magenta", bold=True)
    return scan


@main.command("measure")
@region_option
@criteria_option
@cache_option
@_friendly
def measure_cmd(region_dir: Path | None, criteria_file: Path, cache: bool) -> None:
    """Compute (and cache) the measures a criteria file uses."""
    _open(region_dir, criteria_file, cache)


def _print_summary(scan: Scan, subregio: str | None, gemeente: str | None) -> None:
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


def _print_norms(scan: Scan, plan: capacity.Plan) -> None:
    """The plan's split per work gemeente, which norms bind, and the sites it left out."""
    a = plan.assumptions
    norms = (a.min_share_own_gemeente, a.max_share_elsewhere_in_subregio, a.max_share_elsewhere)
    names = {m.code: m.name for m in scan.meta.municipalities}
    click.echo("\nPer gemeente waar gewerkt wordt:")
    click.echo(text.plan_by_gemeente(plan.by_gemeente, names, norms).to_string(index=False))
    if plan.meets_norms:
        click.echo(f"Elke gemeente haalt de norm (minstens {norms[0]:.0%} in de eigen gemeente).")
    else:
        binding = plan.by_gemeente[plan.by_gemeente["binding"] != ""]
        click.secho(f"De norm is niet haalbaar met deze locaties in {len(binding)} "
                    "gemeente(n): " + ", ".join(names.get(c, c) for c in binding.index)
                    + ". Dit is de best haalbare verdeling.", fg="yellow")
    if plan.left_out is not None and len(plan.left_out):
        counts = plan.left_out.map(nl.LEFT_OUT).value_counts()
        click.echo("Niet gebruikt: " + ", ".join(f"{n} locaties ({why})"
                                                 for why, n in counts.items()))


def _check_output(output: Path | None, region: Region, criteria_file: Path) -> None:
    """Refuse a bad output path before any work is done (export checks again when writing)."""
    if output is not None:
        export.check_output(output, [*region.input_files(), criteria_file])


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
    region = open_region(region_dir)  # a wrong subregio or gemeente fails before measuring
    _check_output(output, region, criteria_file)
    subregio = region.meta.subregio(subregio) if subregio else None
    gemeente = region.meta.municipality(gemeente).code if gemeente else None
    scan = _open(region, criteria_file, cache)
    _print_summary(scan, subregio, gemeente)
    if output is None:
        return
    table = scan.longlist(subregio=subregio, gemeente=gemeente, everything=everything)
    crit = scan.criteria
    label = f"{demo.DEMO_LABEL} – " if scan.meta.demo else ""
    scan.export(table, output, description=f"{label}longlist {crit.name} {crit.version}",
                subregio=subregio or "", gemeente=gemeente or "")
    click.echo(f"\n{len(table)} locaties geschreven naar {output}.")


def _percent_down(share: float) -> str:
    """A share as a whole percentage, rounded down: only "100%" when it is every run."""
    return f"{int(share * 100 + 1e-9)}%"


@main.command("compare")
@region_option
@click.argument("criteria_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--subregio", default=None, help="Only this subregio.")
@click.option("--gemeente", default=None, help="Only this gemeente (name or CBS code).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the sites that enter and leave (.geojson, .gpkg, .csv, .xlsx).")
@cache_option
@_friendly
def compare_cmd(region_dir: Path | None, criteria_files: tuple[Path, ...],
                subregio: str | None, gemeente: str | None, output: Path | None,
                cache: bool) -> None:
    """Compare criteria sets side by side; the first is the reference."""
    if len(criteria_files) < 2:
        raise click.UsageError("give at least two criteria files to compare")
    region = open_region(region_dir)
    for path in criteria_files:
        _check_output(output, region, path)
    subregio = region.meta.subregio(subregio) if subregio else None
    gemeente = region.meta.municipality(gemeente).code if gemeente else None
    sets = [criteria.load(p) for p in criteria_files]
    names = [f"{c.name} {c.version}" for c in sets]
    if len(set(names)) < len(names):
        names = [f"{i + 1}: {n}" for i, n in enumerate(names)]
    scan = _open(region, criteria_files[0], cache)
    start = time.perf_counter()
    result = scan.compare(dict(zip(names, sets, strict=True)), subregio=subregio,
                          gemeente=gemeente)
    click.echo(f"{len(names)} scenario's vergeleken in {time.perf_counter() - start:.2f} s "
               f"(de eerste is de referentie).")
    with pd.option_context("display.width", 160, "display.max_rows", 200):
        click.echo("\nLocaties op de longlist per subregio en gemeente:")
        click.echo(result.areas.to_string())
        if not result.capacity.empty:
            click.echo("\nCapaciteit van de longlist tegenover de opgave (tijdelijk, 2020):")
            shown = result.capacity.round(0).rename(
                columns=lambda c: c.replace("capacity_", "capaciteit ", 1))
            click.echo(nl.dutch(shown, nl.TASK_COLUMNS).to_string())
    counts = result.changes.groupby(["scenario", "change"]).size()
    for (name, change), n in counts.items():
        click.echo(f"{name}: {n} locaties {nl.CHANGES[change]} tegenover {names[0]}")
    if result.changes.empty:
        click.echo("Geen verschil in de longlist.")
    if output is not None:
        scan.export(result.changes.assign(change=result.changes["change"].map(nl.CHANGE)),
                    output, layer="verschil", description="verschil tussen scenario's",
                    scenarios="; ".join(names))
        click.echo(f"Verschil geschreven naar {output}.")


@main.command("robustness")
@region_option
@criteria_option
@click.option("--subregio", default=None, help="Rank within this subregio.")
@click.option("--gemeente", default=None, help="Rank within this gemeente (name or CBS code).")
@click.option("--runs", type=click.IntRange(1, 1_000_000), default=1000, show_default=True)
@click.option("--top", "top_n", type=click.IntRange(1), default=20, show_default=True,
              help="The top whose membership is counted.")
@click.option("--spread", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Weights vary within ± this share, unless the criteria give a range.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the table (.csv, .xlsx, .geojson, .gpkg).")
@cache_option
@_friendly
def robustness_cmd(region_dir: Path | None, criteria_file: Path, subregio: str | None,
                   gemeente: str | None, runs: int, top_n: int, spread: float, seed: int,
                   output: Path | None, cache: bool) -> None:
    """How robust is the ranking? Monte Carlo over weights and threshold ranges."""
    region = open_region(region_dir)
    _check_output(output, region, criteria_file)
    subregio = region.meta.subregio(subregio) if subregio else None
    gemeente = region.meta.municipality(gemeente).code if gemeente else None
    scan = _open(region, criteria_file, cache)
    start = time.perf_counter()
    rob = scan.robustness(subregio=subregio, gemeente=gemeente, runs=runs, top_n=top_n,
                          spread=spread, seed=seed)
    seconds = time.perf_counter() - start
    click.echo(f"{runs} runs in {seconds:.1f} s; gevarieerd: {', '.join(rob.varied)} "
               f"(gewichten ± {spread:.0%} tenzij de criteria een bereik geven).")
    table = rob.table.assign(gemeente=scan.candidates.loc[rob.table.index, "gemeente"])
    fragile = int(table["fragile"].sum())
    click.echo(f"Top {top_n}: {int((table['top_share'] == 1).sum())} locaties in elke run; "
               f"{fragile} wankel (in de top bij de gekozen gewichten maar in minder dan 80% "
               "van de runs, of erbuiten maar in meer dan 20%).")
    shown = table[["gemeente", *[c for c in rob.table.columns]]]
    with pd.option_context("display.width", 160, "display.max_rows", 200):
        click.echo(nl.dutch(shown.head(3 * top_n), nl.ROBUSTNESS_COLUMNS).to_string(
            formatters={"in de top": _percent_down, "op de longlist": _percent_down}))
    if output is not None:
        geometry = scan.candidates.loc[table.index].geometry
        frame = gpd.GeoDataFrame(table, geometry=geometry.to_numpy(), crs=geometry.crs)
        scan.export(frame, output, layer="robuustheid",
                    description=f"robuustheid {scan.criteria.name}", runs=runs, seed=seed)
        click.echo(f"Geschreven naar {output}.")


@main.command("factsheet")
@region_option
@criteria_option
@click.option("--candidate", default=None, help="One site, e.g. perceel:P0000123.")
@click.option("--shortlist", "whole", is_flag=True, help="Every site on the shortlist.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The factsheet: .pdf (a page per site) or .html.")
@cache_option
@_friendly
def factsheet_cmd(region_dir: Path | None, criteria_file: Path, candidate: str | None,
                  whole: bool, output: Path, cache: bool) -> None:
    """A factsheet per site for bestuurders (PDF or HTML, Dutch)."""
    from locscan import factsheet

    if bool(candidate) == whole:
        raise click.UsageError("give either --candidate ID or --shortlist")
    region = open_region(region_dir)
    scan = _open(region, criteria_file, cache)
    store = Shortlist(region=region.key)
    sites = [candidate] if candidate else list(store.items().index)
    if not sites:
        raise click.ClickException("the shortlist is empty: nothing to make factsheets of")
    start = time.perf_counter()
    sheets = [factsheet.facts(scan, site, store=store) for site in sites]
    factsheet.write(sheets, output)
    click.echo(f"{len(sheets)} factsheet(s) geschreven naar {output} in "
               f"{time.perf_counter() - start:.1f} s.")


@main.command("ahp")
@criteria_option
@click.option("--judgements", "judgements_file", type=click.Path(path_type=Path),
              required=True, help="Pairwise comparisons per party (YAML; see locscan.ahp).")
@click.option("--save-as", default=None, help="Save the criteria with these weights as a new "
                                              "set of this name (in the criteria's folder).")
@click.option("--author", default="", help="Who saves the new set (with --save-as).")
@_friendly
def ahp_cmd(criteria_file: Path, judgements_file: Path, save_as: str | None,
            author: str) -> None:
    """Weights from pairwise comparisons (AHP): per party, the group, and their consistency."""
    from locscan import ahp

    base = criteria.load(criteria_file)
    result = ahp.weigh(ahp.load(judgements_file))
    table = result.parties.copy()
    verdict = table["consistent"].map({True: "consistent", False: "NIET consistent"})
    shown = table[result.criteria].map(lambda w: f"{w:.1%}".replace(".", ","))
    shown["CR"] = table["CR"].map(lambda v: f"{v:.3f}".replace(".", ","))
    shown["oordeel"] = verdict
    with pd.option_context("display.width", 160):
        click.echo(shown.to_string())
    click.echo("Per partij de gewichten (eigenvector) en de consistentieratio CR; onder 0,10 "
               "hangen de oordelen samen. 'groep': het geometrisch gemiddelde van de oordelen.")
    bad = [p for p, ok in table["consistent"].items() if not ok]
    if bad:
        click.secho(f"Let op: de oordelen van {', '.join(bad)} zijn niet consistent (CR ≥ 0,10);"
                    " laat ze die herzien.", fg="yellow")
    if save_as:
        path = criteria.save_as_new(ahp.apply(base, result), criteria_file.parent,
                                    name=save_as, author=author, base=base)
        click.echo(f"Opgeslagen als {path}")


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


def _assumptions_text(a: capacity.Assumptions) -> str:
    return ", ".join(f"{k}={v}" for k, v in a.model_dump().items() if v is not None)


@main.command("capacity")
@region_option
@criteria_option
@click.option("--subregio", default=None, help="Only this subregio.")
@cache_option
@_friendly
def capacity_cmd(region_dir: Path | None, criteria_file: Path, subregio: str | None,
                 cache: bool) -> None:
    """Task against capacity per subregio and gemeente, gaps, and the 80/10/10 split."""
    region = open_region(region_dir)
    subregio = region.meta.subregio(subregio) if subregio else None
    scan = _open(region, criteria_file, cache)
    store = Shortlist(region=scan.region.key)
    analysis = scan.analysis(shortlist=store.items())
    click.echo(f"Aannames: {_assumptions_text(analysis.assumptions)}")
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        click.echo("\nOpgave en capaciteit per subregio:")
        click.echo(nl.dutch(analysis.coverage_subregio.round(0), nl.COVERAGE_COLUMNS).to_string())
        for name, task in scan.meta.subregios.items():
            if task.note:
                click.secho(f"Let op, {name}: {task.note}", fg="yellow")
        differs = analysis.task_check[analysis.task_check["differs"]]
        for name, row in differs.iterrows():
            click.secho(f"Let op, {name}: de taaktabel geeft {row['task_2020']:.0f} tijdelijke "
                        f"werknemers, de werklocaties samen {row['work_sites']:.0f}; stem de "
                        "cijfers af.", fg="yellow")
        gem = analysis.coverage_gemeente
        if subregio:
            gem = gem[gem.index.isin(scan.meta.codes(subregio))]
        click.echo("\nPer gemeente (opgave: tijdelijke werknemers van de werklocaties):")
        click.echo(nl.dutch(gem.round(0), nl.COVERAGE_COLUMNS).to_string())
        demand, _ = analysis.for_subregio(subregio)
        gaps = demand[demand["capacity_in_reach"] == 0]
        click.echo(f"\nWerklocaties zonder capaciteit binnen bereik (witte vlekken): "
                   f"{len(gaps)} van {len(demand)}, samen {gaps['demand'].sum():.0f} "
                   "tijdelijke werknemers")
        plan = scan.assign(subregio=subregio)
        click.echo(f"\nToewijzing aan de longlist ({plan.status}, {plan.seconds:.2f} s); "
                   f"tekort: {plan.total_shortage:.0f}")
        click.echo(plan.split.to_string())


@main.command("suggest")
@region_option
@criteria_option
@click.option("--subregio", required=True, help="The subregio whose task to cover.")
@click.option("--min-spacing", type=float, default=None, help="Metres between chosen sites.")
@click.option("--max-per-gemeente", type=int, default=None, help="Most sites per gemeente.")
@click.option("--time-limit", type=float, default=120, show_default=True,
              help="Seconds the solver may take.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the suggested sites (.geojson, .gpkg, .csv, .xlsx).")
@click.option("--accept", is_flag=True, help="Put the suggested sites on the shortlist.")
@click.option("--user", default="", help="Who accepts the suggestion (with --accept).")
@cache_option
@_friendly
def suggest_cmd(region_dir: Path | None, criteria_file: Path, subregio: str,
                min_spacing: float | None, max_per_gemeente: int | None, time_limit: float,
                output: Path | None, accept: bool, user: str, cache: bool) -> None:
    """Suggest sites that cover a subregio's temporary task at the least distance."""
    region = open_region(region_dir)
    _check_output(output, region, criteria_file)
    subregio = region.meta.subregio(subregio)
    scan = _open(region, criteria_file, cache)
    plan = scan.suggest(subregio=subregio, min_spacing_m=min_spacing,
                        max_sites_per_gemeente=max_per_gemeente, time_limit=time_limit)
    demand, _ = scan.analysis().for_subregio(subregio)
    click.echo(f"Aannames: {_assumptions_text(plan.assumptions)}")
    click.echo(f"Solver: HiGHS via scipy.optimize.milp; {plan.status}; {plan.seconds:.2f} s"
               + (f"; per werklocatie alleen de {plan.nearest} dichtstbijzijnde locaties"
                  if plan.nearest else ""))
    total = demand["demand"].sum()
    click.echo(f"Opgave {subregio}: {total:.0f} tijdelijke werknemers; voorgesteld: "
               f"{len(plan.sites)} locaties, {plan.sites['planned'].sum():.0f} plaatsen")
    if plan.total_shortage > 0.5:
        short = plan.shortage[plan.shortage > 0.5]
        by_gemeente = short.groupby(demand.loc[short.index, "gemeente_code"]).sum()
        names = {m.code: m.name for m in scan.meta.municipalities}
        click.secho(f"Tekort: {plan.total_shortage:.0f} werknemers zonder plek binnen "
                    f"{plan.assumptions.reach_m / 1000:g} km; per gemeente: " + ", ".join(
                        f"{names.get(c, c)} {v:.0f}" for c, v in by_gemeente.items()),
                    fg="red")
    else:
        click.echo("De opgave wordt volledig gedekt.")
    cols = ["gemeente", "capacity", "planned", "needs_manager", "parking"]
    with pd.option_context("display.width", 160, "display.max_rows", 500):
        sites = plan.sites[cols].sort_values("planned", ascending=False)
        click.echo(nl.dutch(sites, nl.SITE_COLUMNS).to_string())
        click.echo("\nWaar de werknemers zouden wonen:")
        click.echo(plan.split.to_string())
        _print_norms(scan, plan)
    if output is not None:
        scan.export(plan.sites, output, layer="suggestie", description=f"suggestie {subregio}",
                    subregio=subregio, solver=plan.status)
        click.echo(f"Geschreven naar {output}.")
    if accept:
        added = scan.accept(plan, Shortlist(region=scan.region.key), user=user)
        click.echo(f"{added} locaties op de shortlist gezet"
                   + (f"; {len(plan.sites) - added} stonden er al op." if added < len(plan.sites)
                      else "."))


@main.group("data")
def data_group() -> None:
    """Real data: pull layers from their official sources, see what is cached."""


@data_group.command("pull")
@click.option("--region", "region_dir", type=click.Path(path_type=Path), required=True,
              help="Region folder with sources.yaml (e.g. data/gmr).")
@click.option("--layers", default="all", show_default=True,
              help="Comma-separated layer names from sources.yaml, or 'all'.")
@_friendly
def data_pull(region_dir: Path, layers: str) -> None:
    """Pull layers tile by tile or download by download; an interrupted pull resumes."""
    from tqdm import tqdm

    names = None if layers == "all" else [n.strip() for n in layers.split(",") if n.strip()]
    bars: dict[str, tqdm] = {}

    def progress(name: str, done: int, total: int) -> None:
        if name not in bars:  # one bar per layer, made on its first part (tile or download)
            bars[name] = tqdm(total=total, desc=name, unit="deel")
        bar = bars[name]
        bar.n = done
        bar.refresh()

    failure = None
    try:
        records = pull.pull(region_dir, names, progress=progress)
    except PullError as exc:
        records, failure = exc.done, exc
    finally:
        for bar in bars.values():
            bar.close()
    for name, record in records.items():
        click.echo(f"{name}: {record['features']} objecten uit {record['url']} "
                   f"({record['collection']}), {record['license']}, {record['attribution']}")
    if failure is not None:
        raise failure


@data_group.command("status")
@click.option("--region", "region_dir", type=click.Path(path_type=Path), required=True)
@_friendly
def data_status(region_dir: Path) -> None:
    """What is cached, from where, when, under which licence; what is missing."""
    table = pull.status(region_dir)
    if table.empty:
        click.echo(f"{region_dir}: geen sources.yaml en geen layers.yaml")
        return
    with pd.option_context("display.width", 200, "display.max_colwidth", 70):
        click.echo(table.to_string())
