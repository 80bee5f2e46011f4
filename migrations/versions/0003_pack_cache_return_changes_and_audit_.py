"""pack cache, return changes and audit month summaries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:30:25.247466
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_domain_month_summaries',
    sa.Column('domain_code', sa.String(length=64), nullable=False),
    sa.Column('outstanding', sa.Integer(), nullable=False),
    sa.Column('good', sa.Integer(), nullable=False),
    sa.Column('requires_improvement', sa.Integer(), nullable=False),
    sa.Column('inadequate', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_domain_month_summaries'))
    )
    with op.batch_alter_table('audit_domain_month_summaries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_domain_month_summaries_lookup', ['la_code', 'month', 'valid_to'], unique=False)

    op.create_table('audit_month_summaries',
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('audited', sa.Integer(), nullable=False),
    sa.Column('outstanding', sa.Integer(), nullable=False),
    sa.Column('good', sa.Integer(), nullable=False),
    sa.Column('requires_improvement', sa.Integer(), nullable=False),
    sa.Column('inadequate', sa.Integer(), nullable=False),
    sa.Column('moderated', sa.Integer(), nullable=False),
    sa.Column('supported', sa.Integer(), nullable=False),
    sa.Column('downgraded', sa.Integer(), nullable=False),
    sa.Column('upgraded', sa.Integer(), nullable=False),
    sa.Column('pairs', sa.Integer(), nullable=False),
    sa.Column('agreed', sa.Integer(), nullable=False),
    sa.Column('frameworks', sa.String(length=400), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('last_submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_month_summaries'))
    )
    with op.batch_alter_table('audit_month_summaries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_month_summaries_lookup', ['la_code', 'month', 'valid_to'], unique=False)

    op.create_table('pack_cache',
    sa.Column('etag', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=120), nullable=False),
    sa.Column('headers', sa.Text(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('etag', name=op.f('pk_pack_cache'))
    )
    with op.batch_alter_table('pack_cache', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pack_cache_created_at'), ['created_at'], unique=False)

    op.create_table('return_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dataset', sa.String(length=40), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rewrites_history', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_changes'))
    )
    with op.batch_alter_table('return_changes', schema=None) as batch_op:
        batch_op.create_index('ix_return_changes_lookup', ['dataset', 'la_code', 'changed_at'], unique=False)

    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.create_index('ix_audits_order_ref', ['la_code', 'order_ref', 'superseded_at'], unique=False)
    # The summaries of audits stored before this revision are built by 0004, with the app's code
    # that reads the audits as they are stored from then on.


def downgrade() -> None:
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.drop_index('ix_audits_order_ref')

    with op.batch_alter_table('return_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_return_changes_lookup')

    op.drop_table('return_changes')
    with op.batch_alter_table('pack_cache', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pack_cache_created_at'))

    op.drop_table('pack_cache')
    with op.batch_alter_table('audit_month_summaries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_month_summaries_lookup')

    op.drop_table('audit_month_summaries')
    with op.batch_alter_table('audit_domain_month_summaries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_domain_month_summaries_lookup')

    op.drop_table('audit_domain_month_summaries')
