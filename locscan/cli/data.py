"""Commands for the region's data: pull layers from open sources, show their status."""

from __future__ import annotations

from pathlib import Path

import click

from locscan import criteria, pull
from locscan.errors import PullError

__all__ = ["main"]
from locscan.cli.common import (
    _friendly,
    main,
)


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
    for line in pull.report(table, str(region_dir)):
        click.echo(line)


@main.group("region")
def region_group() -> None:
    """Start a region folder from the files a GIS specialist has."""


@region_group.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The region's name (default: the folder's).")
@click.option("--criteria", "criteria_file", type=click.Path(path_type=Path), default=None,
              help="Also list what this criteria file needs that the folder lacks.")
@_friendly
def region_init_cmd(folder: Path, name: str | None, criteria_file: Path | None) -> None:
    """Propose layers.yaml and region.yaml for a folder of files (never overwrites)."""
    from locscan import region_init

    proposal = region_init.propose(folder)
    for layer, found in proposal.layers.items():
        click.echo(f"{layer}: {found.file} -> rol {found.role}"
                   + (f", velden {found.mapping}" if found.mapping else ""))
        for note in found.notes:
            click.secho(f"  let op: {note}", fg="yellow")
    for path in region_init.write(proposal, name or folder.resolve().name):
        click.echo(f"Geschreven: {path}")
    if criteria_file is not None:
        missing = region_init.missing_for(proposal, criteria.load(criteria_file))
        click.echo("\nNog nodig voor " + criteria_file.name + ":" if missing else
                   f"\n{criteria_file.name} vindt alle lagen die het noemt.")
        for line in missing:
            click.echo(f"- {line}")
