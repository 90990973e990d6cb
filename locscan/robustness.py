"""How robust is the ranking? Monte Carlo over the weights and the thresholds, on cached measures.

Each run draws every soft criterion's weight (by default within ±50% of its own, or within the
``weight_range`` the criteria file declares) and every hard threshold that declares a ``range``,
evaluates the longlist again and ranks it. Nothing spatial is computed: the soft scores (0–1 per
criterion) do not depend on the weights, so the scores of a batch of runs are one matrix
product, and a threshold only compares the cached measure again. Per site the result says in how
many runs it is in the top N and its rank interval, and flags fragile rankings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from locscan.criteria import (
    HardCriterion,
    Result,
    gemeente_groups,
    hard_status,
    kept,
    soft_score,
)
from locscan.errors import CriteriaError

__all__ = ["Robustness", "robustness"]


@dataclass(frozen=True)
class Robustness:
    """
    The outcome of a robustness run.

    Attributes
    ----------
    table
        Per site that was in the top `top_n` in the base ranking or in any run: ``base_rank``
        (0 when not on the base longlist), ``top_share`` (share of runs in the top N),
        ``longlist_share`` (share of runs on the longlist), ``rank_p05``, ``rank_median`` and
        ``rank_p95`` (ranks below `tracked` are counted as ``tracked + 1``), and ``fragile``.
        Sorted by base rank, then by top share.
    runs, top_n, tracked, spread, seed
        The settings: runs, the size of the top, how deep ranks are followed, the weight
        spread used where the criteria declare no range, and the random seed.
    varied
        The criteria that were varied: soft criteria by weight, hard ones by threshold.
    """

    table: pd.DataFrame
    runs: int
    top_n: int
    tracked: int
    spread: float
    seed: int
    varied: list[str]


def _weights_per_run(result: Result, rng: np.random.Generator, runs: int, spread: float
                     ) -> np.ndarray:
    """Factors (runs × soft criteria) on each criterion's weight."""
    out = np.empty((runs, len(result.criteria.soft)))
    for k, crit in enumerate(result.criteria.soft):
        low, high = (1 - spread, 1 + spread)
        if crit.weight_range is not None and crit.weight > 0:
            low, high = crit.weight_range[0] / crit.weight, crit.weight_range[1] / crit.weight
        out[:, k] = rng.uniform(low, high, runs)
    return out


def _ranks_in_top(scores: np.ndarray, passes: np.ndarray, tracked: int) -> np.ndarray:
    """
    Rank (1 = best) of every candidate in one run, for the best `tracked`.

    The others get ``tracked + 1``. Ties keep the candidate order, like the longlist.
    """
    n = len(scores)
    masked = np.where(passes, scores, -np.inf)
    k = min(tracked, int(passes.sum()))
    ranks = np.full(n, tracked + 1, dtype=np.int32)
    if k == 0:
        return ranks
    best = np.argpartition(-masked, k - 1)[:k] if k < n else np.arange(n)
    order = best[np.lexsort((best, -masked[best]))]
    ranks[order[:k]] = np.arange(1, k + 1)
    return ranks


def robustness(result: Result, *, runs: int = 1000, top_n: int = 20, spread: float = 0.5,
               seed: int = 0, tracked: int | None = None, batch: int = 50) -> Robustness:
    """
    Monte Carlo over weights and thresholds of an evaluated criteria set.

    Parameters
    ----------
    result
        The evaluated criteria set (:meth:`locscan.scan.Scan.evaluate`).
    runs
        Number of runs.
    top_n
        The top whose membership is counted ("in the top 20 in 85% of runs").
    spread
        Each weight is drawn uniformly within ± this share of itself, unless its criterion
        declares a ``weight_range``.
    seed
        Random seed: the same seed gives the same answer.
    tracked
        How deep ranks are followed (default ``5 × top_n``).
    batch
        Runs evaluated per matrix product (memory: candidates × batch floats).

    Returns
    -------
    Robustness
        Per site the share of runs in the top N, the rank interval, and the fragile flag: a
        site in the base top N that is in it in fewer than 80% of runs, or a site outside it
        that enters it in more than 20%.
    """
    if runs < 1 or top_n < 1:
        raise CriteriaError("robustness: runs and top_n must be at least 1")
    crit = result.criteria
    tracked = tracked or 5 * top_n
    rng = np.random.default_rng(seed)
    groups = gemeente_groups(result.candidates["gemeente_code"], list(result.overrides))
    ranged = [c for c in crit.hard if c.range is not None]
    fixed = np.ones(len(result.measures), dtype=bool)
    for c in crit.hard:
        if c.range is None:
            fixed &= _passes(c, result, groups)
    # only a candidate that passes at the most lenient end of every range can ever rank
    possible = fixed.copy()
    for c in ranged:
        lenient = c.range[0] if c.op in (">", ">=") else c.range[1]
        possible &= _passes(c.model_copy(update={"value": float(lenient)}), result, groups)
    rows = np.flatnonzero(possible)
    table = result.measures.iloc[rows]
    sub_groups = {code: mask[rows] for code, mask in groups.items()}
    n = len(rows)
    scores, weights = [], []
    for c in crit.soft:
        s, w = soft_score(c, crit.measures[c.measure], table, sub_groups, result.overrides)
        scores.append(np.fmax(s, 0.0))  # unknown counts as 0, as in the evaluation
        weights.append(np.broadcast_to(np.asarray(w, dtype=float), (n,)))
    s_mat = np.column_stack(scores) if scores else np.zeros((n, 0))
    w_mat = np.column_stack(weights) if weights else np.zeros((n, 0))
    sw_mat = s_mat * w_mat
    factors = _weights_per_run(result, rng, runs, spread)
    thresholds = {c.id: rng.uniform(*c.range, runs) for c in ranged}
    ranged_values = {c.id: _passes_each(c, result, groups, rows) for c in ranged}
    ranks = np.empty((runs, n), dtype=np.int32)
    on_list = np.zeros(n, dtype=np.int64)
    for start in range(0, runs, batch):
        f = factors[start:start + batch]
        num = sw_mat @ f.T
        den = w_mat @ f.T
        run_scores = np.divide(num, den, out=np.zeros_like(num), where=den > 0) * 100
        for b in range(f.shape[0]):
            passes = np.ones(n, dtype=bool)
            for c in ranged:
                passes &= ranged_values[c.id](thresholds[c.id][start + b])
            on_list += passes
            ranks[start + b] = _ranks_in_top(run_scores[:, b], passes, tracked)
    base = result.rank.to_numpy()[rows]
    keep = ((base > 0) & (base <= top_n)) | (ranks <= top_n).any(axis=0)
    r = ranks[:, keep]
    top_share = (r <= top_n).mean(axis=0)
    base_kept = base[keep]
    in_base_top = (base_kept > 0) & (base_kept <= top_n)
    out = pd.DataFrame({
        "base_rank": base_kept,
        "top_share": top_share,
        "longlist_share": on_list[keep] / runs,
        "rank_p05": np.percentile(r, 5, axis=0, method="lower"),
        "rank_median": np.percentile(r, 50, axis=0, method="lower"),
        "rank_p95": np.percentile(r, 95, axis=0, method="higher"),
        "fragile": np.where(in_base_top, top_share < 0.8, top_share > 0.2),
    }, index=result.candidates.index[rows[keep]])
    out = out.assign(_b=np.where(out["base_rank"] > 0, out["base_rank"], np.iinfo(np.int64).max))
    out = out.sort_values(["_b", "top_share"], ascending=[True, False], kind="stable")
    varied = [c.id for c in crit.soft] + [c.id for c in ranged]
    return Robustness(out.drop(columns="_b"), runs, top_n, tracked, spread, seed, varied)


def _passes(crit: HardCriterion, result: Result, groups: dict[str, np.ndarray]) -> np.ndarray:
    """Whether each candidate passes one hard criterion (an unknown "check" passes)."""
    spec = result.criteria.measures[crit.measure]
    return kept(crit, hard_status(crit, spec, result.measures, groups, result.overrides))


def _passes_each(crit: HardCriterion, result: Result, groups: dict[str, np.ndarray],
                 rows: np.ndarray):
    """A function: threshold -> whether each of `rows` passes `crit` at that threshold."""
    sub = result.measures.iloc[rows]
    sub_groups = {code: mask[rows] for code, mask in groups.items()}
    spec = result.criteria.measures[crit.measure]

    def at(threshold: float) -> np.ndarray:
        drawn = crit.model_copy(update={"value": float(threshold)})
        return kept(crit, hard_status(drawn, spec, sub, sub_groups, result.overrides))

    return at
