"""The app page "Opgave & capaciteit": task against capacity, gaps, a plan and a suggestion."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from locscan import capacity, maps, nl, settings
from locscan.criteria import Criteria
from locscan.errors import LocscanError
from locscan.nl import tables
from locscan.region import RegionMeta
from locscan.scan import Scan
from locscan.shortlist import Shortlist
from ui.text import narrower, plain

__all__ = ["page"]


def _plan_norms(plan: capacity.Plan, meta: RegionMeta) -> None:
    """A plan's split per work gemeente against the region's norm, and what it left out."""
    a = plan.assumptions
    norms = (a.min_share_own_gemeente, a.max_share_elsewhere_in_subregio, a.max_share_elsewhere)
    names = {m.code: m.name for m in meta.municipalities}
    st.dataframe(tables.plan_by_gemeente(plan.by_gemeente, names, norms), hide_index=True,
                 width="stretch")
    if not plan.meets_norms:
        binding = plan.by_gemeente.index[plan.by_gemeente["binding"] != ""]
        st.warning(f"De norm (minstens {norms[0]:.0%} in de eigen gemeente) is met deze "
                   "locaties en aannames niet haalbaar in "
                   + plain(", ".join(names.get(c, c) for c in binding))
                   + ". Dit is de best haalbare verdeling.")
    if plan.left_out is not None and len(plan.left_out):
        counts = plan.left_out.map(nl.LEFT_OUT).value_counts()
        st.caption("Niet gebruikt: " + ", ".join(f"{n} locaties ({why})"
                                                 for why, n in counts.items()))


def page(scan: Scan, crit: Criteria, store: Shortlist, short: pd.DataFrame, user: str,
         subregio: str | None, focus: list[str], context: dict) -> None:
    """
    Task against capacity, gaps, where workers would live, and a suggested shortlist.

    For the gemeenten `focus` (the sidebar's choice), of the whole region unless the scan is
    in parts: a province or the country is weighed for the chosen gemeenten only.
    """
    region = scan.region
    chosen_gemeenten = tuple(focus) if scan.in_parts else None
    if scan.too_wide(focus):
        st.info("Deze regio is te groot om in één keer door te rekenen. Kies links "
                f"{narrower(region.meta.area_kinds)}.")
        return
    try:
        analysis = scan.analysis(crit, short, gemeenten=chosen_gemeenten)
    except LocscanError as exc:
        st.error(f"Opgave en capaciteit zijn niet te berekenen: {plain(exc)}")
        return
    a = analysis.assumptions
    st.subheader("Opgave en capaciteit per subregio")
    cov = nl.dutch(analysis.coverage_subregio.drop(columns="workers_2020"), nl.COVERAGE_COLUMNS)
    if cov.empty:  # a scan in parts, narrowed to part of a subregio
        st.caption("Alleen voor subregio's die helemaal gekozen zijn; zie per gemeente.")
    else:
        st.bar_chart(cov, stack=False, height=300)
        st.dataframe(cov.round(0), width="stretch")
    for name, task in region.meta.subregios.items():
        if task.note:
            st.info(f"{plain(name)}: {plain(task.note)}"
                    + (f" (bron: {plain(task.source)})" if task.source else ""))
    st.subheader("Per gemeente")
    gem = analysis.coverage_gemeente
    gem = gem[gem.index.isin(focus)]
    gem = nl.dutch(gem.set_index("gemeente"), nl.COVERAGE_COLUMNS)
    st.bar_chart(gem, stack=False, height=300)
    st.dataframe(gem.round(0), width="stretch")
    with st.expander("Aannames (uit de criteriaset en region.yaml)"):
        st.table(tables.assumptions_table(a))
    differs = analysis.task_check[analysis.task_check["differs"]]
    if len(differs):
        st.warning("De opgave uit de taaktabel en de werknemers van de werklocaties verschillen "
                   "meer dan 10% in " + plain(", ".join(differs.index)) + ": "
                   + "; ".join(f"{plain(k)} {r.task_2020:.0f} tegenover {r.work_sites:.0f}"
                               for k, r in differs.iterrows())
                   + ". Stem de cijfers af voordat u ze gebruikt.")

    demand, _ = analysis.for_subregio(subregio)
    gaps = demand[demand["capacity_in_reach"] == 0]
    st.subheader("Witte vlekken")
    st.write(f"{len(gaps)} van {len(demand)} werklocaties hebben geen capaciteit binnen "
             f"{a.reach_m / 1000:g} km ({gaps['demand'].sum():.0f} tijdelijke werknemers).")
    which = "shortlist" if len(analysis.shortlist_sites) else "longlist"
    plan = scan.assign(crit, subregio=subregio, shortlist=short, gemeenten=chosen_gemeenten)
    st.subheader(f"Waar de werknemers zouden wonen (toewijzing aan de {which})")
    st.caption(f"Kortste totale afstand binnen {a.reach_m / 1000:g} km; tekort "
               f"{plan.total_shortage:.0f} werknemers; {tables.solver_status(plan.status)}.")
    st.dataframe(plan.split.style.format({"aandeel": "{:.0%}"}), width="stretch")
    _plan_norms(plan, region.meta)
    base = maps.base_map(context, region.meta, focus_codes=focus, tiles=settings.tiles,
                         margin_m=a.reach_m)
    st_folium(base, key="gaps", height=450, use_container_width=True,
              feature_group_to_add=[maps.gap_layer(demand)], returned_objects=[])

    st.subheader("Suggestie voor de shortlist")
    if subregio is None:
        st.info("Kies links een subregio om een suggestie te berekenen.")
        return
    c1, c2 = st.columns(2)
    spacing = c1.number_input("Minimale afstand tussen locaties (m)", 0.0,
                              value=float(a.min_spacing_m), step=100.0)
    per_gemeente = c2.number_input("Maximaal aantal locaties per gemeente (0 = geen)", 0,
                                   value=int(a.max_sites_per_gemeente or 0))
    if st.button("Bereken suggestie"):
        with st.spinner("De solver zoekt de beste combinatie…"):
            st.session_state["suggestion"] = ((subregio, chosen_gemeenten), scan.suggest(
                crit, subregio=subregio, min_spacing_m=spacing,
                max_sites_per_gemeente=int(per_gemeente), gemeenten=chosen_gemeenten))
    stored = st.session_state.get("suggestion")
    if not stored or stored[0] != (subregio, chosen_gemeenten):
        return
    suggestion = stored[1]
    total = demand["demand"].sum()
    st.write(f"{len(suggestion.sites)} locaties met samen "
             f"{suggestion.sites['planned'].sum():.0f} plaatsen voor {total:.0f} tijdelijke "
             f"werknemers ({suggestion.seconds:.1f} s, "
             f"{tables.solver_status(suggestion.status)}).")
    if suggestion.total_shortage > 0.5:
        st.error(f"Tekort: {suggestion.total_shortage:.0f} werknemers zonder plek binnen bereik.")
    st.dataframe(nl.dutch(suggestion.sites[list(nl.SITE_COLUMNS)], nl.SITE_COLUMNS),
                 width="stretch")
    _plan_norms(suggestion, region.meta)
    if st.button("Neem de suggestie over in de shortlist", disabled=not user.strip()):
        accepted = scan.accept(suggestion, store, user=user, crit=crit)
        st.success(f"{accepted} locaties op de shortlist gezet.")
