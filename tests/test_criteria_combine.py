"""The compiled combination of every criterion's outcome equals numpy's, to the last bit."""

from __future__ import annotations

import numpy as np

from locscan.criteria.combine import combine


def _numpy(out, unknown, scores, weights, n):
    """The combination as evaluate() wrote it with numpy before."""
    excluded = np.zeros(n, dtype=bool)
    check = np.zeros(n, dtype=bool)
    for o, u in zip(out, unknown, strict=True):
        excluded |= o
        check |= u
    total = np.zeros(n)
    weight_sum = 0.0
    for s, w in zip(scores, weights, strict=True):
        total += np.fmax(s, 0.0) * w
        weight_sum = weight_sum + w
    weight_sum = np.broadcast_to(np.asarray(weight_sum, dtype=float), total.shape)
    score = np.divide(total, weight_sum, out=np.zeros_like(total), where=weight_sum > 0) * 100
    return ~excluded, check & ~excluded, score


def test_equal_to_numpy_with_unknowns_and_weights_per_gemeente():
    rng = np.random.default_rng(3)
    n = 10_001
    out = [rng.random(n) < 0.2 for _ in range(4)]
    unknown = [rng.random(n) < 0.05 for _ in range(4)]
    scores = [np.where(rng.random(n) < 0.1, np.nan, rng.random(n)) for _ in range(3)]
    weights = [3.0, np.where(rng.random(n) < 0.3, 5.0, 1.0), 0.5]  # one gemeente weighs more
    got = combine(out, unknown, scores, weights, n)
    want = _numpy(out, unknown, scores, weights, n)
    for g, w in zip(got, want, strict=True):
        assert np.array_equal(g, w)  # bit for bit, not approximately


def test_read_only_outcomes_mix_with_fresh_ones():
    frozen = np.array([True, False])
    frozen.flags.writeable = False  # a remembered outcome
    passes, check, score = combine([frozen, np.array([False, False])],
                                   [np.array([False, True])] * 2, [], [], 2)
    assert passes.tolist() == [False, True]
    assert check.tolist() == [False, True]
    assert score.tolist() == [0.0, 0.0]  # no soft criterion


def test_no_hard_criterion_excludes_nothing():
    passes, check, score = combine([], [], [np.array([0.5, np.nan])], [2.0], 2)
    assert passes.tolist() == [True, True]
    assert check.tolist() == [False, False]
    assert score.tolist() == [50.0, 0.0]
