"""The capacity questions of a :class:`locscan.scan.Scan`: task against capacity, and plans.

A part of the Scan (a base class of it), kept apart because the scan grew past what one file
should hold: the assumptions of a criteria set filled in from the region's norms, the analysis
of task and capacity, where the workers would live, a suggested set of sites, and accepting a
plan into the shortlist. Every method works on what the Scan gives it: ``evaluate``,
``with_shapes``, ``layer_name``, ``reach_m``, the region and its memos.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import pandas as pd

from locscan import capacity, criteria
from locscan.candidates import municipality_of
from locscan.criteria import Criteria
from locscan.errors import ConflictError, CriteriaError
from locscan.ids import member
from locscan.memo import Memo
from locscan.region import RegionMeta
from locscan.shortlist import Shortlist

__all__ = ["CapacityQuestions"]


class CapacityQuestions:
    """Capacity and plans of a scan; see :class:`locscan.scan.Scan`, which is one."""

    _analyses: Memo
    _plans: Memo

    def assumptions(self, crit: Criteria | None = None) -> capacity.Assumptions:
        """The capacity assumptions of the criteria, filled in from the region's norms."""
        crit = crit or self.criteria
        try:
            return capacity.assumptions_of(crit.capacity, self.meta, self.reach_m(crit))
        except CriteriaError as exc:
            raise CriteriaError(f"criteria {crit.name!r}: {exc}") from exc

    def _work_sites(self) -> tuple[gpd.GeoDataFrame, pd.Series]:
        work = self.region.layer(self.layer_name(
            "work_sites", needed_for="capacity and the task"))
        muni = self.region.layer(self.layer_name(
            "municipalities", needed_for="the gemeente of each work site"))
        return work, municipality_of(work.geometry, muni)

    def analysis(self, crit: Criteria | None = None,
                 shortlist: Iterable[str] | pd.DataFrame = (), *,
                 gemeenten: Iterable[str] | None = None) -> capacity.Analysis:
        """
        Task against capacity, the work sites' demand and gaps, for one criteria variant.

        `shortlist` is the working group's shortlist (:meth:`Shortlist.items`, whose typed
        capacity replaces the computed one) or just its candidate ids. With `gemeenten` (CBS
        codes: a province of a national scan, say) only their work sites, and the sites within
        reach of them: the sites of the gemeenten whose boundary lies within the reach; the
        task per subregio then holds only the subregios wholly among `gemeenten`.

        Raises
        ------
        LocscanError
            When the region has no work sites or municipalities, or the criteria's capacity
            assumptions are wrong.
        """
        crit = crit or self.criteria
        typed = None
        if isinstance(shortlist, pd.DataFrame):
            typed = shortlist.get("capacity")
            ids = tuple(shortlist.index)
        else:
            ids = tuple(shortlist)
        typed_key = tuple(typed.dropna().items()) if typed is not None else ()
        chosen = None if gemeenten is None else tuple(sorted(set(gemeenten)))

        def make() -> capacity.Analysis:
            result = self.evaluate(crit)
            work, gemeente = self._work_sites()
            assumptions = self.assumptions(crit)
            reach_by = criteria.reach_by_gemeente(crit, self.meta)
            # only the sites it uses need their shapes (a scan in parts reads only those)
            used = result.on_longlist.to_numpy() | member(result.candidates.index, ids)
            if chosen is not None:
                inside = gemeente.isin(chosen).to_numpy()
                work, gemeente = work[inside], gemeente[inside]
                near = self._gemeenten_within(chosen, max([assumptions.reach_m,
                                                           *reach_by.values()]))
                used &= result.candidates["gemeente_code"].isin(near).to_numpy()
            out = capacity.analyse(
                self.meta, self.with_shapes(result.candidates[used]), result.measures[used],
                result.on_longlist[used], work, gemeente, assumptions, ids,
                typed_capacity=typed, reach_by_gemeente=reach_by)
            return out if chosen is None else _whole_subregios(out, self.meta, chosen)

        return self._analyses.get((crit.digest(), ids, typed_key, chosen), make)

    def _gemeenten_within(self, codes: Iterable[str], distance: float) -> list[str]:
        """The CBS codes of the gemeenten within `distance` (m) of the gemeenten `codes`."""
        muni = self.region.layer(self.layer_name(
            "municipalities", needed_for="the gemeenten within reach"))
        chosen = muni[muni["code"].isin(list(codes))]
        near = muni.sindex.query(chosen.geometry.to_numpy(), predicate="dwithin",
                                 distance=distance)[1]
        return sorted(set(muni["code"].iloc[near]) | set(codes))

    def assign(self, crit: Criteria | None = None, *, subregio: str | None = None,
               shortlist: Iterable[str] | pd.DataFrame = (),
               gemeenten: Iterable[str] | None = None) -> capacity.Plan:
        """
        Where the workers would live: the work sites' demand assigned at the least distance.

        The demand is that of `subregio` (all when ``None``), of the work sites in `gemeenten`
        when given (see :meth:`analysis`). Assigned to the sites of the shortlist when it holds
        any, else to the subregio's longlist; sites whose parking is not shown to suffice are
        left out (the plan's ``left_out`` says which).
        """
        crit = crit or self.criteria
        analysis = self.analysis(crit, shortlist, gemeenten=gemeenten)
        demand, sites = analysis.for_subregio(subregio)
        if len(analysis.shortlist_sites):
            sites = analysis.shortlist_sites
        usable, left_out = capacity.plannable(sites, analysis.assumptions)
        plan = capacity.assign(demand, usable, analysis.assumptions)
        return dataclasses.replace(plan, left_out=left_out)

    def suggest(self, crit: Criteria | None = None, *, subregio: str,
                min_spacing_m: float | None = None, max_sites_per_gemeente: int | None = None,
                time_limit: float = 120, gemeenten: Iterable[str] | None = None
                ) -> capacity.Plan:
        """
        A suggested set of longlist sites that covers the subregio's temporary task.

        `min_spacing_m` and `max_sites_per_gemeente` replace the criteria's assumptions when
        given (0 for the gemeente limit means no limit); with `gemeenten` the task of their
        work sites only (see :meth:`analysis`). Memoised by its inputs.
        """
        crit = crit or self.criteria
        sub, _ = self.selection(subregio)
        chosen = None if gemeenten is None else tuple(sorted(set(gemeenten)))
        analysis = self.analysis(crit, gemeenten=chosen)
        changes: dict[str, Any] = {}
        if min_spacing_m is not None:
            changes["min_spacing_m"] = float(min_spacing_m)
        if max_sites_per_gemeente is not None:
            changes["max_sites_per_gemeente"] = max_sites_per_gemeente or None
        assumed = analysis.assumptions.model_copy(update=changes)
        demand, sites = analysis.for_subregio(sub)
        usable, left_out = capacity.plannable(sites, assumed)
        key = (crit.digest(), sub, assumed.model_dump_json(), time_limit, chosen)
        return self._plans.get(key, lambda: dataclasses.replace(
            capacity.suggest(demand, usable, assumed, time_limit=time_limit), left_out=left_out))

    def accept(self, plan: capacity.Plan, store: Shortlist, *, user: str,
               crit: Criteria | None = None) -> int:
        """
        Put the sites of a plan on the shortlist, with their planned number of workers.

        Sites already on the shortlist keep what the working group wrote (a colleague who put
        one there at the same moment wins too). Returns how many sites were put on it.
        """
        crit = crit or self.criteria
        score = self.evaluate(crit).evaluation["score"]
        added = 0
        for site, row in plan.sites.iterrows():  # a handful of chosen sites, one row each
            try:
                store.add(site, user=user, subregio=row["subregio"], gemeente=row["gemeente"],
                          capacity=int(row["planned"]), criteria=f"{crit.name} suggestie",
                          score=float(score[site]))
            except ConflictError:
                continue
            added += 1
        return added


def _whole_subregios(analysis: capacity.Analysis, meta: RegionMeta, codes: Iterable[str]
                     ) -> capacity.Analysis:
    """
    `analysis` with the task per subregio of the subregios wholly among `codes` only.

    The capacity of a subregio only partly chosen would be that of its chosen part against the
    task of all of it.
    """
    chosen = set(codes)
    whole = [name for name in meta.subregios
             if all(m.code in chosen for m in meta.municipalities if m.subregio == name)]
    return dataclasses.replace(
        analysis, coverage_subregio=analysis.coverage_subregio.loc[
            analysis.coverage_subregio.index.isin(whole)],
        task_check=analysis.task_check.loc[analysis.task_check.index.isin(whole)])

