"""care-order characteristics: children on care orders at home by age band, sex, ethnicity and time on order

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 22:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('care_order_characteristics',
    sa.Column('snapshot_date', sa.Date(), nullable=False),
    sa.Column('dimension', sa.String(length=30), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('full_care_orders_at_home', sa.Integer(), nullable=False),
    sa.Column('interim_care_orders_at_home', sa.Integer(), nullable=False),
    sa.Column('notes', sa.String(length=2000), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['la_code'], ['local_authorities.code'], name=op.f('fk_care_order_characteristics_la_code_local_authorities')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_care_order_characteristics_submission_id_submissions')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['api_clients.id'], name=op.f('fk_care_order_characteristics_submitted_by_id_api_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_order_characteristics')),
    sa.UniqueConstraint('la_code', 'snapshot_date', 'dimension', 'category', 'version',
                        name=op.f('uq_care_order_characteristics_key_version'))
    )
    with op.batch_alter_table('care_order_characteristics', schema=None) as batch_op:
        batch_op.create_index('ix_care_order_characteristics_current',
                              ['la_code', 'snapshot_date', 'dimension', 'category', 'superseded_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('care_order_characteristics', schema=None) as batch_op:
        batch_op.drop_index('ix_care_order_characteristics_current')
    op.drop_table('care_order_characteristics')
