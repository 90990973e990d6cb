"""Several people at once: 8 processes editing one shortlist, on SQLite and on PostgreSQL.

Every process runs 200 mixed operations (add, update with the version it read, remove, put
back) on 10 shared sites, some on purpose with a version read long before. Afterwards the
database must account for every operation: each one either applied (exactly one history row
under its own user name, with the version it announced) or reported a conflict to its caller;
versions per site run 1, 2, 3, ... without gaps or doubles; replaying the history gives the
stored rows. Nothing else may be raised.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest
from _toy import ROOT
from sqlalchemy import text

from locscan.errors import ConflictError
from locscan.shortlist import STATUSES, Shortlist

sys.path.insert(0, str(ROOT / "benchmarks"))
import pgserver

PROCESSES, OPERATIONS = 8, 200
SITES = [f"perceel:{i}" for i in range(10)]
_ctx = multiprocessing.get_context("fork")


def _operate(url: str, worker: int, n: int, out: str, seed: int) -> None:
    """Run `n` random operations; write one JSON line per operation as soon as it returns."""
    rng = random.Random(seed)
    with Shortlist(url, "gmr") as store:
        _operations(store, worker, n, out, rng)


def _operations(store: Shortlist, worker: int, n: int, out: str, rng: random.Random) -> None:
    seen: dict[str, list[dict]] = {}  # every row read, for stale writes
    with open(out, "a", encoding="utf-8") as log:
        for i in range(n):
            site = rng.choice(SITES)
            user = f"w{worker}-{i}"
            row = store.get(site)
            if row is not None:
                seen.setdefault(site, []).append(row)
            if row is not None and rng.random() < 0.2:
                row = rng.choice(seen[site])  # a version read earlier: may be stale
            version = 0 if row is None else row["version"]
            try:
                if row is None or not row["active"]:
                    done = store.add(site, user=user, expected_version=version, note=user)
                    op = "add"
                elif rng.random() < 0.25:
                    done = store.remove(site, user=user, expected_version=version)
                    op = "remove"
                else:
                    done = store.update(site, user=user, expected_version=version, note=user,
                                        status=rng.choice(STATUSES),
                                        capacity=rng.choice([None, 50, 80, 120]))
                    op = "update"
                record = {"op": op, "site": site, "user": user, "outcome": "applied",
                          "version": done["version"], "seen": version}
            except ConflictError:
                record = {"op": "?", "site": site, "user": user, "outcome": "conflict"}
            except Exception as exc:
                record = {"site": site, "user": user, "outcome": "error", "error": repr(exc)}
            log.write(json.dumps(record) + "\n")
            log.flush()


def _run_workers(url: str, folder: Path) -> list[dict]:
    Shortlist(url, "gmr").close()  # the schema, before the race on the data
    procs = []
    for w in range(PROCESSES):
        proc = _ctx.Process(target=_operate,
                            args=(url, w, OPERATIONS, str(folder / f"w{w}.jsonl"), w))
        proc.start()
        procs.append(proc)
    for proc in procs:
        proc.join(300)
        assert proc.exitcode == 0
    return [json.loads(line) for w in range(PROCESSES)
            for line in (folder / f"w{w}.jsonl").read_text().splitlines()]


def _check(store: Shortlist, records: list[dict], unconfirmed: int = 0) -> dict[str, int]:
    """
    Assert the database accounts for every operation; return the counts.

    `unconfirmed`: how many writes may be in the database without having been reported (a
    process killed between its commit and its log line).
    """
    errors = [r for r in records if r["outcome"] == "error"]
    assert not errors, errors[:5]
    history = store.history()
    applied = [r for r in records if r["outcome"] == "applied"]
    by_user = history.groupby("changed_by")["version"].agg(list).to_dict()
    lost = [r for r in applied if by_user.get(r["user"]) != [r["version"]]]
    assert not lost, lost[:5]  # every applied operation is exactly one history row
    phantom = set(by_user) - {r["user"] for r in applied}
    assert len(phantom) <= unconfirmed, phantom  # the history holds nothing nobody applied
    assert all(r["version"] == r["seen"] + 1 for r in applied)
    for site, rows_of_site in history.groupby("candidate_id"):
        versions = rows_of_site["version"].tolist()
        assert versions == list(range(1, len(versions) + 1)), (site, versions)
        state = {"note": "", "capacity": None, "status": "voorgesteld", "active": False}
        for _, h in rows_of_site.iterrows():  # replay
            for field, (_old, new) in h["changes"].items():
                state[field] = new
            state["active"] = h["action"] != "verwijderd"
        stored = store.get(site)
        assert stored["version"] == versions[-1]
        assert {k: stored[k] for k in state} == state, site
    return {"operations": len(records), "applied": len(applied),
            "conflicts": sum(r["outcome"] == "conflict" for r in records), "lost": len(lost)}


def _concurrent_first_start(url: str) -> list[str]:
    """8 processes open the same new database at the same moment; return their failures."""
    barrier = _ctx.Barrier(PROCESSES)
    queue = _ctx.Queue()

    def start(i: int) -> None:
        barrier.wait()
        try:
            with Shortlist(url, "gmr") as store:
                store.add(f"perceel:start{i}", user=f"p{i}")
            queue.put("")
        except Exception as exc:
            queue.put(repr(exc))

    procs = [_ctx.Process(target=start, args=(i,)) for i in range(PROCESSES)]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(60)
    return [r for r in results if r]


@pytest.fixture(scope="module")
def postgres():
    if not pgserver.available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing; .ci/run should have installed it")
        pytest.skip("PostgreSQL is not installed")
    with pgserver.postgres_server() as (conn, port):
        counter = iter(range(1000))

        def new_database() -> str:
            name = f"shortlist{next(counter)}"
            conn.execute(f"CREATE DATABASE {name}")
            return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"

        yield new_database


def test_eight_processes_on_sqlite_lose_nothing(tmp_path):
    url = f"sqlite:///{tmp_path}/shortlist.sqlite"
    records = _run_workers(url, tmp_path)
    with Shortlist(url, "gmr") as store:
        counts = _check(store, records)
    print("sqlite", counts)
    assert counts["operations"] == PROCESSES * OPERATIONS
    assert counts["applied"] > 500  # the race did happen: many writes, many conflicts
    assert counts["conflicts"] > 50


def test_eight_processes_on_postgresql_lose_nothing(tmp_path, postgres):
    url = postgres()
    records = _run_workers(url, tmp_path)
    with Shortlist(url, "gmr") as store:
        counts = _check(store, records)
    print("postgresql", counts)
    assert counts["operations"] == PROCESSES * OPERATIONS
    assert counts["applied"] > 500
    assert counts["conflicts"] > 50


def test_concurrent_first_start_on_an_empty_sqlite_database(tmp_path):
    for round_ in range(5):
        url = f"sqlite:///{tmp_path}/new{round_}/shortlist.sqlite"
        assert _concurrent_first_start(url) == []
        with Shortlist(url, "gmr") as store:
            assert len(store.items()) == PROCESSES


def test_concurrent_first_start_on_an_empty_postgresql_database(postgres):
    for _ in range(5):
        url = postgres()
        assert _concurrent_first_start(url) == []
        with Shortlist(url, "gmr") as store:
            assert len(store.items()) == PROCESSES


def test_a_writer_killed_mid_burst_leaves_every_confirmed_write(tmp_path):
    url = f"sqlite:///{tmp_path}/shortlist.sqlite"
    Shortlist(url, "gmr").close()
    log = tmp_path / "killed.jsonl"
    proc = _ctx.Process(target=_operate, args=(url, 0, 100_000, str(log), 1))
    proc.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (not log.exists() or log.stat().st_size < 20_000):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)
    records = [json.loads(line) for line in log.read_text().splitlines() if line.endswith("}")]
    assert len(records) > 100
    with Shortlist(url, "gmr") as store:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        _check(store, records, unconfirmed=1)  # every confirmed write; at most the last one not
