"""Benchmark locscan against geopandas, PostGIS and DuckDB spatial on demo regions of growing size.

    python benchmarks/run.py                        # 10k, 100k, 400k, 1M and 2M parcels
    python benchmarks/run.py --sizes 10000 --quick  # smoke test: agreement only

Each engine runs in its own process, so its peak memory (ru_maxrss) is its own; PostgreSQL's
server memory is sampled from its processes. All must agree on the longlist and on every
measure within the tolerances below, or the run fails. Every engine reports the time of each
step (reading and candidates, then one measure at a time); locscan's steps come from a separate
serial run, its cold time from the real (parallel) scan. Results go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
CRITERIA = ROOT / "criteria/gmr-tijdelijke-werknemers.yaml"
DATA = HERE / ".data"
PEERS = ["geopandas", "postgis", "duckdb"]
#: the first step of every engine: reading the GeoPackage's layers and building the candidates
READ = "read + candidates"

#: absolute tolerance per measure (None: must be equal). Distances and areas differ only by
#: floating-point order of operations between GEOS call paths; overlay-based shares by the
#: way each tool splits polygons (1e-6 of the area).
TOLERANCE = {
    "dist_work_site_m": 1e-6, "dist_dwelling_m": 1e-6, "dist_stop_m": 1e-6, "dist_shop_m": 1e-6,
    "core_share": 1e-6, "nature_share": 1e-6, "zoning_class": None,
    "zoning_class__share": 1e-6, "parking_places_400m": 1e-9,
    "parking_places_400m__unknown": 1e-9, "area_m2": 1e-6, "ownership_class": None,
}


def demo_region(size: int) -> Path:
    folder = DATA / f"demo-{size}"
    if not (folder / "layers.yaml").is_file():
        from locscan import demo

        demo.build(folder, source_region=ROOT / "data/gmr", parcels=size, seed=42)
    return folder


# --- one engine in its own process ------------------------------------------------------------


def _locscan_steps(folder: Path) -> dict[str, float]:
    """locscan one step at a time: reading every layer and the candidates, then each measure."""
    from locscan import criteria, measures
    from locscan.candidates import candidates_for_region
    from locscan.measures import rings
    from locscan.region import Region

    crit = criteria.load(CRITERIA)
    specs = crit.used_measures()
    steps: dict[str, float] = {}
    start = time.perf_counter()
    region = Region(folder)
    cands = candidates_for_region(region, cache=False)
    layers = {s.layer: region.layer(s.layer) for s in specs if s.layer}
    rings.rings(cands.geometry.to_numpy())  # once per candidate table, shared by the measures
    from locscan.measures import kernels  # noqa: F401  (loads the compiled loops)

    steps[READ] = time.perf_counter() - start
    for spec in specs:
        start = time.perf_counter()
        measures.compute_one(cands, spec, layers.get(spec.layer))
        steps[spec.name] = time.perf_counter() - start
    return steps


def _engine(name: str, folder: Path, out: Path) -> dict:
    from locscan import criteria, measures
    from locscan.region import Region

    crit = criteria.load(CRITERIA)
    result: dict = {"engine": name}
    if name == "locscan-steps":
        result["steps"] = _locscan_steps(folder)
        result["seconds"] = sum(result["steps"].values())
    elif name == "locscan-cold":
        shutil.rmtree(folder / ".locscan-cache", ignore_errors=True)
        start = time.perf_counter()
        cands, table = measures.compute_for_region(Region(folder), crit.used_measures())
        result["seconds"] = time.perf_counter() - start
        table.assign(gemeente_code=cands["gemeente_code"]).to_parquet(out / f"{name}.parquet")
    elif name == "locscan-cached":
        from locscan.scan import Scan

        start = time.perf_counter()
        scan = Scan(Region(folder), crit)  # as the app opens it: measures from the cache
        result["seconds"] = time.perf_counter() - start
        base = scan.evaluate()
        times = []
        for km in np.arange(12.0, 17.0, 0.25):  # a new threshold each time, as a user
            changed = crit.with_value("afstand_werk", float(km))
            start = time.perf_counter()
            scan.evaluate(changed)
            times.append(time.perf_counter() - start)
        result["reevaluate_ms"] = 1000 * float(np.median(times))
        result["longlist"] = int(base.on_longlist.sum())
    elif name == "geopandas":
        import peers

        start = time.perf_counter()
        cands, table, timings = peers.geopandas_scan(folder)
        result["seconds"] = time.perf_counter() - start
        reads = [k for k in timings if k == "candidates" or k.startswith("read ")]
        result["steps"] = {READ: sum(timings.pop(k) for k in reads), **timings}
        table.assign(gemeente_code=cands["gemeente_code"]).to_parquet(out / f"{name}.parquet")
    elif name == "duckdb":
        import peers

        conn = peers.duckdb_connect()
        result["load_seconds"] = peers.duckdb_load(conn, folder)
        start = time.perf_counter()
        table, timings = peers.duckdb_scan(conn, folder)
        result["seconds"] = time.perf_counter() - start
        result["steps"] = {READ: result["load_seconds"] + timings.pop("candidates"), **timings}
        table.to_parquet(out / f"{name}.parquet")
    elif name == "postgis":
        import peers

        with peers.postgis_server() as (conn, port):
            result["load_seconds"] = peers.postgis_load(conn, folder)
            peak = [0]
            done = threading.Event()

            def sample() -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], peers.postgis_memory(port))
                    time.sleep(0.2)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            start = time.perf_counter()
            table, timings = peers.postgis_scan(conn, folder)
            result["seconds"] = time.perf_counter() - start
            done.set()
            sampler.join()
            result["server_peak_bytes"] = peak[0]
            result["retried"] = timings.pop("retried")
            result["steps"] = {READ: result["load_seconds"] + timings.pop("candidates"),
                               **timings}
        table.to_parquet(out / f"{name}.parquet")
    return result


def run_engine(name: str, folder: Path, out: Path) -> dict:
    """Run one engine in a child process; returns its result with peak memory."""
    cmd = [sys.executable, str(Path(__file__)), "--engine", name, "--folder", str(folder),
           "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"engine {name} failed (exit {status})")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_bytes"] = usage.ru_maxrss * 1024 + result.get("server_peak_bytes", 0)
    return result


# --- agreement ----------------------------------------------------------------------------------


#: the measures that rest on polygon overlays, where a referee decides a disagreement
OVERLAY = ["core_share", "nature_share", "zoning_class", "zoning_class__share"]


def agreement(folder: Path, out: Path, engines: list[str]) -> tuple[list[str], list[str]]:
    """
    Problems (the run fails) and peer errors found by the referee (reported).

    Where a peer differs from locscan on an overlay measure, :func:`peers.referee_overlay`
    computes it a third way; when locscan agrees with the referee and the peer does not, the
    peer's value is counted as its error and replaced by the referee's before the longlists
    are compared.
    """
    import peers

    from locscan import criteria
    from locscan.region import load_meta

    crit = criteria.load(CRITERIA)
    meta = load_meta(ROOT / "data/gmr/region.yaml")
    tables = {e: pd.read_parquet(out / f"{e}.parquet") for e in engines}
    reference = tables.pop("locscan-cold")
    problems, peer_errors = [], []
    ref_ids = _longlist(crit, reference, meta)
    for name, table in tables.items():
        if (wrong := peers.compare(reference, table, TOLERANCE)) and wrong[0].startswith(
                "candidates differ"):
            problems += [f"{name}: {p}" for p in wrong]
            continue
        table = table.loc[reference.index].copy()
        differ = peers.differences(reference, table, {c: TOLERANCE[c] for c in OVERLAY})
        ids = pd.Index(sorted(set().union(*differ.values()))) if differ else pd.Index([])
        if len(ids):
            referee = peers.referee_overlay(folder, ids)
            ours_ok = not peers.differences(reference.loc[ids], referee,
                                            {c: TOLERANCE[c] for c in OVERLAY})
            if ours_ok:
                for column in OVERLAY:
                    table.loc[ids, column] = referee[column]
                example = ids[0]
                peer_errors.append(
                    f"{name}: {len(ids)} candidates (e.g. {example}: zoning "
                    f"{reference.at[example, 'zoning_class']} "
                    f"{reference.at[example, 'zoning_class__share']:.6f}, {name} "
                    f"{tables[name].at[example, 'zoning_class']} "
                    f"{tables[name].at[example, 'zoning_class__share']:.6f})")
        problems += [f"{name}: {p}" for p in peers.compare(reference, table, TOLERANCE)]
        if _longlist(crit, table, meta) != ref_ids:
            problems.append(f"{name}: longlist differs "
                            f"({len(_longlist(crit, table, meta) ^ ref_ids)} ids)")
    return problems, peer_errors


def _longlist(crit, table: pd.DataFrame, meta) -> set[str]:
    from locscan.criteria import evaluate

    ev = evaluate(crit, table, table["gemeente_code"], meta)
    return set(ev.index[ev["passes"]])


# --- report -------------------------------------------------------------------------------------


def machine() -> str:
    import geopandas
    import shapely

    cpu = platform.processor() or platform.machine()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}, "
            f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
            f"geopandas {geopandas.__version__}")


def _fmt(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def _total(result: dict | None) -> float | None:
    """An engine's cold time from the GeoPackage: its load (databases) and its scan."""
    return None if result is None else result.get("load_seconds", 0.0) + result["seconds"]


def best_of_peers(row: dict) -> tuple[dict[str, tuple[str, float]], float]:
    """Per step the fastest peer and its time, and the sum of those times."""
    steps: dict[str, tuple[str, float]] = {}
    for peer in PEERS:
        for step, seconds in row.get(peer, {}).get("steps", {}).items():
            if step not in steps or seconds < steps[step][1]:
                steps[step] = (peer, seconds)
    return steps, sum(t for _, t in steps.values())


def _growth(rows: list[dict], seconds) -> float | None:
    points = [(r["candidates"], seconds(r)) for r in rows if seconds(r)]
    if len(points) < 2:
        return None
    n, t = np.array(points, dtype=float).T
    return float(np.polyfit(np.log(n), np.log(t), 1)[0])


def report(rows: list[dict], path: Path, postgis_version: str) -> None:
    """Write RESULTS.md: totals per size, every step × every engine per size, growth, memory."""
    import duckdb

    lines = [
        "# Benchmarks: locscan against geopandas, PostGIS and DuckDB spatial",
        "",
        f"Generated by `make bench` (`python benchmarks/run.py`) on {time.strftime('%Y-%m-%d')}.",
        f"Machine: {machine()}; {postgis_version}; DuckDB {duckdb.__version__} with its spatial "
        "extension.",
        "",
        "All measures of `criteria/gmr-tijdelijke-werknemers.yaml` on the demo region (irregular "
        "parcels and zoning areas). Every engine starts from the GeoPackage. *locscan cold*: "
        "reading, candidates and all measures, nothing cached (the real scan, measures side by "
        "side; its compiled loops are built once per installation, before the timing); *cached*: "
        "locscan opening the scan with the measure cache, as the app does; *re-evaluate*: the "
        "longlist after one threshold changes (median of 20 new values). PostGIS and DuckDB "
        "include loading the layers (PostGIS: COPY, GiST indexes, ANALYZE; DuckDB: ST_Read). "
        "*Best of the peers*: for every step the fastest of geopandas, PostGIS and DuckDB, "
        "summed. Peak memory is the process's maximum resident "
        "set (PostGIS: client plus sampled server processes). The engines agree on every measure "
        "within the stated tolerances and on the longlist, or the run fails.",
        "",
        "| parcels | candidates | longlist | locscan cold (s) | locscan cached (s) | "
        "re-evaluate (ms) | geopandas (s) | PostGIS (s) | DuckDB (s) | best of the peers (s) | "
        "best of the peers / locscan cold | peak locscan (MiB) | peak geopandas (MiB) | "
        "peak PostGIS (MiB) | peak DuckDB (MiB) |",
        "|" + "---:|" * 15,
    ]
    for r in rows:
        lc, cached = r["locscan-cold"], r["locscan-cached"]
        _, best = best_of_peers(r)
        peaks = [_fmt(r[e]["peak_bytes"] / 2**20, 0) if e in r else "–"
                 for e in ("locscan-cold", *PEERS)]
        lines.append(
            f"| {r['size']:,} | {r['candidates']:,} | {cached['longlist']:,} | "
            f"{_fmt(lc['seconds'])} | {_fmt(cached['seconds'], 2)} | "
            f"{_fmt(cached['reevaluate_ms'])} | "
            + " | ".join(_fmt(_total(r.get(e))) for e in PEERS)
            + f" | {_fmt(best or None)} | {_fmt(best / lc['seconds'] if best else None, 2)}× | "
            + " | ".join(peaks) + " |"
        )
    growth = {name: _growth(rows, lambda r, key=key: _total(r.get(key)))
              for name, key in (("locscan cold", "locscan-cold"), ("geopandas", "geopandas"),
                                ("PostGIS", "postgis"), ("DuckDB", "duckdb"))}
    shown = ", ".join(f"{k} n^{v:.2f}" for k, v in growth.items() if v is not None)
    if shown:
        lines += ["", f"Growth of the cold time with the number of candidates (log-log fit over "
                  f"the sizes above): {shown}. n log n over this range fits an exponent of about "
                  "1.05–1.1."]
    retried = [f"- {r['size']:,} parcels, {e}" for r in rows
               for e in r.get("postgis", {}).get("retried", [])]
    if retried:
        lines += ["", "PostGIS (GEOS 3.11) threw a TopologyException on valid irregular polygons "
                  "in these queries; as a PostGIS user would, the benchmark ran them again with "
                  "PL/pgSQL wrappers that catch it per pair (`safe_intersects`, `safe_overlap` "
                  "in `benchmarks/peers.py`). Both attempts count in its time:", "", *retried]
    errors = [f"- {r['size']:,} parcels, {e}" for r in rows for e in r.get("peer_errors", [])]
    if errors:
        lines += ["", "Where a peer differs from locscan on an overlay measure, a referee computes "
                  "it a third way (the candidate's area minus the area of its difference with "
                  "the polygon). In these cases locscan agrees with the referee and the peer "
                  "does not: GEOS's intersection, which geopandas, PostGIS and DuckDB all call, "
                  "returned an overlap larger than the candidate (see "
                  "`tests/test_measures_planar.py`, a polygon with a thin spike). The run "
                  "counts them here and compares the rest:", "", *errors]
    for r in rows:
        lines += _steps_table(r)
    path.write_text("\n".join(lines) + "\n")


def _steps_table(row: dict) -> list[str]:
    """Seconds per step and engine at one size, the fastest peer, and locscan against it."""
    best, total = best_of_peers(row)
    ours = row.get("locscan-steps", {}).get("steps", {})
    engines = [p for p in PEERS if p in row]
    lines = ["", f"### {row['size']:,} parcels: seconds per step", "",
             "| step | locscan | " + " | ".join(engines) + " | fastest peer | "
             "fastest peer / locscan |",
             "|---|" + "---:|" * (len(engines) + 3)]
    for step in dict.fromkeys([*ours, *best]):
        times = [row[e].get("steps", {}).get(step) for e in engines]
        mine = ours.get(step)
        peer = best.get(step)
        ratio = _fmt(peer[1] / mine, 1) + "×" if peer and mine else "–"
        lines.append(f"| {step} | {_fmt(mine, 2)} | " + " | ".join(_fmt(t, 2) for t in times)
                     + f" | {peer[0] if peer else '–'} | {ratio} |")
    lines.append(f"| **sum** | **{_fmt(sum(ours.values()), 2)}** | "
                 + " | ".join(_fmt(sum(row[e].get('steps', {}).values()), 2) for e in engines)
                 + f" | **{_fmt(total, 2)}** (best of the peers) | "
                 + (_fmt(total / sum(ours.values()), 1) + "×" if ours else "–") + " |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 400_000,
                                                                 1_000_000, 2_000_000])
    parser.add_argument("--engines", nargs="+", default=PEERS, choices=PEERS)
    parser.add_argument("--quick", action="store_true", help="agreement only, no RESULTS.md")
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:  # child process
        print(json.dumps(_engine(args.engine, args.folder, args.out)))
        return 0
    rows = []
    failed = False
    # the compiled loops are built once per installation (numba's cache), not per scan: build
    # them before anything is timed
    run_engine("locscan-steps", demo_region(min(args.sizes)), DATA)
    for size in args.sizes:
        folder = demo_region(size)
        out = DATA / f"out-{size}"
        out.mkdir(parents=True, exist_ok=True)
        row = {"size": size}
        steps = [] if args.quick else ["locscan-steps"]
        for engine in ["locscan-cold", "locscan-cached", *steps, *args.engines]:
            row[engine] = run_engine(engine, folder, out)
            print(f"{size:>9,} {engine:<15} {row[engine]['seconds']:8.2f} s "
                  f"peak {row[engine]['peak_bytes'] / 2**20:7.0f} MiB", flush=True)
        row["candidates"] = len(pd.read_parquet(out / "locscan-cold.parquet"))
        problems, row["peer_errors"] = agreement(folder, out, ["locscan-cold", *args.engines])
        for p in problems:
            print(f"DISAGREE {size}: {p}", flush=True)
        for p in row["peer_errors"]:
            print(f"PEER ERROR {size}: {p}", flush=True)
        failed |= bool(problems)
        rows.append(row)
    if not args.quick:
        version = "PostGIS not run"
        if "postgis" in args.engines:
            version = subprocess.run(["dpkg-query", "-W", "-f", "PostGIS ${Version}",
                                      "postgis"], capture_output=True, text=True).stdout
        report(rows, HERE / "RESULTS.md", version)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
