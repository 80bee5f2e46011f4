"""orders: the child's characteristics and court journey, all optional, so orders stored before them are kept
as they are and read as not returned

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ('sex', sa.String(length=10)),
    ('ethnicity', sa.String(length=10)),
    ('disability', sa.Boolean()),
    ('proceedings_issued', sa.Date()),
    ('final_hearing', sa.Date()),
    ('la_initial_care_plan', sa.String(length=30)),
    ('guardian_recommendation', sa.String(length=30)),
    ('contested_final_hearing', sa.Boolean()),
    ('category_of_need', sa.String(length=2)),
    ('proceedings_type', sa.String(length=12)),
    ('re_referred_within_12_months', sa.Boolean()),
)


def upgrade() -> None:
    with op.batch_alter_table('care_orders', schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('care_orders', schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
