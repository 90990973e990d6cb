"""What the app does on the national demo (#17): open it, re-evaluate, narrow to a gemeente.

Through :class:`locscan.scan.Scan`, as the app calls it, on a national demo whose parts are
in the cache (run ``benchmarks/national.py`` first): the scan in parts holds no shapes, and
narrowing to a gemeente joins the map's files from the pieces its part left in the cache
(:mod:`locscan.maps.pieces`) without reading a shape. Timed:

* opening the scan (measures from every part's cache) and the first evaluation;
* a threshold change re-evaluated over every candidate (median of 10), as ``Scan.evaluate``;
* the whole country's longlist table and counts (what the app shows before a choice);
* narrowing to a gemeente: its longlist and counts, and the map's files (from its part's
  pieces), for the gemeente of median size and for the largest, the first time and again;
  and the outlines (joined from the pieces too), which the map does not wait for;
* the same for an arbeidsmarktregio and two provinces (region.yaml's ``area_kinds``);
* the capacity page's analysis and plan for a gemeente, an arbeidsmarktregio and a province.

Writes ``benchmarks/RESULTS-national-app.md``.

    PYTHONPATH=. .venv/bin/python benchmarks/national_app.py [SIZE]
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data"
CRITERIA = ROOT / "criteria" / "gmr-tijdelijke-werknemers.yaml"
OUT = ROOT / "benchmarks" / "RESULTS-national-app.md"
#: the areas narrowed to (region.yaml's area_kinds): a labour-market region, a province
#: under the map's limit and the largest province
AREAS = (("arbeidsmarktregio", "Rijk van Nijmegen"), ("provincie", "Utrecht"),
         ("provincie", "Gelderland"))


def timed(func, *args, **kwargs) -> tuple[object, float]:
    """`func`'s answer and its seconds."""
    start = time.perf_counter()
    out = func(*args, **kwargs)
    return out, time.perf_counter() - start


#: the most sites the app's map draws at once (ui.kaart_component.MAP_LIMIT)
MAP_LIMIT = 400_000


def narrow(scan, crit, chosen: str | tuple[str, ...], folder: Path) -> dict[str, float]:
    """Seconds of each step the app takes when the user picks gemeente `chosen` (a code) or
    an area (its gemeenten's codes)."""
    codes = [chosen] if isinstance(chosen, str) else list(chosen)
    table, t_list = timed(scan.longlist, crit, gemeente=chosen, shapes=False, texts=False)
    _, t_texts = timed(scan.texts, table.index[:200], crit, gemeente=chosen,
                       everything=False)  # the first page's texts, as the app asks them
    _, t_summary = timed(scan.summary, crit, gemeente=chosen)
    # as the app writes them: joined from the parts' pieces, the outlines after the map's
    # other files, not waited for; none for more sites than the map draws
    written, t_files = timed(scan.write_map, folder, codes, limit=MAP_LIMIT)
    t_outlines, n = float("nan"), int(scan.candidates["gemeente_code"].isin(codes).sum())
    if written is not None:
        files, rows = written
        _, t_outlines = timed(scan.write_map_outlines, files, rows, folder, codes)
    return {"longlist": t_list + t_texts, "counts": t_summary, "map files": t_files,
            "outlines": t_outlines, "total": t_list + t_texts + t_summary + t_files,
            "candidates": n, "on the longlist": len(table), "drawn": written is not None}


def main() -> None:
    import psutil

    from locscan import criteria
    from locscan.scan import Scan

    warnings.simplefilter("ignore", UserWarning)
    size = int(float(sys.argv[1])) if len(sys.argv) > 1 else 8_400_000
    folder = DATA / f"nl-{size}"
    crit = criteria.load(CRITERIA)
    scan, t_open = timed(Scan.open, folder, CRITERIA)
    if not scan.in_parts:
        raise SystemExit(f"{folder}/region.yaml does not say in_parts: true")
    _, t_first = timed(scan.evaluate, crit)
    changes = []
    for km in (12, 12.5, 13, 13.5, 14, 14.5, 15.5, 16, 16.5, 17):
        _, seconds = timed(scan.evaluate, crit.with_value("afstand_werk", float(km)))
        changes.append(seconds)
    _, t_country = timed(scan.longlist, crit, shapes=False, texts=False)
    _, t_country_texts = timed(scan.longlist, crit, shapes=False)
    rss_open = psutil.Process().memory_info().rss / 2**30
    _, t_country_counts = timed(scan.summary, crit)
    counts = scan.candidates["gemeente_code"].value_counts()
    median = counts.index[len(counts) // 2]
    largest = counts.index[0]
    names = {m.code: m.name for m in scan.meta.municipalities}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        from locscan.maps import deck

        # as the app does when it opens a scan in parts: the map's context file, once
        _, t_context = timed(deck.write_context, scan.context(), scan.meta, Path(tmp))
        for code in (median, largest):
            for visit in ("first", "again"):
                rows.append((names.get(code, code) + f" ({code})", visit,
                             narrow(scan, crit, code, Path(tmp))))
        for kind, area in AREAS:
            if area in scan.meta.area_names(kind):
                codes = tuple(scan.meta.area(kind, area))
                rows.append((f"{kind} {area} ({len(codes)} gemeenten)", "first",
                             narrow(scan, crit, codes, Path(tmp))))
        capacity_rows = []
        for kind, area in (("gemeente", names[median]), *AREAS[:2]):
            codes = ([median] if kind == "gemeente" else scan.meta.area(kind, area))
            analysis, t_analysis = timed(scan.analysis, crit, gemeenten=codes)
            _, t_plan = timed(scan.assign, crit, gemeenten=codes)
            capacity_rows.append((f"{kind} {area}", len(analysis.demand),
                                  len(analysis.longlist_sites), t_analysis, t_plan))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    lines = [
        "# The app's steps on the national demo (#17)", "",
        f"Generated by `benchmarks/national_app.py` on {time.strftime('%Y-%m-%d')}: "
        f"`nl-{size}` ({len(scan.candidates):,} candidates), GMR criteria, a scan in parts "
        "whose parts are in the cache; one process, both cores.", "",
        "| step | seconds |", "|---|---:|",
        f"| open the scan (measures of every part from the cache, the ids' lookup table) | "
        f"{t_open:.1f} |",
        f"| the map's context layers, written once when the app opens the scan | "
        f"{t_context:.2f} |",
        f"| first evaluation | {t_first:.2f} |",
        f"| threshold change, re-evaluated (median of 10) | {statistics.median(changes):.3f} |",
        f"| the whole country's longlist table, as the app pages it (no shapes, texts per "
        f"page) | {t_country:.2f} |",
        f"| the same with every row's reasons in Dutch, as an export | {t_country_texts:.2f} |",
        f"| the whole country's counts | {t_country_counts:.2f} |", "",
        "Narrowing to a gemeente, an arbeidsmarktregio or a province: its longlist and counts "
        "(with the first page's texts), and the map's binary files, joined from the pieces "
        "the gemeenten's parts left in the cache (no shape read). *first*: not shown before; "
        "*again*: a second visit. *outlines*: the parcels' outlines, joined from the pieces "
        "too and written after the map's other files (the map draws without them; not in the "
        f"total). A choice of more than {MAP_LIMIT:,} sites gets no map (the app asks for a "
        "smaller one): *not drawn*.", "",
        "| chosen | visit | candidates | on the longlist | longlist (s) | counts (s) | "
        "map files (s) | total (s) | outlines (s) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, visit, r in rows:
        files = f"{r['map files']:.2f}" if r["drawn"] else "not drawn"
        outlines = f"{r['outlines']:.2f}" if r["drawn"] else "–"
        lines.append(
            f"| {label} | {visit} | {r['candidates']:,} | "
            f"{r['on the longlist']:,} | {r['longlist']:.2f} | {r['counts']:.2f} | "
            f"{files} | **{r['total']:.2f}** | {outlines} |")
    lines += ["", "The page *Opgave & capaciteit* for a choice (a scan in parts weighs the "
              "work sites of the chosen gemeenten against the sites within reach of them, "
              "`Scan.analysis(gemeenten=)`; for the whole country it asks for a choice): the "
              "analysis (task, capacity within reach of each work site) and the plan "
              "(`Scan.assign`, HiGHS).", "",
              "| chosen | work sites | longlist sites within reach | analysis (s) | plan (s) |",
              "|---|---:|---:|---:|---:|"]
    for label, work, sites, t_analysis, t_plan in capacity_rows:
        lines.append(f"| {label} | {work:,} | {sites:,} | {t_analysis:.1f} | {t_plan:.1f} |")
    lines += ["", f"Resident memory after opening, evaluating and the country's tables: "
              f"{rss_open:.2f} GiB; peak of the process: {peak:.2f} GiB (the forked workers "
              "that read the parts are not counted)."]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
