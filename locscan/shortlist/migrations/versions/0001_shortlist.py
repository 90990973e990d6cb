"""The shortlist tables, and one history row per site and version.

A database made before migrations existed (tables created directly) is adopted: its tables are
kept as they are, and the history gets its unique version constraint when it holds no duplicate
versions (which an earlier version of locscan could write); when it does, they are kept and
reported, never deleted.

Revision ID: 0001
Revises:
"""

import warnings

import sqlalchemy as sa
from alembic import op

ITEMS, HISTORY = "shortlist_item", "shortlist_history"
HISTORY_UNIQUE = "uq_shortlist_history_version"

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables, or adopt those made before migrations existed."""
    conn = op.get_bind()
    inspector = sa.inspect(conn)
    if not inspector.has_table(ITEMS):
        op.create_table(
            ITEMS,
            sa.Column("region", sa.String(200), primary_key=True),
            sa.Column("candidate_id", sa.String(300), primary_key=True),
            sa.Column("subregio", sa.String(200)),
            sa.Column("gemeente", sa.String(200)),
            sa.Column("status", sa.String(40), nullable=False),
            sa.Column("note", sa.Text, nullable=False),
            sa.Column("capacity", sa.Integer),
            sa.Column("active", sa.Boolean, nullable=False),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("criteria", sa.String(300)),
            sa.Column("score", sa.Float),
            sa.Column("created_by", sa.String(200), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_by", sa.String(200), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        )
    if not inspector.has_table(HISTORY):
        op.create_table(
            HISTORY,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("region", sa.String(200), nullable=False, index=True),
            sa.Column("candidate_id", sa.String(300), nullable=False),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("action", sa.String(40), nullable=False),
            sa.Column("changes", sa.JSON, nullable=False),
            sa.Column("changed_by", sa.String(200), nullable=False),
            sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
            sa.UniqueConstraint("region", "candidate_id", "version", name=HISTORY_UNIQUE),
        )
        return
    uniques = {u["name"] for u in inspector.get_unique_constraints(HISTORY)}
    if HISTORY_UNIQUE in uniques:
        return
    dupes = conn.execute(sa.text(
        f"SELECT count(*) FROM (SELECT 1 FROM {HISTORY} "
        "GROUP BY region, candidate_id, version HAVING count(*) > 1) AS d"
    )).scalar_one()
    if dupes:
        warnings.warn(f"shortlist history: {dupes} versions were written twice by an earlier "
                      "locscan; kept as they are, without the one-row-per-version constraint",
                      stacklevel=1)
        return
    with op.batch_alter_table(HISTORY) as batch:
        batch.create_unique_constraint(HISTORY_UNIQUE, ["region", "candidate_id", "version"])


def downgrade() -> None:
    """Drop the tables."""
    op.drop_table(HISTORY)
    op.drop_table(ITEMS)
