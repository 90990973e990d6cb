"""Every criterion's outcome combined per candidate in one pass over memory (compiled).

After a threshold change one criterion is judged again (its outcome is remembered per scan);
what is left is combining all of them: a candidate passes when no hard criterion excludes it,
is to be checked when one could not judge it, and scores the weighted mean of the soft scores.
With numpy that is some twenty passes over arrays of millions of values, each into a fresh
array; here it is one pass, on every core, so that re-evaluating a whole country stays fast.
The arithmetic is numpy's, in the same order, so the scores are the same to the last bit.
"""

from __future__ import annotations

import numpy as np

__all__ = ["combine"]


def _kernel():
    from numba import njit, prange

    @njit(parallel=True, cache=True, nogil=True)
    def kernel(out, unknown, scores, weights, passes, check, score):  # pragma: no cover
        for i in prange(passes.shape[0]):
            excluded = False
            unsure = False
            for k in range(len(out)):
                excluded |= out[k][i]
                unsure |= unknown[k][i]
            total = 0.0
            weight = 0.0
            for j in range(len(scores)):
                w = weights[j][i] if weights[j].shape[0] > 1 else weights[j][0]
                s = scores[j][i]
                total += (s if s > 0.0 else 0.0) * w  # an unknown score (NaN) counts as 0
                weight += w
            passes[i] = not excluded
            check[i] = unsure and not excluded
            score[i] = total / weight * 100.0 if weight > 0.0 else 0.0

    return kernel


_KERNEL = None


def _read_only(arrays: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """
    Read-only views of every array: one type for the compiled loop.

    Remembered outcomes are read-only, fresh ones are not.
    """
    views = tuple(a.view() for a in arrays)
    for v in views:
        v.flags.writeable = False
    return views


def combine(out: list[np.ndarray], unknown: list[np.ndarray], scores: list[np.ndarray],
            weights: list[float | np.ndarray], n: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    Whether each candidate passes, is to be checked, and its score (0–100).

    Parameters
    ----------
    out, unknown
        Per hard criterion: whether it excludes each candidate, and whether it could not
        judge it.
    scores, weights
        Per soft criterion: the score (0–1, NaN unknown) and its weight (one, or one per
        candidate where gemeenten weigh it differently).
    n
        The number of candidates.

    Examples
    --------
    >>> passes, check, score = combine(
    ...     [np.array([False, True, False])], [np.array([True, False, False])],
    ...     [np.array([1.0, 0.5, np.nan]), np.array([0.0, 1.0, 1.0])], [3.0, 1.0], 3)
    >>> passes.tolist(), check.tolist(), score.tolist()
    ([True, False, True], [True, False, False], [75.0, 62.5, 25.0])
    """
    global _KERNEL
    if _KERNEL is None:
        _KERNEL = _kernel()
    none = [np.zeros(n, dtype=bool)]  # no hard criterion: nothing excludes
    out = [np.ascontiguousarray(a, dtype=bool) for a in out] or none
    unknown = [np.ascontiguousarray(a, dtype=bool) for a in unknown] or none
    if not scores:  # no soft criterion: a weight of 0, so a score of 0
        scores, weights = [np.zeros(n)], [0.0]
    scores = [np.ascontiguousarray(a, dtype=np.float64) for a in scores]
    weights = [np.ascontiguousarray(np.atleast_1d(np.asarray(w, dtype=np.float64)))
               for w in weights]
    passes, check, score = np.empty(n, dtype=bool), np.empty(n, dtype=bool), np.empty(n)
    _KERNEL(_read_only(out), _read_only(unknown), _read_only(scores), _read_only(weights),
            passes, check, score)
    return passes, check, score
