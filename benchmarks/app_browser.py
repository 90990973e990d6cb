"""The app in a real browser at the size of a region: how long a working group waits.

    python benchmarks/app_browser.py --parcels 400000          # builds the demo if needed
    python benchmarks/app_browser.py --region /path/to/region   # any region folder
    python benchmarks/app_browser.py --region benchmarks/.data/nl-8400000 \
        --gemeente Beekdaelen --out benchmarks/APP-national.md \
        --narrow Zevenaar,Súdwest-Fryslân,Ede,Arbeidsmarktregio=Zuid-Limburg,Provincie=Utrecht

Starts the app (Streamlit, the real server) on a free port with the region as ``data/demo``
and drives it with Debian's Chromium through Playwright, on this machine, WebGL in software
(SwiftShader; a machine with a graphics card draws faster). Measured, with the whole region
selected:

- **first map**: page opened to map drawn, on a server that already holds the scan (the
  working group's case: the app runs, someone opens it), median of 3 fresh pages; and the
  very first page after the server started, once;
- **threshold change**: a new value typed for "Groot genoeg" to the map redrawn, median of 5;
- **click**: a click on a site on the map to its criteria ("waarom (niet)?") shown under the
  map, median of 5;
- **browser memory**: the page's JavaScript heap and the browser's renderer processes (RSS);
- with ``--gemeente``, all of this with that gemeente chosen (the address says so), and with
  ``--narrow``, each of those gemeenten (or areas: ``Provincie=Utrecht``) chosen in the sidebar
  to its map drawn (#17: narrowing a national region to a gemeente, a province...).

Writes ``benchmarks/APP.md`` and screenshots next to it (``benchmarks/app-*.png``). Targets
(#15): first map ≤ 3 s, threshold change ≤ 1 s, click ≤ 0.5 s, browser memory ≤ 1 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FRAME = "iframe[title='ui.kaart_component.locscan_kaart']"
AREA_FIELD = "Groot genoeg (≥ … m²)"
VALUES = ["1500", "2500", "1000", "3000", "2000"]
#: resolves once the frame deck.gl drew is on screen: ``data-drawn`` is set as deck.gl has drawn
#: it, but in software WebGL the page waits for the GPU process to finish that frame (up to ~1 s
#: for 100,000 overlapping sites) before the next frame starts
ON_SCREEN = ("new Promise((done) => requestAnimationFrame(() => "
             "requestAnimationFrame(() => done())))")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _region(args: argparse.Namespace) -> Path:
    if args.region:
        return Path(args.region).resolve()
    folder = HERE / ".data" / f"app-{args.parcels}"
    if not (folder / "layers.yaml").exists():
        subprocess.run([sys.executable, "-m", "locscan.cli", "demo", "build", "--out",
                        str(folder), "--parcels", str(args.parcels)], check=True, cwd=ROOT)
    return folder


def _start(region: Path, work: Path) -> tuple[subprocess.Popen, str]:
    (work / "data").mkdir()
    (work / "data/demo").symlink_to(region)
    shutil.copytree(ROOT / "criteria", work / "criteria")
    port = _free_port()
    env = os.environ | {"LOCSCAN_TILES": "none", "LOCSCAN_DB": f"sqlite:///{work}/sl.sqlite"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
         str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false"],
        cwd=work, env=env, stdout=(work / "streamlit.log").open("wb"),
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the app did not start within 120 s")


def _open_map(browser, url: str):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    start = time.perf_counter()
    page.goto(url)
    page.frame_locator(FRAME).locator("#kaart[data-drawn]").wait_for(timeout=600_000)
    frame = next(f for f in page.frames if "locscan_kaart" in f.url)
    frame.evaluate(ON_SCREEN)
    seconds = time.perf_counter() - start
    return page, frame, seconds


def _threshold_changes(page, frame) -> list[float]:
    field = page.get_by_label(AREA_FIELD)
    times = []
    for value in VALUES:
        before = frame.evaluate("document.querySelector('#kaart').dataset.drawn")
        start = time.perf_counter()
        field.fill(value)
        field.press("Enter")
        frame.wait_for_function(
            f"document.querySelector('#kaart').dataset.drawn !== {before!r}", timeout=120_000)
        frame.evaluate(ON_SCREEN)
        times.append(time.perf_counter() - start)
    return times


def _narrowings(page, frame, names: list[str], shots: Path) -> list[float]:
    """Choose each gemeente (or ``Provincie=Utrecht``: an area of another kind) in the sidebar;
    time until its map is drawn (NaN: not within 5 minutes; the page is then saved as
    ``<shots>-smal-<n>.png``)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    times = []
    for n, choice in enumerate(names):
        label, _, name = choice.rpartition("=")
        before = frame.evaluate("document.querySelector('#kaart').dataset.drawn")
        box = page.get_by_role("combobox", name=label or "Gemeente")
        box.click()
        # as text, not as key presses: key presses lost a name's accents ("Súdwest-Fryslân"),
        # and Enter then chose nothing
        page.keyboard.insert_text(name)
        option = page.get_by_role("option", name=name, exact=True)
        option.wait_for()
        start = time.perf_counter()
        option.click()
        frame = next(f for f in page.frames if "locscan_kaart" in f.url)
        try:
            frame.wait_for_function(
                f"document.querySelector('#kaart')?.dataset.drawn !== {before!r}",
                timeout=300_000)
            frame.evaluate(ON_SCREEN)
        except PlaywrightTimeout:
            page.screenshot(path=f"{shots}-smal-{n}.png")
            times.append(float("nan"))
            continue
        times.append(time.perf_counter() - start)
    return times


def _chosen(page) -> str:
    return page.evaluate("document.querySelector('.st-key-gekozen')?.innerText ?? ''")


#: true once the site named under the map is another than `old` (its first line) and its own
#: line "<id>: <status>, score …" is there: while the app runs, the lines of the site chosen
#: before stay on the page, so a new first line alone is not yet the new site's answer
_SHOWN = """(old) => { const box = document.querySelector('.st-key-gekozen');
  if (!box) return false;
  const lines = box.innerText.split('\\n'), first = lines[0];
  if (!first.startsWith('Gekozen locatie: ') || first === old) return false;
  const id = first.slice('Gekozen locatie: '.length).trim();
  return lines.some((line) => line.startsWith(`${id}: `) && line.includes('score')); }"""


def visible_site_js(candidates: str) -> str:
    """
    JavaScript that finds a site a user can click on the map.

    Parameters
    ----------
    candidates
        A JavaScript expression giving stored positions (indices into the map's files).

    Returns
    -------
    str
        A function for ``frame.evaluate``: the first of `candidates` that is on screen, not
        under the legend and drawn on top (where sites overlap a click takes the top one), as
        ``[position, x, y]`` in the map's pixels, or ``null``.
    """
    return f"""() => {{ const viewport = S.deck.getViewports()[0];
        for (const j of {candidates}) {{
            const [x, y] = viewport.project([S.points[2 * j], S.points[2 * j + 1]]);
            if (x < 5 || y < 5 || x > viewport.width - 5 || y > viewport.height - 5) continue;
            if (document.elementFromPoint(x, y)?.tagName !== "CANVAS") continue;
            if (siteAt(x, y, S.deck.pickObject({{x, y, radius: 0}})) !== S.order[j]) continue;
            return [j, x, y];
        }}
        return null; }}"""


def _clicks(page, frame, n: int = 5) -> tuple[list[float], list[str], int]:
    """
    Click sites on the map; time until "Gekozen locatie: <id>" and its criteria appear.

    Returns the times, the sites chosen and how many clicks chose nothing within 30 s.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    times, sites, missed = [], [], 0
    stored = frame.evaluate("S.passing.at.length")
    step = max(1, stored // (n + 1))
    for k in range(n):
        page.locator(FRAME).scroll_into_view_if_needed()  # below the fold a click lands nowhere
        box = page.locator(FRAME).bounding_box()
        found = frame.evaluate(visible_site_js(f"S.passing.at.subarray({(k + 1) * step})"))
        if found is None:
            break
        _, x, y = found
        old = _chosen(page)
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.wait_for_timeout(300)
        start = time.perf_counter()
        page.mouse.click(box["x"] + x, box["y"] + y)
        try:
            page.wait_for_function(_SHOWN, arg=old.splitlines()[0] if old else "",
                                   timeout=30_000)
        except PlaywrightTimeout:
            missed += 1
            continue
        times.append(time.perf_counter() - start)
        sites.append(_chosen(page).splitlines()[0].removeprefix("Gekozen locatie: "))
    return times, sites, missed


def _memory(page) -> dict[str, float]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    renderers = [p for p in psutil.process_iter(["name", "cmdline"])
                 if "--type=renderer" in " ".join(p.info["cmdline"] or [])]
    gpu = [p for p in psutil.process_iter(["cmdline"])
           if "--type=gpu-process" in " ".join(p.info["cmdline"] or [])]
    return {"js_heap_mib": metrics.get("JSHeapUsedSize", 0) / 2**20,
            "renderer_rss_mib": sum(p.memory_info().rss for p in renderers) / 2**20,
            "gpu_rss_mib": sum(p.memory_info().rss for p in gpu) / 2**20}


def measure(region: Path, shots: Path, gemeente: str | None = None,
            narrow: list[str] | None = None) -> dict:
    """Run the app on `region` and measure; screenshots go to `shots` (a name prefix)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _start(region, Path(tmp))
        if gemeente:
            url += "/?" + urllib.parse.urlencode({"gemeente": gemeente})
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                page, frame, cold = _open_map(browser, url)
                count = frame.evaluate("S.count")
                page.close()
                warm = []
                for _ in range(3):
                    page, frame, seconds = _open_map(browser, url)
                    warm.append(seconds)
                    page.close()
                page, frame, _ = _open_map(browser, url)
                page.wait_for_timeout(1000)
                page.screenshot(path=f"{shots}-kaart.png")
                changes = _threshold_changes(page, frame)
                clicks, sites, missed = _clicks(page, frame)
                page.screenshot(path=f"{shots}-klik.png")
                narrowed = _narrowings(page, frame, narrow or [], shots)
                memory = _memory(page)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {"candidates": count, "first_map_cold_s": cold, "first_map_s": warm,
            "threshold_s": changes, "click_s": clicks, "clicked": sites, "click_missed": missed,
            "gemeente": gemeente, "narrow": narrow or [], "narrow_s": narrowed, **memory}


def report(result: dict, region: Path, shots: str) -> str:
    """The Markdown report of one run."""
    med = statistics.median
    rows = [
        ("first map, server holds the scan (median of 3)", med(result["first_map_s"]), "≤ 3 s"),
        ("first map, first page after the server started", result["first_map_cold_s"], ""),
        ("threshold change to redrawn map (median of 5)", med(result["threshold_s"]), "≤ 1 s"),
        (f"click to the site's criteria under the map (median of {len(result['click_s'])})",
         med(result["click_s"]) if result["click_s"] else float("nan"), "≤ 0,5 s"),
        *[(f"another {'gemeente' if '=' not in name else 'area'} chosen ({name}) to its map "
           "drawn", seconds, "≤ 1 s")
          for name, seconds in zip(result.get("narrow", []), result.get("narrow_s", []),
                                   strict=True)],
    ]
    chosen = (f"gemeente {result['gemeente']} selected" if result.get("gemeente")
              else "whole region selected")
    lines = [
        "# The app in a real browser",
        "",
        "Generated by `benchmarks/app_browser.py`; do not edit by hand.",
        "",
        f"- region: `{region.name}`, {result['candidates']:,} candidates on the map, {chosen}",
        f"- machine: {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; Chromium with WebGL in software (SwiftShader)",
        f"- run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "| step | seconds | target |",
        "|---|---:|---|",
        *[f"| {name} | {value:.2f} | {target} |" for name, value, target in rows],
        "",
        "All runs (s): first map " + ", ".join(f"{v:.2f}" for v in result["first_map_s"])
        + "; threshold " + ", ".join(f"{v:.2f}" for v in result["threshold_s"])
        + "; click " + ", ".join(f"{v:.2f}" for v in result["click_s"])
        + f" ({result.get('click_missed', 0)} clicks chose nothing within 30 s).",
        "",
        "| browser memory | MiB | target |",
        "|---|---:|---|",
        f"| JavaScript heap of the page | {result['js_heap_mib']:.0f} | |",
        f"| renderer processes (RSS) | {result['renderer_rss_mib']:.0f} | ≤ 1024 |",
        f"| GPU process (RSS, software WebGL) | {result['gpu_rss_mib']:.0f} | |",
        "",
        f"![map]({Path(shots).name}-kaart.png)",
        "",
        f"![after a click]({Path(shots).name}-klik.png)",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=400_000)
    parser.add_argument("--region", help="a region folder instead of a demo")
    parser.add_argument("--out", default=str(HERE / "APP.md"))
    parser.add_argument("--gemeente", help="open the app with this gemeente chosen")
    parser.add_argument("--narrow", default="",  # Zevenaar,Provincie=Utrecht
                        help="gemeenten (comma-separated) to choose one after another; "
                             "KIND=NAME chooses an area (Arbeidsmarktregio=Zuid-Limburg)")
    args = parser.parse_args(argv)
    region = _region(args)
    out = Path(args.out)
    shots = str(out.parent / out.stem.lower())
    narrow = [n for n in args.narrow.split(",") if n]
    result = measure(region, Path(shots), args.gemeente, narrow)
    out.write_text(report(result, region, shots), encoding="utf-8")
    (out.with_suffix(".json")).write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(out.read_text())


if __name__ == "__main__":
    main()
