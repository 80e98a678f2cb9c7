"""analysis: geography, incidents, statistics, CIRAM, products

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-23 00:33:08.018512
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chegara.db.base


revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('border_section',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name_ru', sa.String(length=100), nullable=False),
    sa.Column('neighbour_code', sa.String(length=3), nullable=False),
    sa.Column('oblast', sa.String(length=64), nullable=False),
    sa.Column('path', sa.JSON(), nullable=False),
    sa.Column('neighbours', sa.JSON(), nullable=False),
    sa.Column('impact_level', sa.String(length=16), nullable=False),
    sa.Column('impact_level_since', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_border_section')),
    sa.UniqueConstraint('code', name=op.f('uq_border_section_code'))
    )
    op.create_table('geo_country',
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_ru', sa.String(length=100), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geo_country')),
    sa.UniqueConstraint('code', name=op.f('uq_geo_country_code'))
    )
    op.create_table('crossing_point',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_ru', sa.String(length=100), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('counterpart', sa.String(length=100), nullable=False),
    sa.Column('seasonal', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['section_id'], ['border_section.id'], name=op.f('fk_crossing_point_section_id_border_section')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crossing_point')),
    sa.UniqueConstraint('code', name=op.f('uq_crossing_point_code'))
    )
    with op.batch_alter_table('crossing_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crossing_point_section_id'), ['section_id'], unique=False)

    op.create_table('analysis_product',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('edition', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('section_code', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_analysis_product_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_analysis_product_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_analysis_product_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analysis_product'))
    )
    with op.batch_alter_table('analysis_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analysis_product_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('ciram_assessment',
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('threat', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('magnitude', sa.Integer(), nullable=False),
    sa.Column('likelihood', sa.Integer(), nullable=False),
    sa.Column('vulnerability', sa.JSON(), nullable=False),
    sa.Column('impacts', sa.JSON(), nullable=False),
    sa.Column('threat_score', sa.Integer(), nullable=False),
    sa.Column('vulnerability_score', sa.Integer(), nullable=False),
    sa.Column('impact_score', sa.Integer(), nullable=False),
    sa.Column('risk_level', sa.String(length=16), nullable=False),
    sa.Column('proposed_impact_level', sa.String(length=16), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_ciram_assessment_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_ciram_assessment_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['section_id'], ['border_section.id'], name=op.f('fk_ciram_assessment_section_id_border_section')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_ciram_assessment_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ciram_assessment'))
    )
    with op.batch_alter_table('ciram_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ciram_assessment_owner_agency_id'), ['owner_agency_id'], unique=False)
        batch_op.create_index('ix_ciram_assessment_section', ['section_id', 'created_at'], unique=False)

    op.create_table('incident',
    sa.Column('incident_type', sa.String(length=32), nullable=False),
    sa.Column('refusal_reason', sa.String(length=2), nullable=True),
    sa.Column('occurred_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('crossing_point_id', sa.Integer(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('nationality', sa.String(length=3), nullable=True),
    sa.Column('vehicles', sa.Integer(), nullable=False),
    sa.Column('goods', sa.String(length=500), nullable=False),
    sa.Column('impact', sa.String(length=8), nullable=False),
    sa.Column('confidence', sa.String(length=8), nullable=False),
    sa.Column('source_reliability', sa.String(length=1), nullable=False),
    sa.Column('information_credibility', sa.String(length=1), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('first_report', sa.Text(), nullable=False),
    sa.Column('first_report_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('validated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('validated_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['crossing_point_id'], ['crossing_point.id'], name=op.f('fk_incident_crossing_point_id_crossing_point')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_incident_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['app_user.id'], name=op.f('fk_incident_reported_by_id_app_user')),
    sa.ForeignKeyConstraint(['section_id'], ['border_section.id'], name=op.f('fk_incident_section_id_border_section')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_incident_sharing_group_id_sharing_group')),
    sa.ForeignKeyConstraint(['validated_by_id'], ['app_user.id'], name=op.f('fk_incident_validated_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_owner_agency_id'), ['owner_agency_id'], unique=False)
        batch_op.create_index('ix_incident_section_time', ['section_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_incident_status', ['owner_agency_id', 'status'], unique=False)

    op.create_table('indicator_statistic',
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('section', sa.String(length=200), nullable=False),
    sa.Column('indicator', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Float(), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('imported_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_indicator_statistic_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_indicator_statistic_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_statistic')),
    sa.UniqueConstraint('owner_agency_id', 'period', 'section', 'indicator', name=op.f('uq_indicator_statistic_owner_agency_id'))
    )
    with op.batch_alter_table('indicator_statistic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_statistic_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('impact_level_change',
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('previous_level', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('approval_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_impact_level_change_agency_id_agency')),
    sa.ForeignKeyConstraint(['approval_id'], ['approval.id'], name=op.f('fk_impact_level_change_approval_id_approval')),
    sa.ForeignKeyConstraint(['assessment_id'], ['ciram_assessment.id'], name=op.f('fk_impact_level_change_assessment_id_ciram_assessment')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['app_user.id'], name=op.f('fk_impact_level_change_requested_by_id_app_user')),
    sa.ForeignKeyConstraint(['section_id'], ['border_section.id'], name=op.f('fk_impact_level_change_section_id_border_section')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_level_change'))
    )
    with op.batch_alter_table('impact_level_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impact_level_change_section_id'), ['section_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('impact_level_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impact_level_change_section_id'))

    op.drop_table('impact_level_change')
    with op.batch_alter_table('indicator_statistic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_statistic_owner_agency_id'))

    op.drop_table('indicator_statistic')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_status')
        batch_op.drop_index('ix_incident_section_time')
        batch_op.drop_index(batch_op.f('ix_incident_owner_agency_id'))

    op.drop_table('incident')
    with op.batch_alter_table('ciram_assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_ciram_assessment_section')
        batch_op.drop_index(batch_op.f('ix_ciram_assessment_owner_agency_id'))

    op.drop_table('ciram_assessment')
    with op.batch_alter_table('analysis_product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_analysis_product_owner_agency_id'))

    op.drop_table('analysis_product')
    with op.batch_alter_table('crossing_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crossing_point_section_id'))

    op.drop_table('crossing_point')
    op.drop_table('geo_country')
    op.drop_table('border_section')
