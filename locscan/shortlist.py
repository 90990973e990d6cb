"""The working group's shortlist: sites with status, note and capacity, kept in a database.

Stored through SQLAlchemy in any database it speaks (a SQLite file by default, PostgreSQL by
URL). Every change is a new version of the site's row and a row in the history, with who and
when. Changes use optimistic locking: an update names the version it was based on, and when
somebody else changed the site in the meantime it raises :class:`ConflictError` instead of
overwriting. Removing a site only marks it removed; nothing is deleted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url

from locscan import nl, settings
from locscan.errors import ConflictError, ShortlistError

__all__ = ["STATUSES", "ConflictError", "Shortlist", "default_url"]

#: statuses a site on the shortlist can have, in the order of the working group's process
STATUSES = nl.SHORTLIST_STATUSES

_meta = MetaData()
_items = Table(
    "shortlist_item", _meta,
    Column("region", String(200), primary_key=True),
    Column("candidate_id", String(300), primary_key=True),
    Column("subregio", String(200)),
    Column("gemeente", String(200)),
    Column("status", String(40), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("capacity", Integer),
    Column("active", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False),
    Column("criteria", String(300)),
    Column("score", Float),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
_history = Table(
    "shortlist_history", _meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region", String(200), nullable=False, index=True),
    Column("candidate_id", String(300), nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", String(40), nullable=False),
    Column("changes", JSON, nullable=False),
    Column("changed_by", String(200), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)
_FIELDS = ("status", "note", "capacity")


def default_url() -> str:
    """Database URL: ``$LOCSCAN_DB`` or :data:`locscan.settings.shortlist_url`."""
    return os.environ.get("LOCSCAN_DB", settings.shortlist_url)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@dataclass(frozen=True)
class _Change:
    status: str | None
    note: str | None
    capacity: int | None


class Shortlist:
    """
    The shortlist of one region in a database.

    Parameters
    ----------
    url
        SQLAlchemy database URL; a SQLite file's folder is created when missing.
    region
        Name of the region (several regions can share one database).

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
        url = url or default_url()
        parsed = make_url(url)
        if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "",
                                                                              ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url)
        if parsed.drivername.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        _meta.create_all(self.engine)
        self.region = region

    def _row(self, conn: Any, candidate_id: str) -> dict[str, Any] | None:
        row = conn.execute(select(_items).where(self._key(candidate_id))).mappings().first()
        return dict(row) if row else None

    def _key(self, candidate_id: str) -> Any:
        return and_(_items.c.region == self.region, _items.c.candidate_id == candidate_id)

    def get(self, candidate_id: str) -> dict[str, Any] | None:
        """The stored row of a site (also when removed), or ``None``."""
        with self.engine.connect() as conn:
            return self._row(conn, candidate_id)

    def add(
        self,
        candidate_id: str,
        *,
        user: str,
        subregio: str = "",
        gemeente: str = "",
        status: str = "voorgesteld",
        note: str = "",
        capacity: int | None = None,
        criteria: str = "",
        score: float | None = None,
    ) -> dict[str, Any]:
        """
        Put a site on the shortlist; a site already on it is returned unchanged.

        A removed site comes back with its earlier note and a new version.
        """
        user = _user(user)
        change = _validate(status, note, capacity)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            row = self._row(conn, candidate_id)
            if row and row["active"]:
                return row
            if row:
                values = {"active": True, "status": change.status, "version": row["version"] + 1,
                          "updated_by": user, "updated_at": now}
                conn.execute(update(_items).where(self._key(candidate_id)).values(**values))
                action, version = "teruggezet", row["version"] + 1
            else:
                conn.execute(insert(_items).values(
                    region=self.region, candidate_id=candidate_id, subregio=subregio,
                    gemeente=gemeente, status=change.status, note=change.note or "",
                    capacity=change.capacity, active=True, version=1, criteria=criteria,
                    score=score, created_by=user, created_at=now, updated_by=user,
                    updated_at=now,
                ))
                action, version = "toegevoegd", 1
            self._log(conn, candidate_id, version, action,
                      {"status": [None, change.status]}, user, now)
            return self._row(conn, candidate_id)

    def update(
        self,
        candidate_id: str,
        *,
        user: str,
        expected_version: int,
        status: str | None = None,
        note: str | None = None,
        capacity: int | None = None,
    ) -> dict[str, Any]:
        """
        Change status, note and/or capacity, if nobody changed the site since `expected_version`.

        Raises
        ------
        ConflictError
            When the stored version differs; the message says who changed it when.
        LocscanError
            When the site is not on the shortlist or a value is invalid.
        """
        user = _user(user)
        change = _validate(status, note, capacity)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            row = self._require(conn, candidate_id)
            values = {f: getattr(change, f) for f in _FIELDS if getattr(change, f) is not None}
            diff = {f: [row[f], v] for f, v in values.items() if row[f] != v}
            if not diff:
                return row
            done = conn.execute(
                update(_items)
                .where(self._key(candidate_id), _items.c.version == expected_version)
                .values(**values, version=expected_version + 1, updated_by=user, updated_at=now)
            )
            if done.rowcount != 1:
                raise _conflict(candidate_id, self._row(conn, candidate_id), expected_version)
            self._log(conn, candidate_id, expected_version + 1, "gewijzigd", diff, user, now)
            return self._row(conn, candidate_id)

    def remove(self, candidate_id: str, *, user: str, expected_version: int) -> dict[str, Any]:
        """Mark a site as removed (kept in the database and the history)."""
        user = _user(user)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            self._require(conn, candidate_id)
            done = conn.execute(
                update(_items)
                .where(self._key(candidate_id), _items.c.version == expected_version)
                .values(active=False, version=expected_version + 1, updated_by=user,
                        updated_at=now)
            )
            if done.rowcount != 1:
                raise _conflict(candidate_id, self._row(conn, candidate_id), expected_version)
            self._log(conn, candidate_id, expected_version + 1, "verwijderd", {}, user, now)
            return self._row(conn, candidate_id)

    def _require(self, conn: Any, candidate_id: str) -> dict[str, Any]:
        row = self._row(conn, candidate_id)
        if row is None or not row["active"]:
            raise ShortlistError(f"shortlist {self.region!r}: {candidate_id} staat niet op de "
                               "shortlist")
        return row

    def _log(self, conn: Any, candidate_id: str, version: int, action: str, changes: dict,
             user: str, now: datetime) -> None:
        conn.execute(insert(_history).values(
            region=self.region, candidate_id=candidate_id, version=version, action=action,
            changes=changes, changed_by=user, changed_at=now,
        ))

    def items(self, *, include_removed: bool = False) -> pd.DataFrame:
        """The sites on the shortlist, newest change first, indexed by candidate id."""
        query = select(_items).where(_items.c.region == self.region)
        if not include_removed:
            query = query.where(_items.c.active.is_(True))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(_items.c.updated_at.desc())).mappings().all()
        columns = [c.name for c in _items.columns]
        return pd.DataFrame([dict(r) for r in rows], columns=columns).set_index("candidate_id")

    def history(self, candidate_id: str | None = None) -> pd.DataFrame:
        """Every change, oldest first; for one site when `candidate_id` is given."""
        query = select(_history).where(_history.c.region == self.region)
        if candidate_id is not None:
            query = query.where(_history.c.candidate_id == candidate_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(_history.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in _history.columns])


def _user(user: str) -> str:
    user = (user or "").strip()
    if not user:
        raise ShortlistError("shortlist: say who makes the change (a name is required)")
    return user


def _validate(status: str | None, note: str | None, capacity: int | None) -> _Change:
    if status is not None and status not in STATUSES:
        raise ShortlistError(f"shortlist: unknown status {status!r}; use one of "
                           f"{', '.join(STATUSES)}")
    if capacity is not None and (int(capacity) != capacity or capacity < 0):
        raise ShortlistError(f"shortlist: capacity must be a whole number ≥ 0, got {capacity!r}")
    return _Change(status, note, None if capacity is None else int(capacity))


def _conflict(candidate_id: str, current: dict[str, Any] | None, expected: int) -> ConflictError:
    if current is None:
        return ConflictError(f"{candidate_id} bestaat niet meer op de shortlist", {})
    when = current["updated_at"]
    stamp = when.strftime("%d-%m-%Y %H:%M") if hasattr(when, "strftime") else str(when)
    return ConflictError(
        f"{candidate_id} is intussen gewijzigd door {current['updated_by']} ({stamp}, versie "
        f"{current['version']}; u werkte met versie {expected}). Uw wijziging is niet "
        "opgeslagen; bekijk de nieuwe gegevens en probeer het opnieuw.",
        current,
    )
