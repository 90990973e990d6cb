"""Commands for the working group's decision: capacity, suggest, compare, robustness, factsheet."""

from __future__ import annotations

import time
from pathlib import Path

import click
import pandas as pd

from locscan import (
    capacity,
    criteria,
    nl,
)
from locscan.nl import tables
from locscan.region import open_region
from locscan.scan import Scan
from locscan.shortlist import Shortlist

__all__ = ["main"]
from locscan.cli.common import (
    _check_output,
    _friendly,
    _open,
    _percent_down,
    area_option,
    cache_option,
    criteria_option,
    main,
    narrowed,
    region_option,
)


def _print_norms(scan: Scan, plan: capacity.Plan) -> None:
    """The plan's split per work gemeente, which norms bind, and the sites it left out."""
    a = plan.assumptions
    norms = (a.min_share_own_gemeente, a.max_share_elsewhere_in_subregio, a.max_share_elsewhere)
    names = {m.code: m.name for m in scan.meta.municipalities}
    click.echo("\nPer gemeente waar gewerkt wordt:")
    click.echo(tables.plan_by_gemeente(plan.by_gemeente, names, norms).to_string(index=False))
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



@main.command("compare")
@region_option
@click.argument("criteria_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--subregio", default=None, help="Only this subregio.")
@click.option("--gemeente", default=None, help="Only this gemeente (name or CBS code).")
@area_option
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the sites that enter and leave (.geojson, .gpkg, .csv, .xlsx).")
@cache_option
@_friendly
def compare_cmd(region_dir: Path | None, criteria_files: tuple[Path, ...],
                subregio: str | None, gemeente: str | None, area: str | None,
                output: Path | None, cache: bool) -> None:
    """Compare criteria sets side by side; the first is the reference."""
    if len(criteria_files) < 2:
        raise click.UsageError("give at least two criteria files to compare")
    region = open_region(region_dir)
    for path in criteria_files:
        _check_output(output, region, path)
    subregio, chosen = narrowed(region.meta, subregio, gemeente, area)
    sets = [criteria.load(p) for p in criteria_files]
    names = [f"{c.name} {c.version}" for c in sets]
    if len(set(names)) < len(names):
        names = [f"{i + 1}: {n}" for i, n in enumerate(names)]
    scan = _open(region, criteria_files[0], cache)
    start = time.perf_counter()
    result = scan.compare(dict(zip(names, sets, strict=True)), subregio=subregio,
                          gemeente=chosen)
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
@area_option
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
                   gemeente: str | None, area: str | None, runs: int, top_n: int,
                   spread: float, seed: int, output: Path | None, cache: bool) -> None:
    """How robust is the ranking? Monte Carlo over weights and threshold ranges."""
    region = open_region(region_dir)
    _check_output(output, region, criteria_file)
    subregio, chosen = narrowed(region.meta, subregio, gemeente, area)
    scan = _open(region, criteria_file, cache)
    start = time.perf_counter()
    rob = scan.robustness(subregio=subregio, gemeente=chosen, runs=runs, top_n=top_n,
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
        scan.export(table, output, layer="robuustheid",
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



def _assumptions_text(a: capacity.Assumptions) -> str:
    return ", ".join(f"{k}={v}" for k, v in a.model_dump().items() if v is not None)


@main.command("capacity")
@region_option
@criteria_option
@click.option("--subregio", default=None, help="Only this subregio.")
@click.option("--gemeente", default=None,
              help="Only the work sites of this gemeente (name or CBS code).")
@area_option
@cache_option
@_friendly
def capacity_cmd(region_dir: Path | None, criteria_file: Path, subregio: str | None,
                 gemeente: str | None, area: str | None, cache: bool) -> None:
    """Task against capacity per subregio and gemeente, gaps, and the 80/10/10 split.

    With --gemeente or --gebied, the task of their work sites and the sites within reach of
    them only (what a scan of a province or of the country can answer in seconds).
    """
    region = open_region(region_dir)
    subregio, chosen = narrowed(region.meta, subregio, gemeente, area)
    gemeenten = region.meta.codes(subregio, chosen) if chosen else None
    scan = _open(region, criteria_file, cache)
    store = Shortlist(region=scan.region.key)
    analysis = scan.analysis(shortlist=store.items(), gemeenten=gemeenten)
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
        if subregio or chosen:
            gem = gem[gem.index.isin(scan.meta.codes(subregio, chosen))]
        click.echo("\nPer gemeente (opgave: tijdelijke werknemers van de werklocaties):")
        click.echo(nl.dutch(gem.round(0), nl.COVERAGE_COLUMNS).to_string())
        demand, _ = analysis.for_subregio(subregio)
        gaps = demand[demand["capacity_in_reach"] == 0]
        click.echo(f"\nWerklocaties zonder capaciteit binnen bereik (witte vlekken): "
                   f"{len(gaps)} van {len(demand)}, samen {gaps['demand'].sum():.0f} "
                   "tijdelijke werknemers")
        plan = scan.assign(subregio=subregio, gemeenten=gemeenten)
        click.echo(f"\nToewijzing aan de longlist ({tables.solver_status(plan.status)}, "
                   f"{plan.seconds:.2f} s); "
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
    click.echo(f"Solver: HiGHS via scipy.optimize.milp; {tables.solver_status(plan.status)}; "
               f"{plan.seconds:.2f} s"
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
