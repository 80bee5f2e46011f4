"""SSDA903 extracts: the files a submission carried (digest and row count only), and each record's source

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 22:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table of returned records; a record stored before this was sent by its client (source null).
RECORD_TABLES = ('care_order_counts', 'care_order_characteristics', 'care_orders', 'audits',
                 'audit_programme_months', 'population_estimates')


def upgrade() -> None:
    op.create_table(
        'submission_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('part', sa.String(length=20), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('checksum', sa.String(length=71), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_submission_files_submission_id_submissions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_files')),
        sa.UniqueConstraint('submission_id', 'part', name=op.f('uq_submission_files_submission_id_part')),
    )
    for table in RECORD_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('source', sa.String(length=40), nullable=True))


def downgrade() -> None:
    for table in RECORD_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('source')
    op.drop_table('submission_files')
