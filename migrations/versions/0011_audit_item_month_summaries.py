"""audit item month summaries: audits by type, theme and auditor's role, outcome and moderated grades, and
LA–Cafcass agreement per domain, summarised per LA-month as the other audit summaries are

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_item_month_summaries',
    sa.Column('item', sa.String(length=12), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('outstanding', sa.Integer(), nullable=False),
    sa.Column('good', sa.Integer(), nullable=False),
    sa.Column('requires_improvement', sa.Integer(), nullable=False),
    sa.Column('inadequate', sa.Integer(), nullable=False),
    sa.Column('agreed', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_item_month_summaries'))
    )
    with op.batch_alter_table('audit_item_month_summaries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_item_month_summaries_lookup', ['la_code', 'month', 'valid_to'], unique=False)
    _summarise_stored_audits()


def _summarise_stored_audits() -> None:
    """Every LA's audit summary history again, as if summarised all along: it fills the summaries of audits
    stored before 0003 made them, and the item summaries of audits stored before this revision, and is harmless
    where they exist. This uses the app's code, so it belongs to the latest revision that changes what the
    summaries are built from (it was 0004's)."""
    from sqlalchemy.orm import Session

    from app.audits import summary

    session = Session(bind=op.get_bind())
    for la in session.scalars(sa.text("SELECT DISTINCT la_code FROM audits ORDER BY la_code")):
        summary.rebuild(session, la)
    session.flush()


def downgrade() -> None:
    with op.batch_alter_table('audit_item_month_summaries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_item_month_summaries_lookup')

    op.drop_table('audit_item_month_summaries')
