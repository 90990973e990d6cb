"""One scan: a region and a criteria set, with candidates, cached measures and results on demand.

:class:`Scan` is the one place where the steps of the data flow meet. It opens the region,
computes (or reads from the cache) the measures the criteria use, and then answers every
question the app and the command line ask: the evaluation of a criteria variant, the longlist
and its summary, "why (not)?", exports with provenance, capacity against the task, the
assignment of workers and the suggested plan, and accepting a plan into a shortlist. The
expensive part (geometry) is done once, when the scan is opened; everything else is pandas over
the measures table and is memoised by the criteria's digest, so a slider that goes back and
forth costs nothing.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from locscan import capacity, criteria, longlist, measures, settings
from locscan.compare import Comparison, compare
from locscan.criteria import Criteria
from locscan.errors import CriteriaError, LocscanError, RegionError
from locscan.ids import prepare_lookup, same_index
from locscan.maps import pieces
from locscan.measures import MeasureSpec
from locscan.measures.shapes import Shapes
from locscan.memo import Memo, sized
from locscan.nl import text
from locscan.region import Gemeenten, Region, open_region
from locscan.robustness import Robustness, robustness
from locscan.scan_capacity import CapacityQuestions
from locscan.scan_export import ScanExports
from locscan.scan_maps import ScanMaps
from locscan.shortlist import Shortlist

__all__ = ["CONTEXT_ROLES", "Scan"]

#: roles of the layers a map shows around the sites
CONTEXT_ROLES = ("municipalities", "cores", "business_parks", "exclusions", "work_sites")

class Scan(CapacityQuestions, ScanExports, ScanMaps):
    """
    A region and a criteria set, ready to be evaluated.

    Parameters
    ----------
    region
        An open region.
    criteria
        The criteria set as saved; variants of it (other thresholds or weights) are passed to
        the methods that take ``crit``.
    cache
        Read and write the measures cache; defaults to :data:`locscan.settings.use_cache`.
    on_measure
        Called after each measure with the spec and whether it came from the cache.
    criteria_file
        The file the criteria were read from, so an export never overwrites it.
    in_parts, scheduler
        Compute the measures per gemeente (bounded memory), here or on the dask cluster whose
        scheduler is at `scheduler` (:func:`locscan.measures.compute_measures`). Such a scan
        holds no shapes: it reads them per part when a map, export or factsheet shows them
        (:attr:`shapes`). None: as the region's ``region.yaml`` says (``in_parts``).

    Attributes
    ----------
    region, criteria, criteria_file
        As given.
    candidates
        The candidate table (gemeente, subregio, area; the shapes unless in parts), indexed
        by candidate id.
    measures
        One row per candidate, a column per measure the criteria use.
    shapes
        The candidates' shapes by id (:class:`locscan.measures.shapes.Shapes`).
    """

    def __init__(
        self,
        region: Region,
        criteria: Criteria,
        *,
        cache: bool | None = None,
        on_measure: Callable[[MeasureSpec, bool], None] | None = None,
        criteria_file: str | os.PathLike | None = None,
        in_parts: bool | None = None,
        scheduler: str | None = None,
    ) -> None:
        self.region = region
        self.criteria = criteria
        self.criteria_file = Path(criteria_file) if criteria_file else None
        self._lock = threading.Lock()
        in_parts = region.meta.in_parts if in_parts is None else in_parts
        self.in_parts = bool(in_parts or scheduler)
        self._how = {"cache": cache, "in_parts": self.in_parts, "scheduler": scheduler,
                     "geometry": not self.in_parts}
        self._start_maps()
        # while each part's shapes are at hand: its gemeenten's pieces of the map, cached
        cached = settings.use_cache if cache is None else cache
        self.candidates, self.measures = measures.compute_measures(
            region, criteria.used_measures(), on_measure=on_measure, on_part=self._part_done,
            after=pieces.write_part_pieces if self.in_parts and cached else None, **self._how)
        self.measures = same_index(self.measures, self.candidates.index)
        if self.in_parts:  # a country: its ids' hash table now, not at the first click
            prepare_lookup(self.candidates.index)
        self.shapes = Shapes(self.candidates, region, cache=cache)
        n = len(self.candidates)
        self._results = Memo(sized(16, n))
        # each criterion's outcome (a threshold change judges one): room for two variants
        self._parts = Memo(max(sized(64, n), 2 * len(criteria.criteria) + 2))
        self._tables = Memo(sized(8, n))
        self._analyses = Memo(8)
        self._choices = Memo(32)
        self._plans = Memo(8)

    @classmethod
    def open(
        cls,
        region_dir: str | os.PathLike | None,
        criteria_file: str | os.PathLike,
        **kwargs: Any,
    ) -> Scan:
        """
        Open the region folder and the criteria file, and compute (or read) the measures.

        Raises
        ------
        LocscanError
            When the region, a layer or the criteria file is wrong; the message names it.
        """
        region = open_region(region_dir)
        crit = criteria.load(criteria_file)
        return cls(region, crit, criteria_file=criteria_file, **kwargs)

    def __repr__(self) -> str:
        return (f"Scan({str(self.region.folder)!r}, {self.criteria.name!r}, "
                f"{len(self.candidates)} candidates)")

    @property
    def meta(self):
        """The region's metadata (``region.yaml``)."""
        return self.region.meta

    # --- selection ----------------------------------------------------------------------------

    def selection(self, subregio: str | None = None, gemeente: Gemeenten | None = None
                  ) -> tuple[str | None, Gemeenten | None]:
        """
        The subregio as spelled in the metadata and the gemeente's CBS code (or codes), checked.

        Raises
        ------
        RegionError
            For a subregio or gemeente the region does not have (the message lists them).
        """
        sub = self.meta.subregio(subregio) if subregio else None
        if isinstance(gemeente, str) or not gemeente:
            return sub, self.meta.municipality(gemeente).code if gemeente else None
        return sub, tuple(self.meta.municipality(g).code for g in gemeente)

    # --- layers -------------------------------------------------------------------------------

    def layer_name(self, role: str, *, needed_for: str | None = None) -> str | None:
        """
        The name of the region's first layer with `role`.

        Parameters
        ----------
        role
            A layer role (:data:`locscan.layers.ROLES`).
        needed_for
            When given and the region has no such layer, raise an error that says what
            needs it; else return ``None``.
        """
        names = self.region.layers_with_role(role)
        if names:
            return names[0]
        if needed_for is None:
            return None
        raise RegionError(
            f"region folder {self.region.folder}: the catalogue has no layer with role "
            f"{role!r}; {needed_for} need it"
        )

    def context(self, roles: Iterable[str] = CONTEXT_ROLES) -> dict[str, gpd.GeoDataFrame]:
        """The first layer of each role in `roles` that the region has, by role."""
        return {role: self.region.layer(name) for role in roles
                if (name := self.layer_name(role)) is not None}

    # --- criteria -----------------------------------------------------------------------------

    def _ensure_measures(self, crit: Criteria) -> None:
        """Compute the measures a criteria variant uses that the table does not have yet."""
        todo = [s for s in crit.used_measures() if s.name not in self.measures.columns]
        if not todo:
            return
        with self._lock:
            todo = [s for s in todo if s.name not in self.measures.columns]
            if todo:
                _, extra = measures.compute_measures(self.region, todo, **self._how)
                self.measures = same_index(pd.concat([self.measures, extra], axis=1),
                                            self.candidates.index)

    def evaluate(self, crit: Criteria | None = None) -> longlist.Result:
        """
        The criteria (the scan's own, or a variant) evaluated over the cached measures.

        Memoised by the criteria's digest: going back to an earlier variant is free. A variant
        that uses a measure the scan did not compute yet computes it once.

        Raises
        ------
        CriteriaError
            When the criteria's measures do not fit the region's layers.
        """
        crit = crit or self.criteria
        self._ensure_measures(crit)
        return self._results.get(
            crit.digest(),
            lambda: longlist.build(crit, self.candidates, self.measures, self.meta,
                                   parts=self._parts),
        )

    def choices(self, cid: str, crit: Criteria | None = None) -> list[str]:
        """
        The classes a class criterion can choose from (:func:`locscan.criteria.choices`).

        Memoised by the criterion's measure: the measured classes do not change with the
        thresholds, and finding them in millions of values takes a second.
        """
        crit = crit or self.criteria
        self._ensure_measures(crit)
        spec = crit.measures[crit.criterion(cid).measure]
        key = (cid, spec.model_dump_json(), tuple(getattr(crit.criterion(cid), "value", ())))
        return self._choices.get(key, lambda: criteria.choices(crit, cid, self.measures))

    def reach_m(self, crit: Criteria | None = None) -> float | None:
        """The distance (m) within which a hard criterion wants a site from the work sites."""
        name = self.layer_name("work_sites")
        return criteria.reach_m(crit or self.criteria, layer=name) if name else None

    # --- longlist -----------------------------------------------------------------------------

    def longlist(self, crit: Criteria | None = None, *, subregio: str | None = None,
                 gemeente: Gemeenten | None = None, everything: bool = False,
                 ids: Iterable[str] | None = None, shapes: bool = True,
                 texts: bool = True) -> pd.DataFrame:
        """
        The longlist (or every candidate, or the given ids), best first; see ``table``.

        Memoised like :meth:`evaluate`, so a rerun of the app that changes nothing in the
        criteria (a click, another tab) costs nothing; each call gets its own (shallow,
        copy-on-write) copy. A GeoDataFrame, unless the scan is in parts and `shapes` is
        False: then a DataFrame, without reading a shape (:meth:`with_shapes` adds them).
        Without `texts`, the table has no ``rule`` and ``reasons`` (:meth:`texts` gives
        them for the rows shown).
        """
        crit = crit or self.criteria
        ids = None if ids is None else tuple(ids)
        key = (crit.digest(), subregio, gemeente, everything, ids, texts)
        table = self._tables.get(key, lambda: longlist.table(
            self.evaluate(crit), subregio=subregio, gemeente=gemeente, everything=everything,
            ids=None if ids is None else list(ids), texts=texts))
        return self.with_shapes(table) if shapes else table.copy(deep=False)

    def with_shapes(self, table: pd.DataFrame) -> gpd.GeoDataFrame:
        """
        `table` (rows indexed by candidate id) with the candidates' shapes.

        A GeoDataFrame is returned as it is (a shallow copy); for a scan in parts the shapes
        are read from the parts that hold the rows.
        """
        if isinstance(table, gpd.GeoDataFrame):
            return table.copy(deep=False)
        shapes = self.shapes.of(table.index, table.get("gemeente_code"))
        return gpd.GeoDataFrame(table, geometry=shapes.to_numpy(), crs=self.shapes.crs)

    def texts(self, ids: Iterable[str], crit: Criteria | None = None, *,
              subregio: str | None = None, gemeente: Gemeenten | None = None,
              everything: bool = True) -> pd.DataFrame:
        """
        The rule that applied and the Dutch reasons for the sites `ids` (:func:`longlist.texts`).

        `subregio`, `gemeente` and `everything` say which table the ids come from (as in
        :meth:`longlist`): they are looked up among its rows only.

        Raises
        ------
        CriteriaError
            When an id is not among those sites.
        """
        try:
            return longlist.texts(self.evaluate(crit), list(ids), subregio=subregio,
                                  gemeente=gemeente, everything=everything)
        except KeyError as exc:
            raise CriteriaError(f"geen locatie {exc.args[0]!r} in deze regio") from None

    def summary(self, crit: Criteria | None = None, *, subregio: str | None = None,
                gemeente: Gemeenten | None = None) -> dict[str, pd.DataFrame]:
        """Counts per criterion and per subregio and gemeente (:func:`longlist.summary`)."""
        return longlist.summary(self.evaluate(crit), subregio=subregio, gemeente=gemeente)

    def find(self, query: str, crit: Criteria | None = None, limit: int = 20) -> pd.DataFrame:
        """Sites by id, name, cadastral designation or address (:func:`longlist.find`)."""
        return longlist.find(self.evaluate(crit), query, limit)

    def explain(self, candidate_id: str, crit: Criteria | None = None) -> pd.DataFrame:
        """Why (not)? Every criterion for one site, in Dutch (:func:`locscan.nl.text.explain`)."""
        return text.explain(self.evaluate(crit), candidate_id)

    def shortlist_table(self, store: Shortlist, crit: Criteria | None = None
                        ) -> gpd.GeoDataFrame:
        """The shortlist's sites as longlist rows, with the working group's status and note."""
        items = store.items()
        table = self.longlist(crit, ids=items.index)
        kept = items[["status", "note", "capacity", "updated_by", "updated_at"]]
        return self.with_shapes(
            table.join(kept.rename(columns={"status": "shortlist_status"}), how="inner"))

    def too_wide(self, gemeenten: Sequence[str] | None) -> bool:
        """
        Whether a choice of gemeenten (CBS codes; None: all) is too wide to weigh.

        It is for a scan in parts asked for its whole region: its capacity and maps are
        weighed for a narrower choice only (the whole country would take minutes). A scan that
        is not in parts weighs its whole region: never too wide.
        """
        if not self.in_parts:
            return False
        return gemeenten is None or len(set(gemeenten)) >= len(self.meta.municipalities)

    def compare(self, variants: dict[str, Criteria], *, subregio: str | None = None,
                gemeente: Gemeenten | None = None, shapes: bool = True) -> Comparison:
        """
        Scenarios side by side (:func:`locscan.compare.compare`); the first is the reference.

        Capacity is compared when every scenario has capacity assumptions and the region has
        work sites; otherwise that table is empty. A scan in parts compares the capacity of
        the chosen gemeenten (:meth:`analysis`), and none when nothing is chosen (the whole
        country would take minutes). Without `shapes`, the sites that change come without
        their shapes (a scan in parts then reads none).
        """
        results = {name: self.evaluate(c) for name, c in variants.items()}
        analyses: dict[str, capacity.Analysis] | None = None
        codes = self.meta.codes(subregio, gemeente) if self.in_parts else None
        if not self.too_wide(codes):
            try:
                analyses = {name: self.analysis(c, gemeenten=codes)
                            for name, c in variants.items()}
            except LocscanError:
                analyses = None
        out = compare(results, analyses, subregio=subregio, gemeente=gemeente)
        return dataclasses.replace(out, changes=self.with_shapes(out.changes)) if shapes else out

    def robustness(self, crit: Criteria | None = None, *, subregio: str | None = None,
                   gemeente: Gemeenten | None = None, **kwargs: Any) -> Robustness:
        """
        Monte Carlo over weights and thresholds (:func:`locscan.robustness.robustness`).

        With `subregio` or `gemeente` the ranks are those within that selection.
        """
        crit = crit or self.criteria
        result = self.evaluate(crit)
        if subregio or gemeente:
            keep = longlist.select(result, subregio, gemeente).to_numpy()
            result = longlist.build(crit, result.candidates[keep], result.measures[keep],
                                    self.meta)
        return robustness(result, **kwargs)

    def add_to_shortlist(self, store: Shortlist, candidate_id: str, *, user: str,
                         crit: Criteria | None = None) -> dict[str, Any]:
        """
        Put one site on the shortlist with its gemeente, subregio and score.

        Raises
        ------
        CriteriaError
            When the candidate id is not in this region.
        """
        crit = crit or self.criteria
        if candidate_id not in self.candidates.index:
            raise CriteriaError(f"geen locatie {candidate_id!r} in deze regio")
        row = self.candidates.loc[candidate_id]
        score = float(self.evaluate(crit).evaluation.at[candidate_id, "score"])
        return store.add(candidate_id, user=user, subregio=row["subregio"],
                         gemeente=row["gemeente"], criteria=f"{crit.name} {crit.version}",
                         score=score)
