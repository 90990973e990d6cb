"""Where workers would live: assignment (LP) and a suggested set of sites (MILP, HiGHS).

Work sites' temporary workers are assigned to sites within reach by a linear programme; the
suggested shortlist is a mixed-integer programme solved by HiGHS (through
``scipy.optimize.milp``): cover the task at the least total distance between work and home, with
a maximum per location, a minimum spacing between chosen sites and optional limits per
gemeente. Every plan reports how its workers live against the region's norm (80/10/10).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from locscan import nl
from locscan.capacity.norms import _resolved
from locscan.criteria import Assumptions
from locscan.errors import PlanError

__all__ = [
    "Plan",
    "assign",
    "reach_capacity",
    "suggest",
]


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
    own, elsewhere, further = nl.SPLIT["own"], nl.SPLIT["subregio"], nl.SPLIT["further"]
    kind = np.where(wg == sg, own, np.where(ws == ss, elsewhere, further))
    total = flows["workers"].sum()
    shares = flows.groupby(kind)["workers"].sum() / total if total else pd.Series(dtype=float)
    min_own, max_subregio, max_further = _resolved(a, *_SPLIT_NORMS)
    norm = {own: ("≥", min_own), elsewhere: ("≤", max_subregio), further: ("≤", max_further)}
    col = nl.SPLIT_COLUMNS
    out = pd.DataFrame({
        col["share"]: [float(shares.get(k, 0.0)) for k in norm],
        col["norm"]: [f"{op} {v:.0%}" for op, v in norm.values()],
    }, index=pd.Index(list(norm), name=col["index"]))
    out[col["meets"]] = [(s >= v) if op == "≥" else (s <= v)
                         for s, (op, v) in zip(out[col["share"]], norm.values(), strict=True)]
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
