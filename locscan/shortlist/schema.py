"""The shortlist's tables: one row per site (its current version) and one per applied version."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["HISTORY_UNIQUE", "history", "items", "metadata"]

metadata = MetaData()

#: name of the constraint that allows one history row per site and version
HISTORY_UNIQUE = "uq_shortlist_history_version"

#: the current state of every site that was ever on a region's shortlist
items = Table(
    "shortlist_item", metadata,
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

#: every applied version of every site: who changed what, when
history = Table(
    "shortlist_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region", String(200), nullable=False, index=True),
    Column("candidate_id", String(300), nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", String(40), nullable=False),
    Column("changes", JSON, nullable=False),
    Column("changed_by", String(200), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("region", "candidate_id", "version", name=HISTORY_UNIQUE),
)
