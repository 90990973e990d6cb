"""The app page "Gewichten (AHP)": pairwise comparisons per party to weights, saved as a set."""

from __future__ import annotations

import itertools

import pandas as pd
import streamlit as st

from locscan import ahp, criteria
from locscan.criteria import Criteria
from locscan.errors import LocscanError
from ui.text import distinct, plain


def page(base: Criteria, user: str) -> None:
    """Compare the soft criteria in pairs, per party; show weights, consistency; save."""
    st.subheader("Gewichten uit paarsgewijze vergelijkingen (AHP)")
    st.caption("Geef per paar aan hoeveel belangrijker het eerste criterium is dan het tweede, "
               "op de schaal van Saaty: 1 even belangrijk, 3 iets, 5 duidelijk, 7 veel, 9 "
               "extreem belangrijker; 1/3, 1/5 … als het tweede belangrijker is. De "
               "consistentieratio (CR) moet onder 0,10 blijven.")
    labels = distinct({c.id: c.label for c in base.soft})   # a label two criteria share
    chosen = st.multiselect("Criteria", list(labels), default=list(labels),
                            format_func=lambda cid: labels[cid])
    parties_text = st.text_input("Partijen (gescheiden door komma's)", "werkgroep")
    parties = [p.strip() for p in parties_text.split(",") if p.strip()]
    if len(chosen) < 2 or not parties:
        st.info("Kies minstens twee criteria en één partij.")
        return
    pairs = list(itertools.combinations(chosen, 2))
    grid = pd.DataFrame({"eerste": [labels[a] for a, _ in pairs],
                         "tweede": [labels[b] for _, b in pairs],
                         **{p: ["1"] * len(pairs) for p in parties}})
    edited = st.data_editor(grid, disabled=["eerste", "tweede"], hide_index=True,
                            key=f"ahp:{base.name}:{','.join(chosen)}:{','.join(parties)}")
    try:
        judgements = ahp.Judgements.model_validate({
            "criteria": chosen,
            "parties": {p: [[a, b, edited.at[i, p]] for i, (a, b) in enumerate(pairs)]
                        for p in parties}})
        result = ahp.weigh(judgements)
    except (ValueError, LocscanError) as exc:
        st.error(f"De vergelijkingen kloppen niet: {plain(exc)}")
        return
    table = result.parties.rename(columns=labels)
    table["oordeel"] = table["consistent"].map({True: "consistent", False: "niet consistent"})
    st.dataframe(table.drop(columns="consistent").style.format(
        {labels[c]: "{:.1%}" for c in chosen} | {"CR": "{:.3f}"}), width="stretch")
    if not result.parties["consistent"].all():
        st.warning("Niet alle oordelen zijn consistent (CR ≥ 0,10): laat die partij ze herzien.")
    name = st.text_input("Naam nieuwe criteriaset", key="ahp_name")
    if st.button("Opslaan als nieuwe criteriaset met deze gewichten", disabled=not user.strip()):
        try:
            path = criteria.save_as_new(ahp.apply(base, result), "criteria", name=name,
                                        author=user, base=base)
            st.success(f"Opgeslagen als {plain(path)}")
        except LocscanError as exc:
            st.error(plain(exc))
