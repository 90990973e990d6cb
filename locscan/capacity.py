"""Capacity of sites under the Roemernorm, the regional task, coverage and a suggested shortlist.

Reads results, computes no measures: a site's capacity follows from its area (or an existing
building's floor area) and named assumptions (:class:`Assumptions`, the ``capacity:`` section of
a criteria file, with the region's norms as defaults). Work sites' temporary workers are
assigned to sites within reach by a linear programme, and the suggested shortlist is a
mixed-integer programme solved by HiGHS (through ``scipy.optimize.milp``): cover the task at the
least total distance between work and home, with a maximum per location, a minimum spacing
between chosen sites and optional limits per gemeente.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import ValidationError
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from locscan import config
from locscan.criteria import Assumptions
from locscan.errors import CriteriaError, PlanError
from locscan.region import RegionMeta

__all__ = [
    "Analysis",
    "Assumptions",
    "Plan",
    "analyse",
    "assign",
    "assumptions_of",
    "coverage",
    "reach_capacity",
    "resolve",
    "site_capacity",
    "sites_table",
    "suggest",
    "task_table",
    "work_demand",
]


_FROM_NORMS = {  # assumption -> region norm it takes when the criteria leave it open
    "m2_per_worker": "m2_per_worker",
    "manager_above": "manager_above_residents",
    "reach_m": "max_distance_to_work_m",
    "temporary_share": "temporary_share",
    "min_share_own_gemeente": "live_in_work_municipality_min",
    "max_share_elsewhere_in_subregio": "live_elsewhere_in_subregio_max",
    "max_share_elsewhere": "live_elsewhere_max",
}


def resolve(assumptions: Assumptions, meta: RegionMeta, reach_m: float | None = None
            ) -> Assumptions:
    """
    Fill the policy numbers the assumptions leave open from the region's norms.

    ``reach_m`` is, in this order, the criteria file's ``capacity.reach_m``, the given
    `reach_m` (from the criterion on the distance to the work sites) and the region's norm.

    Raises
    ------
    RegionError
        When a number is left open and ``region.yaml`` has no norms.

    Examples
    --------
    >>> meta = RegionMeta.model_validate({"name": "r", "label": "R", "subregios": {},
    ...     "municipalities": [], "norms": {"m2_per_worker": 15, "manager_above_residents": 100,
    ...     "max_distance_to_work_m": 15000, "temporary_share": 0.75,
    ...     "bedroom_m2_per_worker": 5.5, "live_in_work_municipality_min": 0.8,
    ...     "live_elsewhere_in_subregio_max": 0.1, "live_elsewhere_max": 0.1}})
    >>> own = Assumptions(built_share=0.4, storeys=2, max_per_location=200,
    ...                   parking_measure=None, parking_per_resident=0.3, m2_per_worker=20)
    >>> a = resolve(own, meta)
    >>> a.m2_per_worker, a.manager_above, a.reach_m, a.temporary_share, a.min_share_own_gemeente
    (20.0, 100, 15000.0, 0.75, 0.8)
    """
    filled: dict = {}
    if assumptions.reach_m is None and reach_m is not None:
        filled["reach_m"] = float(reach_m)
    open_ = [k for k in _FROM_NORMS if getattr(assumptions, k) is None and k not in filled]
    if open_:
        norms = meta.required_norms("capacity and the suggested plan")
        filled |= {k: getattr(norms, _FROM_NORMS[k]) for k in open_}
    return assumptions.model_copy(update=filled)


def _resolved(assumptions: Assumptions, *keys: str) -> list:
    """The values of `keys`; an assumption still open is an error (call :func:`resolve`)."""
    missing = [k for k in keys if getattr(assumptions, k) is None]
    if missing:
        raise PlanError(f"capacity assumptions {', '.join(missing)} are not set; take them "
                        "from the region's norms with capacity.resolve")
    return [getattr(assumptions, k) for k in keys]


def site_capacity(
    area_m2: pd.Series, assumptions: Assumptions, floor_area_m2: pd.Series | None = None
) -> pd.Series:
    """
    Workers a site can house under the Roemernorm, capped at ``max_per_location``.

    New building: area × built_share × storeys / m2_per_worker; an existing building (where
    `floor_area_m2` is known): floor area × floor_use_share / m2_per_worker. Rounded down.

    Examples
    --------
    >>> a = Assumptions(built_share=0.4, storeys=2, max_per_location=200, m2_per_worker=15,
    ...                 parking_measure=None, parking_per_resident=0.3, floor_use_share=0.8)
    >>> site_capacity(pd.Series([3000.0, 10_000.0, 1.0]), a).tolist()
    [160, 200, 0]
    >>> site_capacity(pd.Series([3000.0]), a, floor_area_m2=pd.Series([600.0])).tolist()
    [32]
    """
    (m2,) = _resolved(assumptions, "m2_per_worker")
    living = area_m2 * assumptions.built_share * assumptions.storeys
    if floor_area_m2 is not None:
        (use,) = _resolved(assumptions, "floor_use_share")
        existing = floor_area_m2 * use
        living = existing.where(floor_area_m2.notna() & (floor_area_m2 > 0), living)
    workers = np.floor(living.to_numpy(dtype=float) / m2 + 1e-9)
    return pd.Series(np.minimum(workers, assumptions.max_per_location).astype(int),
                     index=area_m2.index, name="capacity")


def sites_table(
    sites: gpd.GeoDataFrame, measures: pd.DataFrame, assumptions: Assumptions
) -> gpd.GeoDataFrame:
    """
    Capacity, the 24/7-manager flag and parking check per site.

    Parameters
    ----------
    sites
        Candidate rows with ``area_m2`` (and the floor area field when configured).
    measures
        Measures table with the parking measure, indexed like the candidates.
    assumptions
        Resolved assumptions (:func:`resolve`).

    Returns
    -------
    GeoDataFrame
        `sites` with ``capacity``, ``needs_manager``, ``parking_needed`` and
        ``parking`` (``voldoende``, ``onvoldoende`` or ``onbekend``).
    """
    floor = None
    if assumptions.floor_area_field and assumptions.floor_area_field in sites:
        floor = pd.to_numeric(sites[assumptions.floor_area_field], errors="coerce")
    out = sites.copy()
    out["capacity"] = site_capacity(sites["area_m2"], assumptions, floor)
    out["needs_manager"] = out["capacity"] > assumptions.manager_above
    out["parking_needed"] = np.ceil(out["capacity"] * assumptions.parking_per_resident)
    status = pd.Series("onbekend", index=out.index, dtype=object)
    name = assumptions.parking_measure
    if name and name in measures:
        have = measures.loc[out.index, name]
        unknown = measures.loc[out.index, f"{name}__unknown"] if (
            f"{name}__unknown" in measures) else pd.Series(0, index=out.index)
        enough = have >= out["parking_needed"]
        status[enough] = "voldoende"
        status[have.notna() & ~enough & (unknown == 0)] = "onvoldoende"
    out["parking"] = status
    return out


def task_table(meta: RegionMeta, assumptions: Assumptions) -> pd.DataFrame:
    """
    The task per subregio: international workers working there and the temporary share.

    The 2030 scenarios add the region's expected growth pro rata to each subregio's share.

    Examples
    --------
    >>> meta = RegionMeta.model_validate({"name": "r", "label": "R", "municipalities": [],
    ...     "subregios": {"A": {"short_stay": 1, "mid_stay": 1, "long_stay": 2,
    ...                         "total_working": 4, "living_there": 1}},
    ...     "growth_2030": {"extra_low": 2, "extra_high": 4}})
    >>> a = Assumptions(built_share=0.4, storeys=2, max_per_location=200,
    ...                 parking_measure=None, parking_per_resident=0.3, temporary_share=0.75)
    >>> task_table(meta, a).loc["A"].tolist()
    [4.0, 3.0, 4.5, 6.0]
    """
    total = pd.Series({k: t.total_working for k, t in meta.subregios.items()}, dtype=float)
    share = total / total.sum() if total.sum() else total
    (temp,) = _resolved(assumptions, "temporary_share")
    growth = meta.growth_2030
    out = pd.DataFrame({
        "werkzaam_2020": total,
        "opgave_tijdelijk_2020": total * temp,
        "opgave_tijdelijk_2030_laag": (total + share * growth.get("extra_low", 0)) * temp,
        "opgave_tijdelijk_2030_hoog": (total + share * growth.get("extra_high", 0)) * temp,
    })
    out.index.name = "subregio"
    return out


def work_demand(
    work_sites: gpd.GeoDataFrame, gemeente_code: pd.Series, meta: RegionMeta,
    assumptions: Assumptions,
) -> gpd.GeoDataFrame:
    """
    Temporary workers to house per work site (workers × temporary_share), with gemeente.

    Raises
    ------
    LocscanError
        When the work sites carry no number of workers.
    """
    if "workers" not in work_sites:
        raise PlanError("work_sites: no 'workers' attribute; map the number of "
                           "international workers in the layer catalogue (fields: workers:)")
    sub = {m.code: m.subregio for m in meta.municipalities}
    out = work_sites[["workers", work_sites.geometry.name]].copy()
    out["gemeente_code"] = gemeente_code.to_numpy()
    out["subregio"] = out["gemeente_code"].map(sub)
    (temp,) = _resolved(assumptions, "temporary_share")
    out["demand"] = out["workers"].fillna(0).to_numpy() * temp
    return out[out["subregio"].notna()]


def _pairs(work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, reach_m: float,
           nearest: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tree = shapely.STRtree(sites.geometry.to_numpy())
    i_w, i_s = tree.query(work.geometry.to_numpy(), predicate="dwithin", distance=reach_m)
    dist = shapely.distance(work.geometry.to_numpy()[i_w], sites.geometry.to_numpy()[i_s])
    if nearest is not None and len(i_w):
        order = np.lexsort((dist, i_w))
        i_w, i_s, dist = i_w[order], i_s[order], dist[order]
        rank = np.arange(len(i_w)) - np.searchsorted(i_w, i_w, side="left")
        keep = rank < nearest
        i_w, i_s, dist = i_w[keep], i_s[keep], dist[keep]
    return i_w, i_s, dist


def reach_capacity(work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, reach_m: float
                   ) -> pd.Series:
    """
    Capacity of the sites within `reach_m` of each work site; 0 marks a gap ("witte vlek").

    Examples
    --------
    >>> from shapely import Point, box
    >>> work = gpd.GeoDataFrame(geometry=[Point(0, 0), Point(50_000, 0)], crs=28992)
    >>> sites = gpd.GeoDataFrame({"capacity": [40, 60]},
    ...     geometry=[box(1000, 0, 1100, 100), box(14_000, 0, 14_100, 100)], crs=28992)
    >>> reach_capacity(work, sites, 15_000).tolist()
    [100.0, 0.0]
    """
    i_w, i_s, _ = _pairs(work, sites, reach_m, None)
    cap = sites["capacity"].to_numpy(dtype=float)
    total = np.bincount(i_w, weights=cap[i_s], minlength=len(work))
    return pd.Series(total, index=work.index, name="capacity_in_reach")


@dataclass(frozen=True)
class Plan:
    """
    Where the workers of each work site would live.

    Attributes
    ----------
    flows
        One row per (work site, site) with ``workers`` assigned and ``distance_m``.
    shortage
        Temporary workers per work site without a place within reach.
    sites
        The sites used (or chosen), with ``planned`` residents and ``capacity``.
    split
        Shares of the assigned workers living in their work gemeente, elsewhere in the
        subregio and further away, against the norm.
    status
        Solver message; ``seconds`` the solve time.
    nearest
        When the problem was too large, each work site was offered only its `nearest` sites
        within reach; ``None`` when every pair within reach was considered.
    assumptions
        The assumptions the plan was made under.
    """

    flows: pd.DataFrame
    shortage: pd.Series
    sites: gpd.GeoDataFrame
    split: pd.DataFrame
    status: str
    seconds: float
    nearest: int | None = None
    assumptions: Assumptions | None = None

    @property
    def total_shortage(self) -> float:
        """Workers without a place in reach, in total."""
        return float(self.shortage.sum())


def _solve(work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, a: Assumptions, *, choose: bool,
           max_pairs: int | None, time_limit: float) -> Plan:
    n_w, n_s = len(work), len(sites)
    _resolved(a, "reach_m", *_SPLIT_NORMS)
    i_w, i_s, dist = _pairs(work, sites, a.reach_m, None)
    nearest = None
    if max_pairs is not None and len(i_w) > max_pairs:
        nearest = max(1, max_pairs // max(n_w, 1))
        i_w, i_s, dist = _pairs(work, sites, a.reach_m, nearest)
    n_p = len(i_w)
    demand = work["demand"].to_numpy(dtype=float)
    cap = sites["capacity"].to_numpy(dtype=float)
    penalty = 10 * (a.reach_m / 1000 + a.site_cost_km + 1)
    n_y = n_s if choose else 0
    # variables: x (pairs) | u (shortage per work site) | y (site chosen, binary)
    c = np.concatenate([dist / 1000, np.full(n_w, penalty), np.full(n_y, a.site_cost_km)])
    rows = [
        # demand: sum_s x_ws + u_w == d_w
        (sparse.hstack([sparse.csr_matrix((np.ones(n_p), (i_w, np.arange(n_p))), (n_w, n_p)),
                        sparse.identity(n_w), sparse.csr_matrix((n_w, n_y))]), demand, demand),
    ]
    x_by_site = sparse.csr_matrix((np.ones(n_p), (i_s, np.arange(n_p))), (n_s, n_p))
    if choose:
        rows.append((sparse.hstack([x_by_site, sparse.csr_matrix((n_s, n_w)),
                                    -sparse.diags(cap)]), -np.inf, 0.0))
        if a.min_spacing_m > 0:
            g = sites.geometry.to_numpy()
            s1, s2 = shapely.STRtree(g).query(g, predicate="dwithin", distance=a.min_spacing_m)
            close = s1 < s2
            s1, s2, m = s1[close], s2[close], int(close.sum())
            if m:
                pair = sparse.csr_matrix((np.ones(2 * m), (np.tile(np.arange(m), 2),
                                                           np.concatenate([s1, s2]))), (m, n_s))
                rows.append((sparse.hstack([sparse.csr_matrix((m, n_p + n_w)), pair]),
                             -np.inf, 1.0))
        if a.max_sites_per_gemeente:
            codes, which = np.unique(sites["gemeente_code"].astype(str), return_inverse=True)
            per = sparse.csr_matrix((np.ones(n_s), (which, np.arange(n_s))), (len(codes), n_s))
            rows.append((sparse.hstack([sparse.csr_matrix((len(codes), n_p + n_w)), per]),
                         -np.inf, float(a.max_sites_per_gemeente)))
    else:
        rows.append((sparse.hstack([x_by_site, sparse.csr_matrix((n_s, n_w))]), -np.inf, cap))
    constraints = [LinearConstraint(sparse.csr_matrix(m), lb, ub) for m, lb, ub in rows]
    integrality = np.concatenate([np.zeros(n_p + n_w), np.ones(n_y)])
    upper = np.concatenate([np.full(n_p + n_w, np.inf), np.ones(n_y)])
    start = time.perf_counter()
    res = milp(c, integrality=integrality, bounds=Bounds(0, upper), constraints=constraints,
               options={"time_limit": time_limit, "disp": False})
    seconds = time.perf_counter() - start
    if res.x is None:
        raise PlanError(f"the solver found no plan: {res.message}")
    x, u = res.x[:n_p], res.x[n_p:n_p + n_w]
    flows = pd.DataFrame({"work_site": work.index.to_numpy()[i_w],
                          "site": sites.index.to_numpy()[i_s],
                          "workers": x, "distance_m": dist})
    flows = flows[flows["workers"] > 1e-6].reset_index(drop=True)
    planned = flows.groupby("site")["workers"].sum()
    used = sites.loc[planned.index].assign(planned=planned.round(1))
    if choose:  # a site the solver opened without using it (free to open) is not suggested
        chosen = sites.index[(res.x[n_p + n_w:] > 0.5)]
        chosen = chosen[chosen.isin(planned.index)]
        used = sites.loc[chosen].assign(planned=planned.reindex(chosen).round(1))
    shortage = pd.Series(u, index=work.index, name="shortage").clip(lower=0).round(6)
    return Plan(flows=flows, shortage=shortage, sites=used,
                split=_split(flows, work, sites, a), status=res.message, seconds=seconds,
                nearest=nearest, assumptions=a)


_SPLIT_NORMS = ("min_share_own_gemeente", "max_share_elsewhere_in_subregio",
                "max_share_elsewhere")


def _split(flows: pd.DataFrame, work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame,
           a: Assumptions) -> pd.DataFrame:
    wg = work.loc[flows["work_site"], "gemeente_code"].to_numpy()
    sg = sites.loc[flows["site"], "gemeente_code"].to_numpy()
    ws = work.loc[flows["work_site"], "subregio"].to_numpy()
    ss = sites.loc[flows["site"], "subregio"].to_numpy()
    kind = np.where(wg == sg, "eigen gemeente", np.where(ws == ss, "elders in subregio",
                                                         "verder weg"))
    total = flows["workers"].sum()
    shares = flows.groupby(kind)["workers"].sum() / total if total else pd.Series(dtype=float)
    own, subregio, further = _resolved(a, *_SPLIT_NORMS)
    norm = {"eigen gemeente": ("≥", own), "elders in subregio": ("≤", subregio),
            "verder weg": ("≤", further)}
    out = pd.DataFrame({
        "aandeel": [float(shares.get(k, 0.0)) for k in norm],
        "norm": [f"{op} {v:.0%}" for op, v in norm.values()],
    }, index=pd.Index(list(norm), name="woont"))
    out["voldoet"] = [(s >= v) if op == "≥" else (s <= v)
                      for s, (op, v) in zip(out["aandeel"], norm.values(), strict=True)]
    return out


def assign(work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, assumptions: Assumptions, *,
           max_pairs: int | None = 2_000_000, time_limit: float = 60) -> Plan:
    """
    Assign each work site's ``demand`` to sites within reach, at the least total distance.

    A linear programme: every site may be used, up to its ``capacity``.

    Examples
    --------
    >>> from shapely import Point, box
    >>> work = gpd.GeoDataFrame({"demand": [10.0], "gemeente_code": ["A"], "subregio": ["S"]},
    ...                         geometry=[Point(0, 0)], crs=28992)
    >>> sites = gpd.GeoDataFrame({"capacity": [6, 6], "gemeente_code": ["A", "B"],
    ...     "subregio": ["S", "S"]}, geometry=[box(100, 0, 110, 10), box(900, 0, 910, 10)],
    ...     crs=28992)
    >>> a = Assumptions(built_share=0.4, storeys=2, max_per_location=200,
    ...     parking_measure=None, parking_per_resident=0.3, reach_m=15_000,
    ...     min_share_own_gemeente=0.8, max_share_elsewhere_in_subregio=0.1,
    ...     max_share_elsewhere=0.1)
    >>> plan = assign(work, sites, a)
    >>> plan.sites["planned"].tolist(), plan.total_shortage
    ([6.0, 4.0], 0.0)
    """
    return _solve(work, sites, assumptions, choose=False, max_pairs=max_pairs,
                  time_limit=time_limit)


def suggest(work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, assumptions: Assumptions, *,
            max_pairs: int | None = 30_000, time_limit: float = 120) -> Plan:
    """
    Choose sites that together house the work sites' ``demand`` at the least total distance.

    A mixed-integer programme: a site is chosen or not, holds at most its ``capacity``,
    chosen sites lie at least ``min_spacing_m`` apart, and at most ``max_sites_per_gemeente``
    are chosen per gemeente. Demand that cannot be housed within reach is reported as shortage.

    Parameters
    ----------
    work
        Work sites with ``demand``, ``gemeente_code`` and ``subregio``.
    sites
        Candidate sites (the longlist) with ``capacity``, ``gemeente_code`` and ``subregio``.
    assumptions
        Resolved assumptions.
    max_pairs
        When more (work site, site) pairs lie within reach, each work site is offered only
        its nearest sites, as many as keep the pairs under this number (the plan says so).
    time_limit
        Seconds the solver may take; the best plan found by then is returned.
    """
    return _solve(work, sites, assumptions, choose=True, max_pairs=max_pairs,
                  time_limit=time_limit)


def coverage(
    meta: RegionMeta,
    task: pd.DataFrame,
    demand: gpd.GeoDataFrame,
    longlist_sites: gpd.GeoDataFrame,
    shortlist_sites: gpd.GeoDataFrame,
) -> dict[str, pd.DataFrame]:
    """
    Task against capacity per subregio and per gemeente (shortlist and longlist).

    Returns
    -------
    dict
        ``subregio``: task (2020 and 2030 scenarios) and capacity; ``gemeente``: the temporary
        workers of its work sites and capacity.
    """
    def cap(frame: gpd.GeoDataFrame, by: str) -> pd.Series:
        return frame.groupby(by)["capacity"].sum() if len(frame) else pd.Series(dtype=float)

    sub = task.copy()
    sub["capaciteit_longlist"] = cap(longlist_sites, "subregio").reindex(sub.index).fillna(0)
    sub["capaciteit_shortlist"] = cap(shortlist_sites, "subregio").reindex(sub.index).fillna(0)
    gem = demand.groupby("gemeente_code")["demand"].sum().rename("opgave_tijdelijk").to_frame()
    gem["gemeente"] = gem.index.map({m.code: m.name for m in meta.municipalities})
    gem["capaciteit_longlist"] = cap(longlist_sites, "gemeente_code").reindex(gem.index).fillna(0)
    gem["capaciteit_shortlist"] = cap(shortlist_sites, "gemeente_code").reindex(
        gem.index).fillna(0)
    return {"subregio": sub, "gemeente": gem}


@dataclass(frozen=True)
class Analysis:
    """
    Capacity and task of a region for one evaluated criteria set.

    Attributes
    ----------
    assumptions
        The resolved assumptions (shown next to every figure).
    task, coverage_subregio, coverage_gemeente
        The task and the capacity of the longlist and the shortlist against it.
    demand
        Work sites with their temporary workers and the capacity within reach; a gap where 0.
    longlist_sites, shortlist_sites
        Sites with capacity, manager flag and parking check.
    """

    assumptions: Assumptions
    task: pd.DataFrame
    coverage_subregio: pd.DataFrame
    coverage_gemeente: pd.DataFrame
    demand: gpd.GeoDataFrame
    longlist_sites: gpd.GeoDataFrame
    shortlist_sites: gpd.GeoDataFrame

    def for_subregio(self, subregio: str | None) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        """Demand and longlist sites of one subregio (all when ``None``)."""
        if subregio is None:
            return self.demand, self.longlist_sites
        return (self.demand[self.demand["subregio"] == subregio],
                self.longlist_sites[self.longlist_sites["subregio"] == subregio])


def analyse(
    meta: RegionMeta,
    candidates: gpd.GeoDataFrame,
    measures: pd.DataFrame,
    on_longlist: pd.Series,
    work_sites: gpd.GeoDataFrame,
    work_gemeente: pd.Series,
    assumptions: Assumptions,
    shortlist_ids: list[str] | pd.Index = (),
) -> Analysis:
    """
    Everything the capacity page shows, from one evaluated criteria set.

    Parameters
    ----------
    meta
        Region metadata (task, norms, subregios).
    candidates, measures
        Candidate and measures tables.
    on_longlist
        Boolean per candidate (``Result.on_longlist``).
    work_sites, work_gemeente
        The work sites layer and the gemeente code of each work site.
    assumptions
        Resolved assumptions (:func:`resolve`).
    shortlist_ids
        Candidate ids on the working group's shortlist.
    """
    sites = sites_table(candidates.loc[on_longlist.to_numpy()], measures, assumptions)
    ids = [i for i in shortlist_ids if i in candidates.index]
    short = sites_table(candidates.loc[ids], measures, assumptions)
    demand = work_demand(work_sites, work_gemeente, meta, assumptions)
    demand["capacity_in_reach"] = reach_capacity(demand, sites, assumptions.reach_m)
    task = task_table(meta, assumptions)
    cov = coverage(meta, task, demand, sites, short)
    return Analysis(assumptions, task, cov["subregio"], cov["gemeente"], demand, sites, short)


def assumptions_of(criteria_capacity: Assumptions | dict | None, meta: RegionMeta,
                   reach_m: float | None) -> Assumptions:
    """
    The ``capacity:`` section of a criteria file, validated and filled from the region's norms.

    Raises
    ------
    CriteriaError
        When the section is missing, or naming the key that is wrong.
    RegionError
        When a policy number is left open and the region has no norms.
    """
    if criteria_capacity is None:
        required = [k for k, f in Assumptions.model_fields.items() if f.is_required()]
        raise CriteriaError("criteria: no 'capacity:' section; capacity and the suggested plan "
                            f"need its assumptions {', '.join(required)}")
    if isinstance(criteria_capacity, Assumptions):
        return resolve(criteria_capacity, meta, reach_m)
    try:
        parsed = Assumptions.model_validate(criteria_capacity)
    except ValidationError as exc:
        raw = {"capacity": criteria_capacity}
        raise CriteriaError("criteria, capacity assumptions: " + "; ".join(
            config.problems(exc, raw, Assumptions, prefix=("capacity",)))) from exc
    return resolve(parsed, meta, reach_m)
