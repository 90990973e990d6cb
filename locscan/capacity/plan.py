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
from locscan.capacity.sites import counted, overlapping_pairs
from locscan.criteria import Assumptions
from locscan.errors import PlanError

__all__ = [
    "Plan",
    "assign",
    "reach_capacity",
    "suggest",
]


def _site_reach(sites: gpd.GeoDataFrame, reach_m: float) -> np.ndarray:
    """Reach per site: its gemeente's own radius (``reach_m`` column) where it has one."""
    if "reach_m" in sites:
        return sites["reach_m"].fillna(reach_m).to_numpy(dtype=float)
    return np.full(len(sites), float(reach_m))


def _pairs(work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, reach_m: float
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(work site, site) pairs within reach of the site's gemeente, with their distance."""
    reach = _site_reach(sites, reach_m)
    tree = shapely.STRtree(sites.geometry.to_numpy())
    i_w, i_s = tree.query(work.geometry.to_numpy(), predicate="dwithin",
                          distance=float(reach.max()) if len(reach) else reach_m)
    dist = shapely.distance(work.geometry.to_numpy()[i_w], sites.geometry.to_numpy()[i_s])
    inside = dist <= reach[i_s]
    return i_w[inside], i_s[inside], dist[inside]


def _nearest(i_w: np.ndarray, i_s: np.ndarray, dist: np.ndarray, nearest: int
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    Of the pairs (work site, site, distance), the `nearest` sites of each work site.

    Examples
    --------
    >>> w, s, d = _nearest(np.array([0, 0, 0, 1]), np.array([5, 6, 7, 5]),
    ...                    np.array([30.0, 10.0, 20.0, 5.0]), 2)
    >>> w.tolist(), s.tolist(), d.tolist()
    ([0, 0, 1], [6, 7, 5], [10.0, 20.0, 5.0])
    """
    if not len(i_w):
        return i_w, i_s, dist
    order = np.lexsort((dist, i_w))
    i_w, i_s, dist = i_w[order], i_s[order], dist[order]
    rank = np.arange(len(i_w)) - np.searchsorted(i_w, i_w, side="left")
    keep = rank < nearest
    return i_w[keep], i_s[keep], dist[keep]


def reach_capacity(work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, reach_m: float
                   ) -> pd.Series:
    """
    Capacity of the sites within `reach_m` of each work site; 0 marks a gap ("witte vlek").

    Of sites that are largely the same land only one counts (:func:`counted`).

    Examples
    --------
    >>> from shapely import Point, box
    >>> work = gpd.GeoDataFrame(geometry=[Point(0, 0), Point(50_000, 0)], crs=28992)
    >>> sites = gpd.GeoDataFrame({"capacity": [40, 60]},
    ...     geometry=[box(1000, 0, 1100, 100), box(14_000, 0, 14_100, 100)], crs=28992)
    >>> reach_capacity(work, sites, 15_000).tolist()
    [100.0, 0.0]
    """
    i_w, i_s, _ = _pairs(work, sites, reach_m)
    cap = sites["capacity"].to_numpy(dtype=float) * counted(sites).to_numpy()
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
    by_gemeente
        Per work gemeente: temporary workers (``demand``), ``housed``, the shares ``own``,
        ``subregio`` and ``further``, and ``binding``: the norms it cannot meet with the sites
        at hand, as words ``own``, ``subregio``, ``further`` (empty when it meets them all).
    left_out
        Sites the plan could not use and why (``parking``, ``no capacity``); set by the caller
        that filtered them (:func:`locscan.capacity.plannable`).
    """

    flows: pd.DataFrame
    shortage: pd.Series
    sites: gpd.GeoDataFrame
    split: pd.DataFrame
    status: str
    seconds: float
    nearest: int | None = None
    assumptions: Assumptions | None = None
    by_gemeente: pd.DataFrame | None = None
    left_out: pd.Series | None = None

    @property
    def meets_norms(self) -> bool:
        """Whether every work gemeente meets the split norms."""
        return self.by_gemeente is None or not (self.by_gemeente["binding"] != "").any()

    @property
    def total_shortage(self) -> float:
        """Workers without a place in reach, in total."""
        return float(self.shortage.sum())


def _kinds(work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, i_w: np.ndarray,
           i_s: np.ndarray) -> np.ndarray:
    """Per pair: 0 the site lies in the work gemeente, 1 elsewhere in its subregio, 2 further."""
    wg = work["gemeente_code"].to_numpy()[i_w]
    sg = sites["gemeente_code"].to_numpy()[i_s]
    ws = work["subregio"].to_numpy()[i_w]
    ss = sites["subregio"].to_numpy()[i_s]
    return np.where(wg == sg, 0, np.where(ws == ss, 1, 2))


def _norm_rows(work: gpd.GeoDataFrame, i_w: np.ndarray, kind: np.ndarray, a: Assumptions,
               n_vars: int, first_slack: int) -> tuple[list, list[str]]:
    """
    The split norms per work gemeente as constraints, each with a slack.

    Own gemeente ≥ min, elsewhere in the subregio ≤ max, further ≤ max, all as shares of the
    workers housed. Returns the rows and the gemeente codes.
    """
    min_own, max_sub, max_fur = _resolved(a, *_SPLIT_NORMS)
    work_codes = work["gemeente_code"].astype(str).to_numpy()[i_w]
    codes, g = np.unique(work_codes, return_inverse=True)
    n_g, n_p = len(codes), len(i_w)
    rows = []
    for k, (share, sign) in enumerate([(min_own, 1.0), (max_sub, -1.0), (max_fur, -1.0)]):
        # sign * sum_p x_p (1[kind = k] - share) + slack >= 0
        coef = sign * ((kind == k).astype(float) - share)
        x_part = sparse.csr_matrix((coef, (g, np.arange(n_p))), (n_g, n_p))
        slack = sparse.csr_matrix((np.ones(n_g), (np.arange(n_g), first_slack + k * n_g
                                                   + np.arange(n_g))), (n_g, n_vars))
        rows.append((sparse.hstack([x_part, sparse.csr_matrix((n_g, n_vars - n_p))]) + slack,
                     0.0, np.inf))
    return rows, list(codes)


def _solve(work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, a: Assumptions, *, choose: bool,
           max_pairs: int | None, time_limit: float, keep_norms: bool = True) -> Plan:
    n_w, n_s = len(work), len(sites)
    exclusive = overlapping_pairs(sites)
    _resolved(a, "reach_m", *_SPLIT_NORMS)
    i_w, i_s, dist = _pairs(work, sites, a.reach_m)
    nearest = None
    if max_pairs is not None and len(i_w) > max_pairs:
        nearest = max(1, max_pairs // max(n_w, 1))
        i_w, i_s, dist = _nearest(i_w, i_s, dist, nearest)
    n_p = len(i_w)
    kind = _kinds(work, sites, i_w, i_s)
    n_g = len(np.unique(work["gemeente_code"].astype(str).to_numpy()[i_w])) if keep_norms else 0
    demand = work["demand"].to_numpy(dtype=float)
    cap = sites["capacity"].to_numpy(dtype=float)
    reach_km = float(_site_reach(sites, a.reach_m).max(initial=a.reach_m)) / 1000
    scale = reach_km + a.site_cost_km + 1
    # a worker without a place costs most; a worker housed against the split norm costs less
    # than that (housing first), and more than any distance (the norm before the distance)
    short_cost, norm_cost = 10 * scale, 4 * scale
    n_y = n_s if choose else 0
    # variables: x (pairs) | u (shortage per work site) | y (site chosen) | slack (3 per gemeente)
    n_vars = n_p + n_w + n_y + 3 * n_g
    c = np.concatenate([dist / 1000, np.full(n_w, short_cost), np.full(n_y, a.site_cost_km),
                        np.full(3 * n_g, norm_cost)])

    def block(matrix: sparse.spmatrix, at: int) -> sparse.spmatrix:
        """`matrix` placed at column `at` of a row block over every variable."""
        rows_ = matrix.shape[0]
        parts = [sparse.csr_matrix((rows_, at)), matrix,
                 sparse.csr_matrix((rows_, n_vars - at - matrix.shape[1]))]
        return sparse.hstack([p for p in parts if p.shape[1]])

    x_by_work = sparse.csr_matrix((np.ones(n_p), (i_w, np.arange(n_p))), (n_w, n_p))
    x_by_site = sparse.csr_matrix((np.ones(n_p), (i_s, np.arange(n_p))), (n_s, n_p))
    rows = [(block(sparse.hstack([x_by_work, sparse.identity(n_w)]), 0), demand, demand)]
    if choose:
        rows.append((block(x_by_site, 0) + block(-sparse.diags(cap), n_p + n_w), -np.inf, 0.0))
        pairs = [exclusive] if exclusive is not None and len(exclusive) else []
        if a.min_spacing_m > 0:
            g = sites.geometry.to_numpy()
            s1, s2 = shapely.STRtree(g).query(g, predicate="dwithin", distance=a.min_spacing_m)
            pairs.append(np.column_stack([s1, s2])[s1 < s2])
        if pairs:
            both = np.unique(np.concatenate(pairs), axis=0)
            m = len(both)
            pair = sparse.csr_matrix((np.ones(2 * m), (np.tile(np.arange(m), 2),
                                                       both.T.ravel())), (m, n_s))
            rows.append((block(pair, n_p + n_w), -np.inf, 1.0))
        if a.max_sites_per_gemeente:
            codes, which = np.unique(sites["gemeente_code"].astype(str), return_inverse=True)
            per = sparse.csr_matrix((np.ones(n_s), (which, np.arange(n_s))), (len(codes), n_s))
            rows.append((block(per, n_p + n_w), -np.inf, float(a.max_sites_per_gemeente)))
    else:
        rows.append((block(x_by_site, 0), -np.inf, cap))
        if exclusive is not None and len(exclusive):  # overlapping sites share one capacity
            m = len(exclusive)
            both = sparse.csr_matrix((np.ones(2 * m), (np.tile(np.arange(m), 2),
                                                       exclusive.T.ravel())), (m, n_s))
            rows.append((block(both @ x_by_site, 0), -np.inf,
                         np.maximum(cap[exclusive[:, 0]], cap[exclusive[:, 1]])))
    codes: list[str] = []
    if keep_norms and n_g:
        norm_rows, codes = _norm_rows(work, i_w, kind, a, n_vars, n_p + n_w + n_y)
        rows += norm_rows
    constraints = [LinearConstraint(sparse.csr_matrix(m), lb, ub) for m, lb, ub in rows]
    integrality = np.concatenate([np.zeros(n_p + n_w), np.ones(n_y), np.zeros(3 * n_g)])
    upper = np.concatenate([np.full(n_p + n_w, np.inf), np.ones(n_y), np.full(3 * n_g, np.inf)])
    start = time.perf_counter()
    res = milp(c, integrality=integrality, bounds=Bounds(0, upper), constraints=constraints,
               options={"time_limit": time_limit, "disp": False})
    seconds = time.perf_counter() - start
    if res.x is None:
        raise PlanError(f"the solver found no plan: {res.message}")
    x, u = res.x[:n_p], res.x[n_p:n_p + n_w]
    flows = pd.DataFrame({"work_site": work.index.to_numpy()[i_w],
                          "site": sites.index.to_numpy()[i_s],
                          "workers": x, "distance_m": dist, "kind": kind})
    flows = flows[flows["workers"] > 1e-6].reset_index(drop=True)
    planned = flows.groupby("site")["workers"].sum()
    used = sites.loc[planned.index].assign(planned=planned.round(1))
    if choose:  # a site the solver opened without using it (free to open) is not suggested
        chosen = sites.index[(res.x[n_p + n_w:n_p + n_w + n_y] > 0.5)]
        chosen = chosen[chosen.isin(planned.index)]
        used = sites.loc[chosen].assign(planned=planned.reindex(chosen).round(1))
    shortage = pd.Series(u, index=work.index, name="shortage").clip(lower=0).round(6)
    return Plan(flows=flows.drop(columns="kind"), shortage=shortage, sites=used,
                split=_split(flows, work, sites, a), status=res.message, seconds=seconds,
                nearest=nearest, assumptions=a, by_gemeente=_by_gemeente(flows, work, a))


def _by_gemeente(flows: pd.DataFrame, work: gpd.GeoDataFrame, a: Assumptions) -> pd.DataFrame:
    """Demand, housed and the split per work gemeente, with the norms it does not meet."""
    min_own, max_sub, max_fur = _resolved(a, *_SPLIT_NORMS)
    demand = work.groupby("gemeente_code")["demand"].sum()
    g = work.loc[flows["work_site"], "gemeente_code"].to_numpy()
    housed = flows.groupby([g, flows["kind"].to_numpy()])["workers"].sum().unstack(fill_value=0)
    housed = housed.reindex(index=demand.index, columns=[0, 1, 2], fill_value=0.0)
    total = housed.sum(axis=1)
    shares = housed.div(total.where(total > 0), axis=0)
    out = pd.DataFrame({"demand": demand, "housed": total, "own": shares[0],
                        "subregio": shares[1], "further": shares[2]})
    tol = 1e-6
    own = np.where(out["own"] < min_own - tol, "own", "")
    sub = np.where(out["subregio"] > max_sub + tol, "subregio", "")
    fur = np.where(out["further"] > max_fur + tol, "further", "")
    out["binding"] = [" ".join(t for t in row if t) for row in zip(own, sub, fur, strict=True)]
    out.index.name = "gemeente_code"
    return out


_SPLIT_NORMS = ("min_share_own_gemeente", "max_share_elsewhere_in_subregio",
                "max_share_elsewhere")


def _split(flows: pd.DataFrame, work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame,
           a: Assumptions) -> pd.DataFrame:
    own, elsewhere, further = nl.SPLIT["own"], nl.SPLIT["subregio"], nl.SPLIT["further"]
    kind = np.array([own, elsewhere, further], dtype=object)[flows["kind"].to_numpy()]
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
           max_pairs: int | None = 2_000_000, time_limit: float = 60,
           keep_norms: bool = True) -> Plan:
    """
    Assign each work site's ``demand`` to sites within reach, at the least total distance.

    A linear programme: every site may be used, up to its ``capacity``; sites that are largely
    the same land share one capacity. With `keep_norms`, the region's split (at least 80% in
    the work gemeente, ...) holds per work gemeente as far as the sites allow: housing
    everyone comes first, then the norm, then the distance; where the norm cannot be met, the
    plan's ``by_gemeente`` says which norm binds.

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
                  time_limit=time_limit, keep_norms=keep_norms)


def suggest(work: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, assumptions: Assumptions, *,
            max_pairs: int | None = 30_000, time_limit: float = 120,
            keep_norms: bool = True) -> Plan:
    """
    Choose sites that together house the work sites' ``demand`` at the least total distance.

    A mixed-integer programme: a site is chosen or not, holds at most its ``capacity``,
    chosen sites lie at least ``min_spacing_m`` apart, at most ``max_sites_per_gemeente`` are
    chosen per gemeente, and of sites that are largely the same land (a park and a parcel in
    it) at most one. With `keep_norms` the region's split holds per work gemeente as far as the
    sites allow (see :func:`assign`). Demand that cannot be housed within reach is shortage.

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
                  time_limit=time_limit, keep_norms=keep_norms)
