"""published knowledge: what suppressed readers have been shown of each table, across data states

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 13:16:36.204069
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Packs stored before were published by tables no record holds: a reader could subtract the next state from
    # them. Dropped, they are built again on the same data, deciding the same tables (the choice is
    # deterministic), and this time recorded.
    op.execute(sa.text('DELETE FROM pack_cache'))
    op.create_table('published_knowledge',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_published_knowledge'))
    )


def downgrade() -> None:
    op.drop_table('published_knowledge')
