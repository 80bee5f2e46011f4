"""pack cache: the lineage of a published pack, so that any worker, and a restarted server, can answer with
its latest publication while the next is built

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Packs stored before have no lineage: they are still served under their ETag, and never stand in for another.
    with op.batch_alter_table('pack_cache', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lineage', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_pack_cache_lineage'), ['lineage'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pack_cache', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pack_cache_lineage'))
        batch_op.drop_column('lineage')
