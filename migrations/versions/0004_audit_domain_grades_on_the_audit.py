"""audit domain grades on the audit's own row

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:20:00.000000

A bulk return of audits wrote a row per audit and nine more per audit for its domain grades; the
grades now travel on the audit as a JSON object, so it writes one. The order_ref index becomes
partial (see the model for why).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRADES_TYPE = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    # Not in batch mode: SQLite adds a column with a constant default in place, where batch mode
    # would recreate `audits` and so cascade-delete the grades still to be moved.
    op.add_column('audits', sa.Column('domain_grades', GRADES_TYPE, server_default=sa.text("'{}'"), nullable=False))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE audits SET domain_grades = g.grades FROM ("
                   " SELECT audit_id, jsonb_object_agg(domain_code, grade) AS grades"
                   " FROM audit_domain_grades GROUP BY audit_id) AS g WHERE g.audit_id = audits.id")
    else:
        op.execute("UPDATE audits SET domain_grades = ("
                   " SELECT json_group_object(domain_code, grade) FROM audit_domain_grades"
                   " WHERE audit_id = audits.id)"
                   " WHERE id IN (SELECT audit_id FROM audit_domain_grades)")
    op.drop_table('audit_domain_grades')
    _order_ref_index(partial=True)
    # The summaries of audits stored before 0003 are built by 0011, the latest revision that changes what they
    # are built from: it runs the app's code, which by then also writes a table this revision does not have.


def _order_ref_index(*, partial: bool) -> None:
    where = sa.text('order_ref IS NOT NULL') if partial else None
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.drop_index('ix_audits_order_ref')
        batch_op.create_index('ix_audits_order_ref', ['la_code', 'order_ref', 'superseded_at'], unique=False,
                              sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    _order_ref_index(partial=False)
    # Through a table with no foreign key: SQLite's batch mode drops and recreates `audits`, which
    # would cascade to the rows of a table that references it.
    each = 'jsonb_each_text' if op.get_bind().dialect.name == 'postgresql' else 'json_each'
    op.execute("CREATE TABLE audit_domain_grades_moving AS"
               f" SELECT audits.id AS audit_id, g.key AS domain_code, g.value AS grade"
               f" FROM audits, {each}(audits.domain_grades) AS g")
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.drop_column('domain_grades')
    op.create_table('audit_domain_grades',
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('domain_code', sa.String(length=64), nullable=False),
    sa.Column('grade', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audits.id'], name=op.f('fk_audit_domain_grades_audit_id_audits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('audit_id', 'domain_code', name=op.f('pk_audit_domain_grades'))
    )
    op.execute("INSERT INTO audit_domain_grades (audit_id, domain_code, grade)"
               " SELECT audit_id, domain_code, grade FROM audit_domain_grades_moving")
    op.drop_table('audit_domain_grades_moving')
