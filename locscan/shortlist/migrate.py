"""Bring a shortlist database to the current schema: Alembic migrations, one process at a time.

Several app processes may start on a new, empty database at once. The upgrade runs inside one
transaction that first takes a lock, so the first process creates the tables and the others wait
and then find them: on PostgreSQL an advisory lock, on SQLite the write lock of
``BEGIN IMMEDIATE`` (the engine begins every transaction that way, see
:func:`locscan.shortlist.store.engine_for`). Both databases run DDL inside transactions.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

__all__ = ["HEAD", "upgrade"]

_LOCK_ID = 0x6C6F6373  # "locs": the advisory lock of locscan's schema upgrades
_VERSION_TABLE = "locscan_shortlist_version"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "locscan.shortlist:migrations")
    return cfg


#: the newest schema revision
HEAD = ScriptDirectory.from_config(_config()).get_current_head()


def _current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(
            conn, opts={"version_table": _VERSION_TABLE}).get_current_revision()


def upgrade(engine: Engine) -> None:
    """
    Upgrade the database behind `engine` to :data:`HEAD`; a no-op when it is there already.

    Safe when several processes call it at once on the same (possibly new) database.
    """
    if _current(engine) == HEAD:
        return
    cfg = _config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_ID})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
