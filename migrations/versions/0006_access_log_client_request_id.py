"""access log: the client's X-Request-ID beside the server's own request id

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 15:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Entries written before this hold in request_id whichever id the request had (the client's when it
    # sent a sane one); which it was is not known, so their client_request_id stays empty.
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_request_id', sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_column('client_request_id')
