"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 08:16:28.559009
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('areas',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('england', 'region', 'group')", name=op.f('ck_areas_kind_known')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_areas'))
    )
    op.create_table('local_authorities',
    sa.Column('code', sa.String(length=3), nullable=False, comment='DfE three-digit code'),
    sa.Column('ons_code', sa.String(length=9), nullable=False, comment='latest ONS code'),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=64), nullable=False),
    sa.Column('operational_from', sa.Date(), nullable=False),
    sa.Column('operational_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['region_code'], ['areas.code'], name=op.f('fk_local_authorities_region_code_areas')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_local_authorities'))
    )
    with op.batch_alter_table('local_authorities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_local_authorities_region_code'), ['region_code'], unique=False)

    op.create_table('api_clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=True),
    sa.Column('area_code', sa.String(length=64), nullable=True),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('key_prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(role = 'la' AND la_code IS NOT NULL AND area_code IS NULL) OR (role = 'portal' AND area_code IS NOT NULL AND la_code IS NULL) OR (role = 'admin' AND la_code IS NULL AND area_code IS NULL)", name=op.f('ck_api_clients_scope_matches_role')),
    sa.CheckConstraint("role IN ('admin', 'la', 'portal')", name=op.f('ck_api_clients_role_known')),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_api_clients_area_code_areas')),
    sa.ForeignKeyConstraint(['la_code'], ['local_authorities.code'], name=op.f('fk_api_clients_la_code_local_authorities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_clients')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_clients_key_hash')),
    sa.UniqueConstraint('name', name=op.f('uq_api_clients_name'))
    )
    # areas and api_clients refer to each other, so this key can only be added once both exist.
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_areas_updated_by_id_api_clients'), 'api_clients',
                                    ['updated_by_id'], ['id'])
    op.create_table('group_members',
    sa.Column('area_code', sa.String(length=64), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_group_members_area_code_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['la_code'], ['local_authorities.code'], name=op.f('fk_group_members_la_code_local_authorities')),
    sa.PrimaryKeyConstraint('area_code', 'la_code', name=op.f('pk_group_members'))
    )
    op.create_table('access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('dataset', sa.String(length=40), nullable=False),
    sa.Column('record_key', sa.String(length=64), nullable=True),
    sa.Column('record_count', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['api_clients.id'], name=op.f('fk_access_log_client_id_api_clients')),
    sa.ForeignKeyConstraint(['la_code'], ['local_authorities.code'], name=op.f('fk_access_log_la_code_local_authorities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log'))
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_log_la_code'), ['la_code'], unique=False)

    op.create_table('audit_frameworks',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['api_clients.id'], name=op.f('fk_audit_frameworks_updated_by_id_api_clients')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_audit_frameworks'))
    )
    op.create_table('idempotency_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['api_clients.id'], name=op.f('fk_idempotency_records_client_id_api_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_records')),
    sa.UniqueConstraint('client_id', 'key', name=op.f('uq_idempotency_records_client_id_key'))
    )
    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('dataset', sa.String(length=40), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('revised', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('checksum', sa.String(length=71), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['la_code'], ['local_authorities.code'], name=op.f('fk_submissions_la_code_local_authorities')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['api_clients.id'], name=op.f('fk_submissions_submitted_by_id_api_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_la_code'), ['la_code'], unique=False)

    op.create_table('audit_programme_months',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('planned', sa.Integer(), nullable=False),
    sa.Column('exempted', sa.Integer(), nullable=False),
    sa.Column('returned', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['la_code'], ['local_authorities.code'], name=op.f('fk_audit_programme_months_la_code_local_authorities')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_audit_programme_months_submission_id_submissions')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['api_clients.id'], name=op.f('fk_audit_programme_months_submitted_by_id_api_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_programme_months')),
    sa.UniqueConstraint('la_code', 'month', 'version', name=op.f('uq_audit_programme_months_la_code_month_version'))
    )
    with op.batch_alter_table('audit_programme_months', schema=None) as batch_op:
        batch_op.create_index('ix_audit_programme_months_current', ['la_code', 'month', 'superseded_at'], unique=False)

    op.create_table('audits',
    sa.Column('audit_ref', sa.String(length=64), nullable=False),
    sa.Column('framework', sa.String(length=64), nullable=False),
    sa.Column('audit_date', sa.Date(), nullable=False),
    sa.Column('audit_type', sa.String(length=20), nullable=False),
    sa.Column('theme', sa.String(length=200), nullable=True),
    sa.Column('auditor_role', sa.String(length=100), nullable=True),
    sa.Column('overall_grade', sa.String(length=24), nullable=False),
    sa.Column('outcome_grade', sa.String(length=24), nullable=True),
    sa.Column('order_ref', sa.String(length=64), nullable=True),
    sa.Column('moderated_grade', sa.String(length=24), nullable=True),
    sa.Column('moderation_result', sa.String(length=12), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['framework'], ['audit_frameworks.code'], name=op.f('fk_audits_framework_audit_frameworks')),
    sa.ForeignKeyConstraint(['la_code'], ['local_authorities.code'], name=op.f('fk_audits_la_code_local_authorities')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_audits_submission_id_submissions')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['api_clients.id'], name=op.f('fk_audits_submitted_by_id_api_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audits')),
    sa.UniqueConstraint('la_code', 'audit_ref', 'version', name=op.f('uq_audits_la_code_audit_ref_version'))
    )
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.create_index('ix_audits_current', ['la_code', 'audit_ref', 'superseded_at'], unique=False)

    op.create_table('care_order_counts',
    sa.Column('snapshot_date', sa.Date(), nullable=False),
    sa.Column('cla_total', sa.Integer(), nullable=False),
    sa.Column('placed_with_parents', sa.Integer(), nullable=False),
    sa.Column('full_care_orders_at_home', sa.Integer(), nullable=False),
    sa.Column('interim_care_orders_at_home', sa.Integer(), nullable=False),
    sa.Column('orders_made_in_year', sa.Integer(), nullable=True),
    sa.Column('discharges_total', sa.Integer(), nullable=True),
    sa.Column('discharges_to_no_order', sa.Integer(), nullable=True),
    sa.Column('discharges_to_supervision_order', sa.Integer(), nullable=True),
    sa.Column('discharges_to_family_assistance_order', sa.Integer(), nullable=True),
    sa.Column('discharges_to_special_guardianship_order', sa.Integer(), nullable=True),
    sa.Column('discharges_to_child_arrangements_order', sa.Integer(), nullable=True),
    sa.Column('interim_orders_from_private_law', sa.Integer(), nullable=True),
    sa.Column('interim_orders_for_parent_assessment', sa.Integer(), nullable=True),
    sa.Column('interim_orders_for_parent_assessment_child_remained', sa.Integer(), nullable=True),
    sa.Column('interim_orders_became_full_orders', sa.Integer(), nullable=True),
    sa.Column('notes', sa.String(length=2000), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['la_code'], ['local_authorities.code'], name=op.f('fk_care_order_counts_la_code_local_authorities')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_care_order_counts_submission_id_submissions')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['api_clients.id'], name=op.f('fk_care_order_counts_submitted_by_id_api_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_order_counts')),
    sa.UniqueConstraint('la_code', 'snapshot_date', 'version', name=op.f('uq_care_order_counts_la_code_snapshot_date_version'))
    )
    with op.batch_alter_table('care_order_counts', schema=None) as batch_op:
        batch_op.create_index('ix_care_order_counts_current', ['la_code', 'snapshot_date', 'superseded_at'], unique=False)

    op.create_table('care_orders',
    sa.Column('order_ref', sa.String(length=64), nullable=False),
    sa.Column('child_ref', sa.String(length=64), nullable=False),
    sa.Column('order_type', sa.String(length=20), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=False),
    sa.Column('age_at_order', sa.Integer(), nullable=False),
    sa.Column('pre_proceedings', sa.Boolean(), nullable=True),
    sa.Column('assessments_in_proceedings', sa.Integer(), nullable=True),
    sa.Column('independent_social_worker', sa.Boolean(), nullable=True),
    sa.Column('professional_communication', sa.String(length=20), nullable=True),
    sa.Column('la_final_care_plan', sa.String(length=30), nullable=True),
    sa.Column('court_outcome', sa.String(length=30), nullable=True),
    sa.Column('current_status', sa.String(length=30), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=False),
    sa.Column('discharge_date', sa.Date(), nullable=True),
    sa.Column('discharge_outcome', sa.String(length=30), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['la_code'], ['local_authorities.code'], name=op.f('fk_care_orders_la_code_local_authorities')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_care_orders_submission_id_submissions')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['api_clients.id'], name=op.f('fk_care_orders_submitted_by_id_api_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_orders')),
    sa.UniqueConstraint('la_code', 'order_ref', 'version', name=op.f('uq_care_orders_la_code_order_ref_version'))
    )
    with op.batch_alter_table('care_orders', schema=None) as batch_op:
        batch_op.create_index('ix_care_orders_current', ['la_code', 'order_ref', 'superseded_at'], unique=False)

    op.create_table('framework_domains',
    sa.Column('framework_code', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['framework_code'], ['audit_frameworks.code'], name=op.f('fk_framework_domains_framework_code_audit_frameworks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('framework_code', 'code', name=op.f('pk_framework_domains'))
    )
    op.create_table('population_estimates',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('children_0_17', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['la_code'], ['local_authorities.code'], name=op.f('fk_population_estimates_la_code_local_authorities')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_population_estimates_submission_id_submissions')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['api_clients.id'], name=op.f('fk_population_estimates_submitted_by_id_api_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_population_estimates')),
    sa.UniqueConstraint('la_code', 'year', 'version', name=op.f('uq_population_estimates_la_code_year_version'))
    )
    with op.batch_alter_table('population_estimates', schema=None) as batch_op:
        batch_op.create_index('ix_population_estimates_current', ['la_code', 'year', 'superseded_at'], unique=False)

    op.create_table('audit_domain_grades',
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('domain_code', sa.String(length=64), nullable=False),
    sa.Column('grade', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audits.id'], name=op.f('fk_audit_domain_grades_audit_id_audits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('audit_id', 'domain_code', name=op.f('pk_audit_domain_grades'))
    )


def downgrade() -> None:
    op.drop_table('audit_domain_grades')
    with op.batch_alter_table('population_estimates', schema=None) as batch_op:
        batch_op.drop_index('ix_population_estimates_current')

    op.drop_table('population_estimates')
    op.drop_table('framework_domains')
    with op.batch_alter_table('care_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_care_orders_current')

    op.drop_table('care_orders')
    with op.batch_alter_table('care_order_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_care_order_counts_current')

    op.drop_table('care_order_counts')
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.drop_index('ix_audits_current')

    op.drop_table('audits')
    with op.batch_alter_table('audit_programme_months', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_programme_months_current')

    op.drop_table('audit_programme_months')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_la_code'))

    op.drop_table('submissions')
    op.drop_table('idempotency_records')
    op.drop_table('audit_frameworks')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_log_la_code'))
        batch_op.drop_index(batch_op.f('ix_access_log_at'))

    op.drop_table('access_log')
    op.drop_table('group_members')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_areas_updated_by_id_api_clients'), type_='foreignkey')
    op.drop_table('api_clients')
    with op.batch_alter_table('local_authorities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_local_authorities_region_code'))

    op.drop_table('local_authorities')
    op.drop_table('areas')
