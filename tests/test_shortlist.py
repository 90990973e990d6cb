from __future__ import annotations

import pytest

from locscan.errors import LocscanError
from locscan.shortlist import ConflictError, Shortlist


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path}/db/shortlist.sqlite"


def test_add_update_and_history_survive_a_new_connection(url):
    first = Shortlist(url, "gmr")
    item = first.add("perceel:1", user="Anna", gemeente="Duiven", subregio="Liemers",
                     criteria="gmr 1", score=80.5)
    assert (item["version"], item["status"], item["created_by"]) == (1, "voorgesteld", "Anna")
    first.update("perceel:1", user="Bram", expected_version=1, status="in onderzoek",
                 note="Eigenaar gebeld", capacity=80)
    again = Shortlist(url, "gmr")  # another process, another session
    row = again.get("perceel:1")
    assert (row["status"], row["note"], row["capacity"], row["version"]) == (
        "in onderzoek", "Eigenaar gebeld", 80, 2)
    assert row["updated_by"] == "Bram"
    history = again.history("perceel:1")
    assert history["action"].tolist() == ["toegevoegd", "gewijzigd"]
    assert history.iloc[1]["changes"] == {"status": ["voorgesteld", "in onderzoek"],
                                          "note": ["", "Eigenaar gebeld"],
                                          "capacity": [None, 80]}
    assert Shortlist(url, "andere-regio").items().empty


def test_two_sessions_never_overwrite_each_other(url):
    anna, bram = Shortlist(url, "gmr"), Shortlist(url, "gmr")
    version = anna.add("perceel:1", user="Anna")["version"]
    bram.update("perceel:1", user="Bram", expected_version=version, note="van Bram")
    with pytest.raises(ConflictError, match=r"intussen gewijzigd door Bram .*versie 2; u werkte "
                                            r"met versie 1") as err:
        anna.update("perceel:1", user="Anna", expected_version=version, note="van Anna")
    assert err.value.current["note"] == "van Bram"
    assert anna.get("perceel:1")["note"] == "van Bram"
    anna.update("perceel:1", user="Anna", expected_version=2, note="van Anna")
    assert bram.items().loc["perceel:1", "note"] == "van Anna"


def test_remove_keeps_the_row_and_adding_again_restores_it(url):
    sl = Shortlist(url, "gmr")
    sl.add("perceel:1", user="Anna", note="eerste notitie")
    sl.remove("perceel:1", user="Anna", expected_version=1)
    assert sl.items().empty
    assert sl.items(include_removed=True).loc["perceel:1", "note"] == "eerste notitie"
    back = sl.add("perceel:1", user="Bram")
    assert (back["version"], back["note"], back["active"]) == (3, "eerste notitie", True)
    assert sl.history("perceel:1")["action"].tolist() == ["toegevoegd", "verwijderd",
                                                          "teruggezet"]


def test_adding_a_site_that_is_on_the_list_is_a_conflict_that_changes_nothing(url):
    sl = Shortlist(url, "gmr")
    sl.add("perceel:1", user="Anna")
    with pytest.raises(ConflictError, match="perceel:1 staat al op de shortlist, gezet door "
                                            "Anna") as err:
        sl.add("perceel:1", user="Bram", note="van Bram")
    assert err.value.current["created_by"] == "Anna"
    assert sl.get("perceel:1")["note"] == ""
    assert len(sl.history()) == 1


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"status": "misschien"}, "unknown status 'misschien'; use one of voorgesteld"),
    ({"capacity": -3}, "capacity must be a whole number ≥ 0"),
    ({"capacity": 2.5}, "capacity must be a whole number ≥ 0"),
    ({"user": " "}, "a name is required"),
])
def test_bad_changes_are_refused(url, kwargs, message):
    sl = Shortlist(url, "gmr")
    sl.add("perceel:1", user="Anna")
    args = {"user": "Anna", "expected_version": 1} | kwargs
    with pytest.raises(LocscanError, match=message):
        sl.update("perceel:1", **args)
    assert sl.get("perceel:1")["version"] == 1


def test_updating_a_site_that_is_not_on_the_list(url):
    with pytest.raises(LocscanError, match="perceel:9 staat niet op de shortlist"):
        Shortlist(url, "gmr").update("perceel:9", user="Anna", expected_version=1, note="x")
