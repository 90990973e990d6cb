"""The national benchmark (#17): locscan in parts on the national demo, 1M to 8.4M parcels.

For each size: build the national demo (``locscan demo build --national``) if it is missing,
then, each in a child process of its own (so that its peak memory is its own):

* ``parts-cold``: the scan in parts with an empty cache (``compute_in_parts``, without the
  candidates' shapes in the result: they stay in each part's cache);
* ``parts-cached``: the same with the cache, then the re-evaluation after a threshold change
  (median of 20 thresholds) over every candidate, and opening one gemeente (its part, with the
  shapes, from the cache);
* ``whole-cold``: the unpartitioned scan, for comparison, up to 2M parcels;
* ``cluster-cold``: the scan in parts on a local dask cluster of two worker processes, up to
  2M parcels (the parent's and the largest worker's peak memory).

Writes ``benchmarks/RESULTS-national.md`` and ``benchmarks/.data/national.json``.

    PYTHONPATH=. .venv/bin/python benchmarks/national.py [SIZE ...]
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data"
CRITERIA = ROOT / "criteria" / "gmr-tijdelijke-werknemers.yaml"
SIZES = [1_000_000, 2_000_000, 4_000_000, 8_400_000]
#: the 400k cold time of locscan's whole scan in benchmarks/RESULTS.md (#13), seconds
COLD_400K = 8.1


def folder_for(size: int) -> Path:
    """The national demo of `size` parcels, built when missing (timed)."""
    folder = DATA / f"nl-{size}"
    if not (folder / "layers.yaml").is_file():
        from locscan import demo

        start = time.perf_counter()
        demo.build_national(folder, source_region=ROOT / "data/nl", parcels=size, seed=42)
        (folder / "build-seconds.txt").write_text(f"{time.perf_counter() - start:.1f}\n")
    return folder


class TreeMemory:
    """The peak of the resident memory of this process and all its children together
    (worker processes of a pool or a cluster), sampled every 0.1 s."""

    def __init__(self) -> None:
        import psutil

        self.peak = 0
        self._me = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for proc in [self._me, *self._me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _measure(kind: str, folder: Path) -> dict:
    from locscan import criteria, longlist, measures
    from locscan.measures.parts import measure_part, part_groups
    from locscan.memo import Memo
    from locscan.region import Region

    warnings.simplefilter("ignore", UserWarning)
    crit = criteria.load(CRITERIA)
    specs = crit.used_measures()
    out: dict = {"kind": kind}
    if kind in ("parts-cold", "whole-cold", "cluster-cold"):
        shutil.rmtree(folder / ".locscan-cache", ignore_errors=True)
    region = Region(folder)
    memory = TreeMemory().__enter__()
    start = time.perf_counter()
    if kind == "whole-cold":
        cands, table = measures.compute_for_region(region, specs)
    elif kind == "cluster-cold":
        import distributed

        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            start = time.perf_counter()
            cands, table = measures.compute_in_parts(region, specs, client=client,
                                                     geometry=False)
            out["seconds"] = time.perf_counter() - start
    else:
        cands, table = measures.compute_in_parts(region, specs, geometry=False)
    out.setdefault("seconds", time.perf_counter() - start)
    memory.__exit__()
    out["tree_peak_bytes"] = memory.peak
    out["candidates"] = len(cands)
    if kind == "parts-cached":
        parts = Memo(64)
        base = longlist.build(crit, cands, table, region.meta, parts=parts)
        out["longlist"] = int(base.on_longlist.sum())
        times = []
        for km in np.arange(12.0, 17.0, 0.25):  # a new threshold each time, as a user
            changed = crit.with_value("afstand_werk", float(km))
            start = time.perf_counter()
            longlist.build(changed, cands, table, region.meta, parts=parts)
            times.append(time.perf_counter() - start)
        out["reevaluate_ms"] = 1000 * float(np.median(times))
        groups = part_groups(region)
        name, codes = max(groups.items(), key=lambda item: len(item[1]))
        start = time.perf_counter()
        part = measure_part(region, specs, name, codes, cache=True)
        out["open_gemeente_seconds"] = time.perf_counter() - start
        out["open_gemeente_candidates"] = len(part.candidates)
        out["parts"] = len(groups)
    return out


def run(kind: str, folder: Path) -> dict:
    """One measurement in a child process, with its peak memory."""
    cmd = [sys.executable, str(Path(__file__)), "--kind", kind, "--folder", str(folder)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{kind} on {folder} failed (exit {status})")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_bytes"] = usage.ru_maxrss * 1024
    return result


def _bound(n: int) -> float:
    """The cold time allowed at `n` parcels: n log n from the 400k figure."""
    return COLD_400K * (n / 400_000) * np.log(n) / np.log(400_000)


def report(rows: list[dict], path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run import machine

    gib = 2**30
    lines = [
        "# locscan at national scale (#17)", "",
        f"Generated by `benchmarks/national.py` on {time.strftime('%Y-%m-%d')}; {machine()}.",
        "The national demo (`locscan demo build --national`): every gemeente of data/nl (342)"
        ", parcels spread by area, a GeoParquet file per layer; GMR criteria (10 measures).",
        "Scan in parts: 30 km tiles of gemeenten, each part reading the layers within the "
        "measures' reach (`locscan scan --in-parts`), two parts at a time in forked processes. "
        "The result holds no shapes (they stay in each part's cache). *allowed*: the 400k cold "
        f"time of the whole scan ({COLD_400K} s, RESULTS.md) grown by n log n. *peak*: the "
        "resident memory of the process and its workers together, sampled every 0.1 s. "
        "*open one tile*: the largest part (a 30 km tile of gemeenten) from the cache, with its "
        "shapes.", "",
        "| parcels (target) | candidates | build (s) | parts cold (s) | allowed (s) | peak "
        "(GiB) | parts cached (s) | re-evaluate (ms) | open one tile (s) | whole cold (s) | "
        "whole peak (GiB) | dask 2 workers cold (s) | dask peak (GiB) |",
        "|" + "---:|" * 13,
    ]
    for r in rows:
        cold, cached = r["parts-cold"], r["parts-cached"]
        whole, cluster = r.get("whole-cold"), r.get("cluster-cold")
        lines.append(
            f"| {r['size']:,} | {cold['candidates']:,} | {r['build']} | {cold['seconds']:.1f} "
            f"| {_bound(cold['candidates']):.0f} | {cold['tree_peak_bytes'] / gib:.2f} | "
            f"{cached['seconds']:.1f} | {cached['reevaluate_ms']:.0f} | "
            f"{cached['open_gemeente_seconds']:.2f} ({cached['open_gemeente_candidates']:,}) | "
            + (f"{whole['seconds']:.1f} | {whole['tree_peak_bytes'] / gib:.2f} | " if whole
               else "– | – | ")
            + (f"{cluster['seconds']:.1f} | {cluster['tree_peak_bytes'] / gib:.2f} |"
               if cluster else "– | – |"))
    if len(rows) > 1:
        n = np.array([r["parts-cold"]["candidates"] for r in rows], dtype=float)
        t = np.array([r["parts-cold"]["seconds"] for r in rows])
        slope = float(np.polyfit(np.log(n), np.log(t), 1)[0])
        lines += ["", f"Growth of the cold time in parts: n^{slope:.2f}."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    if "--kind" in sys.argv:
        kind = sys.argv[sys.argv.index("--kind") + 1]
        folder = Path(sys.argv[sys.argv.index("--folder") + 1])
        print(json.dumps(_measure(kind, folder)))
        return 0
    sizes = [int(float(a)) for a in sys.argv[1:]] or SIZES
    rows = []
    for size in sizes:
        folder = folder_for(size)
        build = (folder / "build-seconds.txt")
        row = {"size": size, "build": build.read_text().strip() if build.exists() else "–"}
        for kind in ("parts-cold", "parts-cached"):
            row[kind] = run(kind, folder)
            print(size, kind, row[kind], flush=True)
        if size <= 2_000_000:
            for kind in ("whole-cold", "cluster-cold"):
                row[kind] = run(kind, folder)
                print(size, kind, row[kind], flush=True)
        rows.append(row)
        (DATA / "national.json").write_text(json.dumps(rows, indent=1))
        report(rows, ROOT / "benchmarks" / "RESULTS-national.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
