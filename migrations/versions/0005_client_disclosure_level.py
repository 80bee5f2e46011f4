"""client disclosure level: full or suppressed

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 12:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing clients keep what they saw: admins every figure, everyone else suppressed figures.
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disclosure', sa.String(length=10), nullable=False, server_default='suppressed'))
    op.execute("UPDATE api_clients SET disclosure = 'full' WHERE role = 'admin'")
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.alter_column('disclosure', server_default=None)
        batch_op.create_check_constraint('disclosure_known', "disclosure IN ('full', 'suppressed')")
        batch_op.create_check_constraint('admins_see_everything', "role != 'admin' OR disclosure = 'full'")


def downgrade() -> None:
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.drop_constraint('admins_see_everything', type_='check')
        batch_op.drop_constraint('disclosure_known', type_='check')
        batch_op.drop_column('disclosure')
