"""The Dutch vocabulary: every relation shown for a failing criterion is the opposite one."""

from __future__ import annotations

import operator

import pytest

from locscan import nl

SYMBOL = {"<": operator.lt, "≤": operator.le, ">": operator.gt, "≥": operator.ge,
          "=": operator.eq, "≠": operator.ne}


@pytest.mark.parametrize("op", ["<", "<=", ">", ">=", "==", "!="])
def test_the_broken_relation_is_the_opposite_of_the_one_that_holds(op):
    holds, broken = SYMBOL[nl.HOLDS[op]], SYMBOL[nl.BROKEN[op]]
    for x, y in [(1, 2), (2, 2), (3, 2)]:
        assert holds(x, y) != broken(x, y), (op, x, y)


def test_every_operator_has_both_words_and_outcomes_cover_the_codes():
    assert set(nl.HOLDS) == set(nl.BROKEN)
    assert sorted(nl.OUTCOME) == [-1, 0, 1]
    assert len(set(nl.STATUS.values())) == 3
    assert "DEMO" in nl.DEMO_LABEL
