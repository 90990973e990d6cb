"""The shortlist of one region: add, update, remove, each a compare-and-set on a version.

Every change names the version of the site that the user saw. The write happens only when the
stored site still has that version (``UPDATE ... WHERE version = seen``, or an insert that the
primary key refuses when a colleague added the site first); otherwise the caller gets a
:class:`ConflictError` carrying the colleague's version, and nothing is written. Each applied
change is one new version of the site's row and exactly one row in the history (a unique
constraint holds the database to it). Removing a site only marks it removed.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, and_, create_engine, event, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from locscan import nl, settings
from locscan.errors import ConflictError, ShortlistError
from locscan.shortlist import migrate
from locscan.shortlist.schema import history, items

__all__ = ["KEEP", "STATUSES", "Shortlist", "default_url", "engine_for"]

#: statuses a site on the shortlist can have, in the order of the working group's process
STATUSES = nl.SHORTLIST_STATUSES

_FIELDS = ("status", "note", "capacity")


class _Keep:
    """Marker for "leave this field as it is" (``None`` means unknown for capacity)."""

    def __repr__(self) -> str:
        return "KEEP"


#: pass for a field that a change leaves as it is
KEEP: Any = _Keep()


def default_url() -> str:
    """Database URL: ``$LOCSCAN_DB`` or :data:`locscan.settings.shortlist_url`."""
    return os.environ.get("LOCSCAN_DB", settings.shortlist_url)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL: readers do not block the writer. Switching a new file to WAL while another process
    # does the same fails at once as "locked" (SQLite does not wait there), so try again.
    deadline = time.monotonic() + 30
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # take the write lock at the start: a read-then-write transaction never finds at its
    # write that another one wrote since its read (which SQLite reports as busy, unretried)
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def engine_for(url: str) -> Engine:
    """
    An engine for the shortlist database at `url`, with its schema brought up to date.

    SQLite gets WAL, a busy timeout and write transactions that lock at their start; a SQLite
    file's folder is created when missing.
    """
    parsed = make_url(url)
    sqlite = parsed.drivername.startswith("sqlite")
    if sqlite and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if sqlite:
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        migrate.upgrade(engine)
    except OperationalError as exc:
        raise ShortlistError(f"shortlist database {parsed.render_as_string()}: cannot be "
                             f"opened or upgraded ({exc.orig})") from exc
    return engine


@dataclass(frozen=True)
class _Change:
    values: dict[str, Any]


class Shortlist:
    """
    The shortlist of one region in a database.

    Parameters
    ----------
    url
        SQLAlchemy database URL (``$LOCSCAN_DB`` or the default SQLite file when ``None``).
    region
        The region's identity (:attr:`locscan.region.Region.key`): several regions can share
        one database, and two region folders with the same name do not share a shortlist.

    Examples
    --------
    >>> sl = Shortlist("sqlite://", "demo")
    >>> item = sl.add("perceel:1", user="Anna", gemeente="Duiven", subregio="Liemers")
    >>> sl.update("perceel:1", user="Bram", expected_version=item["version"],
    ...           status="in onderzoek")["version"]
    2
    >>> sl.items()["status"].tolist()
    ['in onderzoek']
    """

    def __init__(self, url: str | None = None, region: str = "default") -> None:
        self.engine: Engine = engine_for(url or default_url())
        self.region = region

    def close(self) -> None:
        """Close the database connections (also done on leaving a ``with`` block)."""
        self.engine.dispose()

    def __enter__(self) -> Shortlist:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _key(self, candidate_id: str) -> Any:
        return and_(items.c.region == self.region, items.c.candidate_id == candidate_id)

    def _row(self, conn: Connection, candidate_id: str) -> dict[str, Any] | None:
        row = conn.execute(select(items).where(self._key(candidate_id))).mappings().first()
        return dict(row) if row else None

    def get(self, candidate_id: str) -> dict[str, Any] | None:
        """The stored row of a site (also when removed), or ``None``."""
        with self.engine.connect() as conn:
            return self._row(conn, candidate_id)

    @contextmanager
    def _write(self, candidate_id: str, seen: int | None) -> Iterator[Connection]:
        """A write transaction; a colleague's concurrent insert becomes a ConflictError."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except IntegrityError:
            raise _conflict(candidate_id, self.get(candidate_id), seen, adding=True) from None

    def add(
        self,
        candidate_id: str,
        *,
        user: str,
        expected_version: int | None = None,
        subregio: str = "",
        gemeente: str = "",
        status: str = "voorgesteld",
        note: Any = KEEP,
        capacity: Any = KEEP,
        criteria: str = "",
        score: float | None = None,
    ) -> dict[str, Any]:
        """
        Put a site on the shortlist, or back on it after it was removed.

        Parameters
        ----------
        expected_version
            The version of the site that the user saw: 0 when it was never on the shortlist,
            the removed site's version to put it back. ``None`` accepts whatever is stored, as
            long as the site is not on the shortlist now (for plans and scripts).
        note, capacity
            Set them; by default a new site has no note and an unknown capacity, and a site put
            back keeps its earlier ones.

        Raises
        ------
        ConflictError
            When the site is on the shortlist already, or changed since `expected_version`.
        """
        user = _user(user)
        change = _validate(status, note, capacity)
        now = datetime.now(UTC)
        with self._write(candidate_id, expected_version) as conn:
            row = self._row(conn, candidate_id)
            stored = row["version"] if row else 0
            if (row and row["active"]) or expected_version not in (None, stored):
                raise _conflict(candidate_id, row, expected_version, adding=True)
            if row is None:
                fields = {"note": "", "capacity": None} | change.values
                conn.execute(insert(items).values(
                    region=self.region, candidate_id=candidate_id, subregio=subregio,
                    gemeente=gemeente, active=True, version=1, criteria=criteria, score=score,
                    created_by=user, created_at=now, updated_by=user, updated_at=now, **fields,
                ))
                diff = {f: [None, v] for f, v in fields.items() if v not in (None, "")}
                self._log(conn, candidate_id, 1, "toegevoegd", diff, user, now)
            else:
                diff = {f: [row[f], v] for f, v in change.values.items() if row[f] != v}
                self._cas(conn, candidate_id, stored, {**change.values, "active": True},
                          user, now, active=False)
                self._log(conn, candidate_id, stored + 1, "teruggezet", diff, user, now)
            return self._row(conn, candidate_id)

    def update(
        self,
        candidate_id: str,
        *,
        user: str,
        expected_version: int,
        status: Any = KEEP,
        note: Any = KEEP,
        capacity: Any = KEEP,
    ) -> dict[str, Any]:
        """
        Change status, note and/or capacity (``None``: unknown) of a site on the shortlist.

        Nothing is written when the values are the ones stored.

        Raises
        ------
        ConflictError
            When the stored version is not `expected_version`; the message says who changed
            the site when, and the error carries the stored row.
        ShortlistError
            When the site is not on the shortlist or a value is invalid.
        """
        user = _user(user)
        change = _validate(status, note, capacity)
        now = datetime.now(UTC)
        with self._write(candidate_id, expected_version) as conn:
            row = self._require(conn, candidate_id, expected_version)
            diff = {f: [row[f], v] for f, v in change.values.items() if row[f] != v}
            if not diff:
                return row
            self._cas(conn, candidate_id, expected_version, change.values, user, now)
            self._log(conn, candidate_id, expected_version + 1, "gewijzigd", diff, user, now)
            return self._row(conn, candidate_id)

    def remove(self, candidate_id: str, *, user: str, expected_version: int) -> dict[str, Any]:
        """Mark a site as removed (kept in the database and the history)."""
        user = _user(user)
        now = datetime.now(UTC)
        with self._write(candidate_id, expected_version) as conn:
            self._require(conn, candidate_id, expected_version)
            self._cas(conn, candidate_id, expected_version, {"active": False}, user, now)
            self._log(conn, candidate_id, expected_version + 1, "verwijderd", {}, user, now)
            return self._row(conn, candidate_id)

    def _cas(self, conn: Connection, candidate_id: str, seen: int, values: dict[str, Any],
             user: str, now: datetime, *, active: bool = True) -> None:
        """Write `values` as version ``seen + 1`` if the site is still at `seen`."""
        done = conn.execute(
            update(items)
            .where(self._key(candidate_id), items.c.version == seen, items.c.active == active)
            .values(**values, version=seen + 1, updated_by=user, updated_at=now)
        )
        if done.rowcount != 1:
            raise _conflict(candidate_id, self._row(conn, candidate_id), seen)

    def _require(self, conn: Connection, candidate_id: str, seen: int) -> dict[str, Any]:
        row = self._row(conn, candidate_id)
        if row is None:
            raise ShortlistError(f"shortlist: {candidate_id} staat niet op de shortlist")
        if row["version"] != seen:
            raise _conflict(candidate_id, row, seen)
        if not row["active"]:
            raise ShortlistError(f"shortlist: {candidate_id} staat niet op de shortlist")
        return row

    def _log(self, conn: Connection, candidate_id: str, version: int, action: str,
             changes: dict, user: str, now: datetime) -> None:
        conn.execute(insert(history).values(
            region=self.region, candidate_id=candidate_id, version=version, action=action,
            changes=changes, changed_by=user, changed_at=now,
        ))

    def items(self, *, include_removed: bool = False) -> pd.DataFrame:
        """The sites on the shortlist, newest change first, indexed by candidate id."""
        query = select(items).where(items.c.region == self.region)
        if not include_removed:
            query = query.where(items.c.active.is_(True))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(items.c.updated_at.desc())).mappings().all()
        columns = [c.name for c in items.columns]
        return pd.DataFrame([dict(r) for r in rows], columns=columns).set_index("candidate_id")

    def history(self, candidate_id: str | None = None) -> pd.DataFrame:
        """Every applied version, oldest first; for one site when `candidate_id` is given."""
        query = select(history).where(history.c.region == self.region)
        if candidate_id is not None:
            query = query.where(history.c.candidate_id == candidate_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(history.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in history.columns])


def _user(user: str) -> str:
    user = " ".join((user or "").split())  # one line: no newlines or tabs in a stored name
    if not user:
        raise ShortlistError("shortlist: say who makes the change (a name is required)")
    if len(user) > 200:
        raise ShortlistError("shortlist: a name is at most 200 characters")
    return user


def _validate(status: Any, note: Any, capacity: Any) -> _Change:
    values: dict[str, Any] = {}
    if status is not KEEP and status is not None:
        if status not in STATUSES:
            raise ShortlistError(f"shortlist: unknown status {status!r}; use one of "
                                 f"{', '.join(STATUSES)}")
        values["status"] = status
    if note is not KEEP and note is not None:
        values["note"] = str(note)
    if capacity is not KEEP:
        if capacity is not None:
            try:
                whole = int(capacity) == capacity and capacity >= 0
            except (TypeError, ValueError):
                whole = False
            if not whole:
                raise ShortlistError(f"shortlist: capacity must be a whole number ≥ 0 or "
                                     f"unknown, got {capacity!r}")
            capacity = int(capacity)
        values["capacity"] = capacity
    return _Change(values)


def _conflict(candidate_id: str, current: dict[str, Any] | None, expected: int | None,
              *, adding: bool = False) -> ConflictError:
    if current is None:
        return ConflictError(f"{candidate_id} bestaat niet (meer) op de shortlist", {})
    when = current["updated_at"]
    stamp = when.strftime("%d-%m-%Y %H:%M") if hasattr(when, "strftime") else str(when)
    if adding and current["active"]:
        lead = f"{candidate_id} staat al op de shortlist, gezet door {current['updated_by']}"
    else:
        lead = f"{candidate_id} is intussen gewijzigd door {current['updated_by']}"
    seen = "" if expected is None else f"; u werkte met versie {expected}"
    return ConflictError(
        f"{lead} ({stamp}, versie {current['version']}{seen}). Uw wijziging is niet "
        "opgeslagen; bekijk de nieuwe gegevens en probeer het opnieuw.",
        current,
    )
