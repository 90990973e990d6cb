"""The app's longlist: the WebGL map, the site clicked last, and the longlist a page at a time.

Everything here works on one :class:`View` (the scan, the criteria as tuned in the sidebar,
the chosen subregio or gemeente, the shortlist), which ``app.py`` builds once per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial

import pandas as pd
import streamlit as st

from locscan import export, factsheet, maps, nl, settings
from locscan.criteria import Criteria, Result
from locscan.errors import LocscanError
from locscan.region import Gemeenten
from locscan.scan import Scan
from locscan.shortlist import Shortlist
from ui import kaart_component, paging
from ui.text import narrower, plain


@dataclass(frozen=True)
class View:
    """
    What the longlist page shows: one scan under the criteria as tuned, for one selection.

    Attributes
    ----------
    scan, crit, result
        The scan, the criteria (with the sidebar's changes) and their evaluation.
    subregio, gemeente
        The selection (None: all; `gemeente` one or several, an area); `focus` holds the
        CBS codes of its gemeenten.
    store, short, user
        The shared shortlist, its items, and the user's name (empty when not filled in).
    """

    scan: Scan
    crit: Criteria
    result: Result
    subregio: str | None
    gemeente: Gemeenten | None
    focus: list[str]
    store: Shortlist
    short: pd.DataFrame
    user: str

    @cached_property
    def sites(self) -> pd.DataFrame:
        """
        The longlist of the selection (``Scan.longlist`` without shapes and texts).

        Made when a tab asks for it (the longlist, the export), not for the map: 0.25 s of
        every run at 400,000 candidates.
        """
        return self.scan.longlist(self.crit, subregio=self.subregio, gemeente=self.gemeente,
                                  shapes=False, texts=False)


# --- cached per region content (not per session) ---------------------------------------------

@st.cache_data(show_spinner=False, max_entries=64)
def _bounds(_scan: Scan, files_key: str, subregio: str | None, gemeente: Gemeenten | None
            ) -> list[float] | None:
    """Where the map zooms to for this subregio or gemeente (`files_key`: the candidates)."""
    codes = _scan.meta.codes(subregio, gemeente)
    if _scan.shapes.held:
        return maps.deck.bounds(_scan.candidates, _scan.candidates["gemeente_code"].isin(codes))
    gemeenten = _scan.context(["municipalities"]).get("municipalities")
    return None if gemeenten is None else maps.deck.bounds(gemeenten,
                                                           gemeenten["code"].isin(codes))


@st.cache_data(show_spinner=False, max_entries=16)
def _reach(_scan: Scan, context_key: str, reach_m: float) -> dict | None:
    """The zone within `reach_m` of the work sites (`context_key`: the context layers)."""
    return maps.deck.reach_geojson(_scan.context().get("work_sites"), reach_m)


# --- the map -----------------------------------------------------------------------------------

def map_tab(view: View) -> bool:
    """Every candidate of the region on a WebGL map; True when a new click picked a site."""
    scan, result = view.scan, view.result
    c1, c2 = st.columns(2)
    reach = c1.checkbox("Bereik rond werklocaties tonen", value=False)
    tiles = c2.checkbox("Achtergrondkaart (OpenStreetMap, online)", value=settings.tiles)
    reach_m = scan.reach_m(view.crit) if reach else None
    with st.spinner("Kaart van de regio voorbereiden…"):
        drawn = kaart_component.region_files(scan, view.focus)
    if drawn is None:
        st.info(f"De keuze telt meer dan {nl.format_number(kaart_component.MAP_LIMIT)} "
                "locaties; dat is te veel voor één kaart. Kies links "
                f"{narrower(scan.meta.area_kinds)}. "
                "De longlist en de export bevatten wel alle locaties.")
        return False
    files, rows, index = drawn.files, drawn.rows, drawn.ids
    # by position, not by id: a national scan's ids are millions of texts
    shown = scan.candidates["gemeente_code"].iloc[rows].isin(view.focus)
    score = result.evaluation["score"].iloc[rows]
    # the last click is in the session before the map is drawn again: read it first, so the
    # map rings the site just clicked
    value = st.session_state.get("kaart")
    clicked = maps.deck.clicked(value, index)
    new_click = bool(clicked and value.get("at") != st.session_state.get("clicked_at"))
    if new_click:
        st.session_state["clicked_at"] = value.get("at")
        st.session_state["site"] = clicked
    chosen = st.session_state.get("site")
    kaart_component.kaart(
        files,
        maps.deck.status_codes(result.status.iloc[rows], score, shown),
        maps.deck.scores(score), shortlist=kaart_component.positions(index, view.short.index),
        selected=(kaart_component.positions(index, [chosen]) or [None])[0] if chosen else None,
        bounds=_bounds(scan, files.key, view.subregio, view.gemeente),
        view_key=f"{files.key}|{view.subregio}|{view.gemeente}", tiles=tiles,
        reach=_reach(scan, files.context, reach_m) if reach_m else None,
        legend=maps.deck.legend(scan.context()),
        note="Locaties die afvallen (grijs) verschijnen bij inzoomen, de percelen op "
             "straatniveau.")
    st.caption("Klik op een locatie (ook een die afvalt): hieronder en in de tab 'Waarom "
               "(niet)?' staan dan alle criteria.")
    return new_click


@st.fragment
def map_fragment(view: View) -> None:
    """
    The map and, under it, why (not) for the site clicked last.

    A fragment: a click reruns only the map and this explanation, not the whole page.
    """
    new_click = map_tab(view)
    site = st.session_state.get("site", "").strip()
    if site in view.scan.candidates.index:
        with st.container(key="gekozen"):
            st.markdown(f"Gekozen locatie: **{plain(site)}**")
            explain(view, site, "kaart")
    if new_click:
        # the address keeps the choice (a reload or a shared link opens it); the rest of the
        # page does not change: 'Waarom (niet)?' runs when its tab opens, so the page is not
        # run again (that cost ~1 s of the browser's time after every click)
        st.query_params["locatie"] = site


# --- one site ----------------------------------------------------------------------------------

def factsheets(view: View, sites: list[str], suffix: str = ".pdf") -> bytes:
    """Factsheets of `sites` as the bytes of a PDF (one page per site) or HTML file."""
    facts = [factsheet.facts(view.scan, s, view.crit, view.store) for s in sites]
    return factsheet.to_bytes(facts, suffix)


def add_to_shortlist(view: View, site: str) -> None:
    """Put `site` on the shortlist in the user's name; a problem is one Dutch line."""
    try:
        view.scan.add_to_shortlist(view.store, site, user=view.user, crit=view.crit)
        st.toast(f"{plain(site)} staat op de shortlist")
    except LocscanError as exc:
        st.error(plain(exc))


def explain(view: View, site: str, where: str) -> None:
    """Status, score and every criterion of one site, its factsheet and 'op de shortlist'."""
    result, user = view.result, view.user
    try:
        why = view.scan.explain(site, view.crit)
    except LocscanError as exc:
        st.error(plain(exc))
        return
    st.markdown(f"**{plain(site)}**: {result.status[site]}, score "
                f"{nl.format_number(result.evaluation.at[site, 'score'])}"
                + (f", rang {result.rank[site]}" if result.rank[site] else "")
                + ("" if result.on_longlist[site] else " (telt niet: de locatie valt af)"))
    st.dataframe(why, width="stretch")
    st.download_button(
        "Factsheet (PDF)", file_name=f"factsheet-{site.replace(':', '-')}.pdf",
        data=partial(factsheets, view, [site]), mime="application/pdf",
        key=f"fs:{where}:{site}")
    if result.on_longlist[site] and site not in view.short.index and st.button(
        "Op de shortlist zetten", disabled=not user.strip(), key=f"add:{where}:{site}",
        help=None if user.strip() else "Vul eerst uw naam in.",
    ):
        add_to_shortlist(view, site)
        st.rerun()


# --- the table ---------------------------------------------------------------------------------

def _with_texts(view: View, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of one page with the rule and reasons, after the rank, as in the export."""
    texts = view.scan.texts(rows.index, view.crit, subregio=view.subregio,
                            gemeente=view.gemeente, everything=False)
    at = rows.columns.get_loc("rank_region" if "rank_region" in rows else "rank") + 1
    return pd.concat([rows.iloc[:, :at], texts, rows.iloc[:, at:]], axis=1)


def longlist_table(view: View) -> None:
    """The whole longlist, a page at a time: sort, filter, and a row picks the site."""
    sites = view.sites  # without the texts: they are made for the page shown
    listed = pd.DataFrame(sites.drop(columns=["geometry"], errors="ignore"))
    listed = listed.assign(area_m2=listed["area_m2"].round(0))
    columns = [*listed.columns, "rule", "reasons"]
    headers = dict(zip(columns, export.dutch_headers(columns, view.scan.labels(view.crit)),
                       strict=True))
    c1, c2, c3, c4 = st.columns([2, 1, 2, 1])
    st.session_state.setdefault("sort", "rank")   # kept while another tab is open (app.KEPT)
    sort = c1.selectbox("Sorteren op", list(listed.columns), format_func=headers.get, key="sort")
    descending = c2.toggle("Aflopend", key="descending")
    query = c3.text_input("Filteren op id, gemeente of naam", key="filter")
    rows = paging.matching(listed, sort=sort, descending=descending, query=query,
                           search=("gemeente", "name", "source_id"))
    pages = paging.page(rows).pages
    # no key: another filter (another number of pages) starts again at page 1
    number = c4.number_input(f"Pagina (van {pages})", min_value=1, max_value=pages, value=1)
    shown = paging.page(rows, number=number)
    st.caption(plain(
        f"Locaties {nl.format_number(shown.first)}–{nl.format_number(shown.last)} van "
        f"{nl.format_number(shown.total)}" + (f" (gefilterd uit {nl.format_number(len(listed))})"
                                              if shown.total != len(listed) else "")
        + "; alle locaties staan in de export."))
    st.dataframe(_with_texts(view, shown.rows).rename(columns=headers), width="stretch",
                 height=500,
                 on_select="rerun", selection_mode="single-row", key="longlist_table")
    picked = st.session_state.get("longlist_table", {}).get("selection", {}).get("rows", [])
    if picked and picked[0] < len(shown.rows):
        st.session_state["site"] = shown.rows.index[picked[0]]
