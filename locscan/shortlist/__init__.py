"""The working group's shortlist: sites with status, note and capacity, kept in a database.

Stored through SQLAlchemy in any database it speaks (a SQLite file by default, PostgreSQL by
URL), its schema kept by Alembic migrations (:mod:`.migrate`). Every change is a compare-and-set
on the version the user saw (:mod:`.store`): a colleague's change is never overwritten, and each
applied change is one row in the history, with who and when.
"""

from locscan.errors import ConflictError
from locscan.shortlist.store import KEEP, STATUSES, Shortlist, default_url, engine_for

__all__ = ["KEEP", "STATUSES", "ConflictError", "Shortlist", "default_url", "engine_for"]
