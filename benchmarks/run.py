"""Benchmark locscan against a geopandas script and PostGIS on demo regions of growing size.

    python benchmarks/run.py                        # 10k, 100k, 400k and 1M parcels
    python benchmarks/run.py --sizes 10000 --quick  # smoke test: agreement only

Each engine runs in its own process, so its peak memory (ru_maxrss) is its own; PostgreSQL's
server memory is sampled from its processes. The three must agree on the longlist and on every
measure within the tolerances below, or the run fails. Results go to benchmarks/RESULTS.md.
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


def _engine(name: str, folder: Path, out: Path) -> dict:
    from locscan import criteria, longlist, measures
    from locscan.region import Region

    crit = criteria.load(CRITERIA)
    result: dict = {"engine": name}
    if name in ("locscan-cold", "locscan-cached"):
        if name == "locscan-cold":
            shutil.rmtree(folder / ".locscan-cache", ignore_errors=True)
        start = time.perf_counter()
        region = Region(folder)
        cands, table = measures.compute_for_region(region, crit.used_measures())
        result["seconds"] = time.perf_counter() - start
        table.assign(gemeente_code=cands["gemeente_code"]).to_parquet(out / f"{name}.parquet")
        if name == "locscan-cached":
            base = longlist.build(crit, cands, table, region.meta)
            times = []
            for km in (12, 13, 14, 15, 16) * 4:
                changed = crit.with_value("afstand_werk", km)
                start = time.perf_counter()
                longlist.build(changed, cands, table, region.meta)
                times.append(time.perf_counter() - start)
            result["reevaluate_ms"] = 1000 * float(np.median(times))
            result["longlist"] = int(base.on_longlist.sum())
    elif name == "geopandas":
        import peers

        start = time.perf_counter()
        cands, table, timings = peers.geopandas_scan(folder)
        result["seconds"] = time.perf_counter() - start
        result["steps"] = timings
        table.assign(gemeente_code=cands["gemeente_code"]).to_parquet(out / f"{name}.parquet")
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
            result["steps"] = timings
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


def agreement(out: Path, engines: list[str]) -> list[str]:
    import peers

    from locscan import criteria
    from locscan.region import load_meta

    crit = criteria.load(CRITERIA)
    meta = load_meta(ROOT / "data/gmr/region.yaml")
    tables = {e: pd.read_parquet(out / f"{e}.parquet") for e in engines}
    reference = tables.pop("locscan-cold")
    problems = []
    ref_ids = _longlist(crit, reference, meta)
    for name, table in tables.items():
        problems += [f"{name}: {p}" for p in peers.compare(reference, table, TOLERANCE)]
        ids = _longlist(crit, table, meta)
        if ids != ref_ids:
            problems.append(f"{name}: longlist differs ({len(ids ^ ref_ids)} ids)")
    return problems


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


def report(rows: list[dict], path: Path, postgis_version: str) -> None:
    lines = [
        "# Benchmarks: locscan against a geopandas script and PostGIS",
        "",
        f"Generated by `make bench` (`python benchmarks/run.py`) on {time.strftime('%Y-%m-%d')}.",
        f"Machine: {machine()}; {postgis_version}.",
        "",
        "All measures of `criteria/gmr-tijdelijke-werknemers.yaml` on the demo region. *cold*: "
        "from the GeoPackage, nothing cached (locscan: reading, candidates and all measures); "
        "*cached*: locscan with the measure cache; *re-evaluate*: the longlist after one "
        "threshold changes; PostGIS load (COPY + GiST + ANALYZE) is reported apart. Peak "
        "memory is the process's maximum resident set (for PostGIS: client plus sampled "
        "server processes). The three agree on every measure within the stated tolerances "
        "and on the longlist, or the run fails.",
        "",
        "| parcels | candidates | longlist | locscan cold (s) | locscan cached (s) | "
        "re-evaluate (ms) | geopandas (s) | PostGIS load (s) | PostGIS (s) | "
        "cold: geopandas / locscan | cold: PostGIS / locscan | cached vs PostGIS | "
        "peak locscan (MiB) | peak geopandas (MiB) | peak PostGIS (MiB) |",
        "|" + "---:|" * 15,
    ]
    for r in rows:
        lc, gp, pg = r["locscan-cold"], r.get("geopandas"), r.get("postgis")
        cached = r["locscan-cached"]

        def fmt(x, d=1):
            return "–" if x is None else f"{x:,.{d}f}"

        lines.append(
            f"| {r['size']:,} | {r['candidates']:,} | {cached['longlist']:,} | "
            f"{fmt(lc['seconds'])} | {fmt(cached['seconds'], 2)} | "
            f"{fmt(cached['reevaluate_ms'])} | {fmt(gp and gp['seconds'])} | "
            f"{fmt(pg and pg['load_seconds'])} | {fmt(pg and pg['seconds'])} | "
            f"{fmt(gp and gp['seconds'] / lc['seconds'], 2)}× | "
            f"{fmt(pg and pg['seconds'] / lc['seconds'], 2)}× | "
            f"{fmt(pg and pg['seconds'] / cached['seconds'], 0)}× | "
            f"{fmt(lc['peak_bytes'] / 2**20, 0)} | {fmt(gp and gp['peak_bytes'] / 2**20, 0)} | "
            f"{fmt(pg and pg['peak_bytes'] / 2**20, 0)} |"
        )
    if len(rows) >= 2:
        n = np.array([r["candidates"] for r in rows], dtype=float)
        t = np.array([r["locscan-cold"]["seconds"] for r in rows])
        slope = np.polyfit(np.log(n), np.log(t), 1)[0]
        lines += ["", f"Growth of locscan cold with the number of candidates: time ∝ n^{slope:.2f} "
                  "(log-log fit over the sizes above; n log n over this range fits an exponent "
                  "of about 1.05–1.1)."]
    lines += ["", "Time per step (s), largest size:", ""]
    big = rows[-1]
    for engine in ("geopandas", "postgis"):
        if engine in big:
            steps = ", ".join(f"{k} {v:.1f}" for k, v in big[engine]["steps"].items())
            lines.append(f"- {engine}: {steps}")
    path.write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 400_000,
                                                                 1_000_000])
    parser.add_argument("--engines", nargs="+", default=["geopandas", "postgis"])
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
    for size in args.sizes:
        folder = demo_region(size)
        out = DATA / f"out-{size}"
        out.mkdir(parents=True, exist_ok=True)
        row = {"size": size}
        for engine in ["locscan-cold", "locscan-cached", *args.engines]:
            row[engine] = run_engine(engine, folder, out)
            print(f"{size:>9,} {engine:<15} {row[engine]['seconds']:8.2f} s "
                  f"peak {row[engine]['peak_bytes'] / 2**20:7.0f} MiB", flush=True)
        row["candidates"] = len(pd.read_parquet(out / "locscan-cold.parquet"))
        problems = agreement(out, ["locscan-cold", *args.engines])
        for p in problems:
            print(f"DISAGREE {size}: {p}", flush=True)
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
