"""pack cache: the LAs a published pack's area was made of when it was built, so that a publication standing in for
the next is given only to a reader who may read those LAs

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 04:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Packs stored before have none: they stand in only for readers who may read any definition of their area.
    with op.batch_alter_table('pack_cache', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_las', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pack_cache', schema=None) as batch_op:
        batch_op.drop_column('area_las')
