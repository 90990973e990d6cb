"""What every command shares: the group, the options, one error line, opening a scan."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import click

from locscan import (
    __version__,
    crash,
    criteria,
    demo,
    export,
    settings,
)
from locscan.errors import LocscanError
from locscan.region import Gemeenten, Region, RegionMeta, open_region
from locscan.scan import Scan

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


def parts_options(func: Callable) -> Callable:
    """``--in-parts`` and ``--scheduler``: measure per gemeente, here or on a dask cluster."""
    func = click.option(
        "--scheduler", default=None, metavar="ADDRESS",
        help="Run the parts on the dask cluster whose scheduler is here (tcp://host:8786); "
             "the workers must see the region folder at the same path. Implies --in-parts.",
    )(func)
    return click.option(
        "--in-parts", is_flag=True,
        help="Measure per gemeente, each with the layers within reach: memory bounded by the "
             "largest gemeente (a province or the whole country). Without it: as the region's "
             "region.yaml says (in_parts).",
    )(func)




def area_option(func: Callable) -> Callable:
    """``--gebied KIND=NAME``: only the gemeenten of one area (a province, say)."""
    return click.option(
        "--gebied", "area", default=None, metavar="KIND=NAME",
        help="Only the gemeenten of this area, one of the kinds under area_kinds in "
             "region.yaml: provincie=Gelderland, arbeidsmarktregio='Rijk van Nijmegen'.",
    )(func)


def narrowed(meta: RegionMeta, subregio: str | None, gemeente: str | None,
             area: str | None) -> tuple[str | None, Gemeenten | None]:
    """
    The subregio as spelled in the metadata, and the gemeente's code or the area's codes.

    Raises
    ------
    click.BadParameter
        For an area not written as KIND=NAME.
    RegionError
        For a subregio, gemeente, kind of area or area the region does not have.
    """
    subregio = meta.subregio(subregio) if subregio else None
    if gemeente:
        return subregio, meta.municipality(gemeente).code
    if not area:
        return subregio, None
    kind, sep, name = area.partition("=")
    if not sep or not kind.strip() or not name.strip():
        raise click.BadParameter(f"{area!r} is not KIND=NAME (provincie=Gelderland)",
                                 param_hint="--gebied")
    return subregio, tuple(meta.area(kind.strip(), name.strip()))


@click.group()
@click.version_option(__version__, prog_name="locscan")
def main() -> None:
    """locscan: location scan for housing temporary international workers."""



def _open(region: Path | Region | None, criteria_file: Path, cache: bool, *,
          in_parts: bool = False, scheduler: str | None = None) -> Scan:
    """Open the scan (of a folder, or of a region already open) and report the cache hits."""
    start = time.perf_counter()
    done: list[bool] = []
    region = region if isinstance(region, Region) else open_region(region)
    scan = Scan(region, criteria.load(criteria_file), cache=cache, criteria_file=criteria_file,
                on_measure=lambda _spec, hit: done.append(hit), in_parts=in_parts or None,
                scheduler=scheduler)
    click.echo(
        f"Metingen: {len(done)} ({sum(done)} uit cache) voor {len(scan.candidates)} kandidaten "
        f"in {time.perf_counter() - start:.2f} s.", err=True,
    )
    if scan.meta.demo:
        click.secho(demo.DEMO_LABEL, fg="magenta", bold=True)
    return scan



def _check_output(output: Path | None, region: Region, criteria_file: Path) -> None:
    """Refuse a bad output path before any work is done (export checks again when writing)."""
    if output is not None:
        export.check_output(output, [*region.input_files(), criteria_file])



def _percent_down(share: float) -> str:
    """A share as a whole percentage, rounded down: only "100%" when it is every run."""
    return f"{int(share * 100 + 1e-9)}%"
