"""The app page "Scenario's vergelijken": criteria sets (and the unsaved variant) side by side."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from locscan import criteria, maps, nl, settings
from locscan.criteria import Criteria
from locscan.errors import LocscanError
from locscan.region import Gemeenten
from locscan.scan import Scan
from ui.text import narrower, plain

UNSAVED = "huidige aanpassingen (niet opgeslagen)"


def page(scan: Scan, current: Criteria, changed: bool, subregio: str | None,
         gemeente: Gemeenten | None, context: dict, focus: list[str]) -> None:
    """Pick two or more scenarios; show the longlist, capacity and the sites that change."""
    st.subheader("Scenario's vergelijken")
    files = {f"{p.stem}": p for p in sorted(Path("criteria").glob("*.yaml"))}
    options = ([UNSAVED] if changed else []) + list(files)
    default = options[:2] if len(options) >= 2 else options
    chosen = st.multiselect("Scenario's (het eerste is de referentie)", options, default=default)
    if len(chosen) < 2:
        st.info("Kies minstens twee scenario's.")
        return
    try:
        sets = {name: current if name == UNSAVED else criteria.load(files[name])
                for name in chosen}
        # a scan in parts maps the changes of a chosen part, not of the whole country
        mapped = not scan.too_wide(focus)
        result = scan.compare(sets, subregio=subregio, gemeente=gemeente, shapes=mapped)
    except LocscanError as exc:
        st.error(f"De scenario's zijn niet te vergelijken: {plain(exc)}")
        return
    st.write("Locaties op de longlist per subregio en gemeente")
    st.dataframe(result.areas, width="stretch")
    if not result.capacity.empty:
        st.write("Capaciteit van de longlist tegenover de opgave (tijdelijk, 2020)")
        shown = result.capacity.round(0).rename(
            columns=lambda c: c.replace("capacity_", "capaciteit ", 1))
        st.dataframe(nl.dutch(shown, nl.TASK_COLUMNS), width="stretch")
    counts = result.changes.groupby(["scenario", "change"]).size()
    if counts.empty:
        st.success("Geen verschil in de longlist.")
        return
    for (name, change), n in counts.items():
        st.write(f"{plain(name)}: {n} locaties {nl.CHANGES[change]} tegenover "
                 f"{plain(chosen[0])}")
    if mapped:
        base = maps.base_map(context, scan.meta, focus_codes=focus, tiles=settings.tiles,
                             margin_m=scan.reach_m(current) or 0.0)
        st_folium(base, key="compare_map", height=450, use_container_width=True,
                  feature_group_to_add=[maps.change_layer(result.changes)], returned_objects=[])
        table = result.changes.drop(columns=result.changes.geometry.name)
    else:
        st.caption(f"Kies links {narrower(scan.meta.area_kinds)} om de verschillen op de "
                   "kaart te zien.")
        table = result.changes
    st.dataframe(table.assign(change=table["change"].map(nl.CHANGE)).rename(
        columns={"scenario": "scenario", "change": "wijziging", "reasons": "toelichting"}),
        width="stretch")
