"""rate limit windows shared by every worker

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:47:53.434422
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rate_limit_windows',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['api_clients.id'], name=op.f('fk_rate_limit_windows_client_id_api_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_rate_limit_windows'))
    )


def downgrade() -> None:
    op.drop_table('rate_limit_windows')
