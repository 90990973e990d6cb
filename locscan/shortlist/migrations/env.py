"""Alembic environment of the shortlist: run on the connection that :mod:`..migrate` passes."""

from alembic import context

from locscan.shortlist.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  version_table="locscan_shortlist_version", render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
