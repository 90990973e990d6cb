"""locscan web app (Streamlit): longlist per subregio, live thresholds and "waarom (niet)?".

UI only: every number shown comes from the library (``locscan.*``). Start with ``make run``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from locscan import criteria, demo, longlist, measures, settings
from locscan.errors import LocscanError
from locscan.region import open_region

st.set_page_config(page_title="locscan", layout="wide")


@st.cache_resource(show_spinner="Metingen laden of berekenen…")
def _scan(region_dir: str, criteria_file: str):
    region = open_region(region_dir)
    crit = criteria.load(criteria_file)
    cands, table = measures.compute_for_region(region, crit.used_measures())
    return region, crit, cands, table


def _regions() -> list[str]:
    found = sorted(str(p.parent) for p in Path("data").glob(f"*/{settings.catalogue_file}"))
    return found or [settings.default_region]


region_dir = st.sidebar.selectbox("Regio", _regions())
criteria_files = sorted(str(p) for p in Path("criteria").glob("*.yaml"))
criteria_file = st.sidebar.selectbox("Criteriaset", criteria_files)
try:
    region, crit, cands, table = _scan(region_dir, criteria_file)
except LocscanError as exc:
    st.error(f"De regio of criteriaset kan niet worden geladen: {exc}")
    st.stop()

if region.meta.demo:
    st.warning(demo.DEMO_LABEL)
st.title("Locatiescan huisvesting internationale werknemers")
st.caption(f"{region.meta.label} · criteria {crit.name} versie {crit.version}")

subregio = st.sidebar.selectbox("Subregio", ["(alle)", *region.meta.subregios])
subregio = None if subregio == "(alle)" else subregio

st.sidebar.subheader("Harde criteria")
for c in crit.hard:
    if isinstance(c.value, int | float) and c.op != "between":
        value = st.sidebar.number_input(f"{c.label} ({c.op} … {c.unit or ''})",
                                        value=float(c.value), key=f"v_{c.id}")
        crit = crit.with_value(c.id, value)

result = longlist.build(crit, cands, table, region.meta)
summary = longlist.summary(result, subregio=subregio)
areas = summary["areas"]
col1, col2, col3 = st.columns(3)
col1.metric("Kandidaten", int(areas["kandidaten"].sum()))
col2.metric("Op de longlist", int(areas["longlist"].sum()))
col3.metric("Te controleren", int(areas["te_controleren"].sum()))

st.subheader("Longlist")
top = longlist.table(result, subregio=subregio)
st.dataframe(top.drop(columns=top.geometry.name).head(200), width="stretch")

st.subheader("Per criterium")
st.dataframe(summary["criteria"], width="stretch")

st.subheader("Waarom (niet)?")
site = st.text_input("Kandidaat-id", value=top.index[0] if len(top) else "")
if site:
    try:
        st.dataframe(longlist.explain(result, site), width="stretch")
    except LocscanError as exc:
        st.error(str(exc))
