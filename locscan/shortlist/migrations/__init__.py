"""Alembic migrations of the shortlist database (run by :mod:`locscan.shortlist.migrate`)."""
