"""Candidate ids looked up through the index's own hash table."""

from __future__ import annotations

import pandas as pd

from locscan.ids import member, prepare_lookup, same_index


def test_member_marks_the_rows_whose_id_is_asked_for_arrow_strings_too():
    index = pd.Index(["perceel:1", "perceel:2", "bedrijventerrein:3"], dtype="string[pyarrow]")
    got = member(index, ["bedrijventerrein:3", "perceel:9", "perceel:1", "perceel:1"])
    assert got.tolist() == [True, False, True]
    assert member(index, iter(())).tolist() == [False, False, False]


def test_a_prepared_index_answers_the_same():
    index = pd.Index([f"perceel:{i}" for i in range(1000)], dtype="string[pyarrow]")
    prepare_lookup(index)
    assert index.get_loc("perceel:999") == 999
    assert member(index, ["perceel:0"]).sum() == 1


def test_a_table_indexed_like_the_candidates_gets_their_index_object():
    ids = pd.Index(["a", "b"])
    table = pd.DataFrame({"x": [1, 2]}, index=pd.Index(["a", "b"]))
    assert same_index(table, ids).index is ids
    other = pd.DataFrame({"x": [1, 2]}, index=pd.Index(["b", "a"]))
    assert same_index(other, ids) is other  # another order: left as it is
