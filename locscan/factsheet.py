"""A factsheet per site for bestuurders: one page, as PDF (fpdf2) or HTML, in Dutch.

A page holds the site and its surroundings as a map drawn from the region's own layers (SVG, no
internet, no tiles), every criterion with value, norm and outcome, the score's build-up, the
capacity with its assumptions, the working group's status, note and history, and the
provenance (criteria name, version and hash, data sources and dates, software, time).
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locscan import atomic
from locscan.criteria import Criteria
from locscan.errors import ExportError, LocscanError
from locscan.nl import format_number
from locscan.scan import Scan
from locscan.shortlist import Shortlist

__all__ = ["Facts", "facts", "map_svg", "to_bytes", "to_html", "write"]

#: how the map draws each context role: fill, stroke, stroke width (pixels), opacity
_STYLE = {
    "municipalities": ("none", "#555555", 1.5, 1.0),
    "cores": ("#d9d9d9", "#999999", 0.5, 0.8),
    "exclusions": ("#a6d96a", "#1a9641", 0.5, 0.6),
    "parcels": ("none", "#bbbbbb", 0.4, 1.0),
    "parking": ("#4393c3", "#2166ac", 0.5, 0.9),
    "work_sites": ("#2166ac", "#053061", 0.8, 1.0),
}
_SIZE = 600  # pixels of the map's longer side
#: how far around the site its map reaches, in metres
MARGIN_M = 750.0


@dataclass
class Facts:
    """Everything on one site's factsheet, as Dutch text."""

    site: str
    title: str
    heading: list[tuple[str, str]]
    criteria: pd.DataFrame
    capacity: list[tuple[str, str]]
    shortlist: list[tuple[str, str]]
    history: pd.DataFrame
    provenance: list[tuple[str, str]]
    map_svg: str
    notes: list[str] = field(default_factory=list)


def map_svg(site: shapely.Geometry, layers: dict[str, gpd.GeoDataFrame],
            margin_m: float = MARGIN_M) -> str:
    """
    The site and its surroundings as an SVG map in RD New (north up), drawn from `layers`.

    Examples
    --------
    >>> svg = map_svg(shapely.box(0, 0, 100, 100), {})
    >>> svg.startswith("<svg") and 'class="site"' in svg
    True
    """
    x0, y0, x1, y1 = shapely.buffer(site, margin_m).bounds
    width, height = x1 - x0, y1 - y0
    scale = _SIZE / max(width, height)  # pixels per metre
    px = 1 / scale  # metres per pixel
    frame = shapely.box(x0, y0, x1, y1)
    parts = []
    for role, (fill, stroke, line, opacity) in _STYLE.items():
        gdf = layers.get(role)
        if gdf is None or gdf.empty:
            continue
        hits = np.sort(gdf.sindex.query(frame, predicate="intersects"))[:3000]
        near = gdf.geometry.to_numpy()[hits]
        if not len(near):
            continue
        if role in ("work_sites", "parking"):
            near = shapely.buffer(shapely.point_on_surface(near), (6 if role == "work_sites"
                                                                   else 3) * px)
        if role == "municipalities":
            near = shapely.boundary(near)
        body = shapely.GeometryCollection(list(near)).svg(scale_factor=line * px)
        parts.append(f'<g class="{role}" fill="{fill}" stroke="{stroke}" opacity="{opacity}">'
                     f'{_restyle(body)}</g>')
    parts.append(f'<g class="site" fill="#d7191c" fill-opacity="0.25" stroke="#d7191c">'
                 f'{_restyle(shapely.GeometryCollection([site]).svg(scale_factor=3 * px))}</g>')
    bar = 250 if width > 1000 else 100
    parts.append(f'<g class="scale"><rect x="{x0 + 20 * px}" y="{y0 + 20 * px}" '
                 f'width="{bar}" height="{4 * px}" fill="#000"/></g>')
    w, h = width * scale, height * scale
    label = (f'<text x="20" y="{h - 28:.0f}" font-size="11" font-family="sans-serif">'
             f"{bar} m</text>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
            f'viewBox="0 0 {w:.0f} {h:.0f}"><rect width="100%" height="100%" fill="#ffffff"/>'
            f'<g transform="scale({scale}) translate({-x0},{y1}) scale(1,-1)">'
            + "".join(parts) + "</g>" + label + "</svg>")


def _restyle(body: str) -> str:
    """Drop shapely's own colours, so the group's fill and stroke apply."""
    for attr in ("fill", "stroke", "opacity"):
        body = _strip_attr(body, attr)
    return body


def _strip_attr(body: str, attr: str) -> str:
    out, start = [], 0
    key = f' {attr}="'
    while (i := body.find(key, start)) >= 0:
        out.append(body[start:i])
        start = body.find('"', i + len(key)) + 1
    out.append(body[start:])
    return "".join(out)


def facts(scan: Scan, site: str, crit: Criteria | None = None,
          store: Shortlist | None = None) -> Facts:
    """
    Gather one site's factsheet.

    Raises
    ------
    LocscanError
        When the site is not a candidate of the region (the message shows similar ids).
    """
    crit = crit or scan.criteria
    why = scan.explain(site, crit)
    result = scan.evaluate(crit)
    row = scan.candidates.loc[site]
    status = str(result.status[site])
    score = format_number(float(result.evaluation.at[site, "score"]))
    counts = bool(result.on_longlist[site])
    heading = [("Gemeente", str(row["gemeente"])), ("Subregio", str(row["subregio"])),
               ("Status", status),
               ("Score", score + ("" if counts else " (telt niet: de locatie valt af)")),
               ("Rang", str(result.rank[site]) if result.rank[site] else "–"),
               ("Oppervlakte", f"{format_number(float(row['area_m2']))} m²")]
    table = why[["criterium", "soort", "meting", "norm", "uitkomst", "toelichting"]]
    capacity = _capacity(scan, crit, site, store)
    shortlist, history = _shortlist(store, site)
    provenance = [(k.replace("_", " "), v) for k, v in scan.provenance(crit).items()]
    shape = scan.shapes.of([site]).iloc[0]
    layers = scan.context()
    # the candidates around it only: a scan in parts reads the parts near the site
    layers["parcels"] = scan.shapes.within(shapely.buffer(shape, MARGIN_M).bounds)
    notes = [] if not scan.meta.demo else ["DEMO – fictieve gegevens, geen echte locaties"]
    return Facts(site=site, title=f"Locatie {site}", heading=heading, criteria=table,
                 capacity=capacity, shortlist=shortlist, history=history,
                 provenance=provenance, map_svg=map_svg(shape, layers), notes=notes)


def _capacity(scan: Scan, crit: Criteria, site: str, store: Shortlist | None
              ) -> list[tuple[str, str]]:
    try:
        items = store.items() if store is not None else ()
        analysis = scan.analysis(crit, items)
    except LocscanError as exc:
        return [("Capaciteit", f"niet te berekenen: {exc}")]
    a = analysis.assumptions
    sites = analysis.shortlist_sites if site in analysis.shortlist_sites.index else (
        analysis.longlist_sites)
    if site not in sites.index:
        return [("Capaciteit", "geen: de locatie staat niet op de longlist")]
    s = sites.loc[site]
    source = ("geschat door de werkgroep" if s.get("capacity_source") == "working group"
              else f"Roemernorm: oppervlakte × {format_number(a.built_share)} bebouwd × "
                   f"{format_number(a.storeys)} bouwlagen / {format_number(a.m2_per_worker)} "
                   f"m² per werknemer, max. {a.max_per_location}")
    return [("Capaciteit", f"{int(s['capacity'])} werknemers ({source})"),
            ("Beheerder 24/7", "ja" if s["needs_manager"] else "nee"),
            ("Parkeren", f"{s['parking']} (nodig: {format_number(s['parking_needed'])} "
                         f"plaatsen, {format_number(a.parking_per_resident)} per bewoner)")]


def _shortlist(store: Shortlist | None, site: str) -> tuple[list[tuple[str, str]],
                                                             pd.DataFrame]:
    empty = pd.DataFrame(columns=["versie", "actie", "door", "op"])
    row = store.get(site) if store is not None else None
    if row is None:
        return [("Shortlist", "staat niet op de shortlist")], empty
    capacity = row["capacity"]
    out = [("Shortlist", "ja" if row["active"] else "eraf gehaald"),
           ("Status werkgroep", row["status"]), ("Notitie", row["note"] or "–"),
           ("Capaciteit (werkgroep)", "onbekend" if capacity is None else str(capacity)),
           ("Laatst gewijzigd", f"{row['updated_by']}, {row['updated_at']:%d-%m-%Y %H:%M}")]
    hist = store.history(site)
    history = pd.DataFrame({"versie": hist["version"], "actie": hist["action"],
                            "door": hist["changed_by"],
                            "op": pd.to_datetime(hist["changed_at"]).dt.strftime(
                                "%d-%m-%Y %H:%M")})
    return out, history


# --- HTML -------------------------------------------------------------------------------------

_CSS = ("body{font-family:sans-serif;font-size:12px;max-width:900px;margin:auto}"
        "table{border-collapse:collapse;width:100%;margin:6px 0}"
        "td,th{border:1px solid #ccc;padding:3px 5px;text-align:left;vertical-align:top}"
        "th{background:#eee}.note{color:#b2182b;font-weight:bold}"
        "section{page-break-after:always;margin-bottom:30px}")


def _pairs_html(rows: list[tuple[str, str]]) -> str:
    return "<table>" + "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td>"
                               "</tr>" for k, v in rows) + "</table>"


def _table_html(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><tr>{head}</tr>{body}</table>"


def to_html(sheets: list[Facts]) -> str:
    """The factsheets as one self-contained HTML page (no scripts, no outside links)."""
    parts = []
    for f in sheets:
        parts.append(
            "<section>" + "".join(f'<p class="note">{html.escape(n)}</p>' for n in f.notes)
            + f"<h1>{html.escape(f.title)}</h1>" + _pairs_html(f.heading) + f.map_svg
            + "<h2>Criteria</h2>" + _table_html(f.criteria)
            + "<h2>Capaciteit</h2>" + _pairs_html(f.capacity)
            + "<h2>Shortlist</h2>" + _pairs_html(f.shortlist)
            + (_table_html(f.history) if len(f.history) else "")
            + "<h2>Herkomst</h2>" + _pairs_html(f.provenance) + "</section>")
    return (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Factsheet'
            f"</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>")


# --- PDF --------------------------------------------------------------------------------------

_FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
          "/usr/share/fonts/TTF/DejaVuSans.ttf"]


def _pdf(sheets: list[Facts]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    font = next((f for f in _FONTS if os.path.exists(f)), None)
    if font:
        pdf.add_font("body", "", font)
        pdf.add_font("body", "B", font.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
                     if os.path.exists(font.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
                     else font)
        family = "body"
    else:
        family = "helvetica"

    def text(value: object) -> str:  # the core font has Latin-1 only
        s = str(value)
        if font:
            return s
        for a, b in (("≤", "<="), ("≥", ">="), ("≠", "!="), ("–", "-"), ("—", "-"),
                     ("’", "'"), ("²", "2"), ("…", "...")):
            s = s.replace(a, b)
        return s.encode("latin-1", "replace").decode("latin-1")

    for f in sheets:
        pdf.add_page()
        pdf.set_font(family, "B", 13)
        for note in f.notes:
            pdf.set_text_color(178, 24, 43)
            pdf.cell(0, 6, text(note), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
        pdf.cell(0, 7, text(f.title), new_x="LMARGIN", new_y="NEXT")
        top = pdf.get_y()
        svg = Path(_tmp_svg(f.map_svg))
        try:  # the map to the right of the heading
            pdf.image(str(svg), x=pdf.w - pdf.r_margin - 78, y=top, w=78)
        finally:
            svg.unlink(missing_ok=True)
        pdf.set_font(family, "", 7)
        _pdf_pairs(pdf, f.heading + f.capacity, text, width=(26, 80))
        pdf.set_y(max(pdf.get_y(), top + 80) + 2)
        _pdf_heading(pdf, family, "Criteria", 6)
        _pdf_table(pdf, f.criteria, text, (26, 9, 20, 30, 20, 81))
        _pdf_heading(pdf, family, "Shortlist", 6)
        _pdf_pairs(pdf, f.shortlist, text)
        if len(f.history):
            _pdf_table(pdf, f.history, text)
        _pdf_heading(pdf, family, "Herkomst", 5)
        _pdf_pairs(pdf, f.provenance, text)
    return bytes(pdf.output())


def _pdf_heading(pdf, family: str, title: str, body_size: float) -> None:
    """A section title, then the font of the section's body."""
    pdf.set_font(family, "B", 9)
    pdf.cell(0, 5, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", body_size)


def _pdf_table(pdf, frame: pd.DataFrame, text, widths: tuple | None = None) -> None:
    """A table with its column names as the header row."""
    with pdf.table(col_widths=widths, line_height=3) as table:
        table.row([text(c) for c in frame.columns])
        for r in frame.itertuples(index=False):
            table.row([text(v) for v in r])


def _pdf_pairs(pdf, rows: list[tuple[str, str]], text, width: tuple = (30, 156)) -> None:
    with pdf.table(col_widths=width, width=sum(width), align="LEFT",
                   first_row_as_headings=False, line_height=3) as table:
        for k, v in rows:
            table.row([text(k), text(v)])


def _tmp_svg(svg: str) -> str:
    import tempfile

    fd, path = tempfile.mkstemp(suffix=".svg")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(svg)
    return path


def to_bytes(sheets: list[Facts], suffix: str = ".pdf") -> bytes:
    """The factsheets as the bytes of a ``.pdf`` or ``.html`` file (for a download button)."""
    return _pdf(sheets) if suffix == ".pdf" else to_html(sheets).encode("utf-8")


def write(sheets: list[Facts], path: str | os.PathLike) -> Path:
    """
    Write factsheets to a ``.pdf`` (one page per site) or ``.html`` file, atomically.

    Raises
    ------
    ExportError
        For another suffix or a place that cannot be written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".html"):
        raise ExportError(f"output {path}: a factsheet is .pdf or .html, not {suffix!r}")
    if not path.parent.is_dir():
        raise ExportError(f"output {path}: folder {path.parent} does not exist")
    data = to_bytes(sheets, suffix)
    try:
        with atomic.replacing(path) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise ExportError(f"output {path}: cannot be written ({exc.strerror})") from exc
    return path
