"""targeting: declarations, profiles, decisions, models

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-23 00:30:07.322170
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chegara.db.base


revision = '0004'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('declaration_import',
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_declaration_import_owner_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration_import'))
    )
    with op.batch_alter_table('declaration_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_import_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('inspection_capacity',
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('office', sa.String(length=64), nullable=False),
    sa.Column('physical_per_day', sa.Integer(), nullable=False),
    sa.Column('documentary_per_day', sa.Integer(), nullable=False),
    sa.Column('inspectors', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_inspection_capacity_owner_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_capacity')),
    sa.UniqueConstraint('owner_agency_id', 'office', name=op.f('uq_inspection_capacity_owner_agency_id'))
    )
    op.create_table('risk_model',
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('data_from', sa.Date(), nullable=True),
    sa.Column('data_to', sa.Date(), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('inspected', sa.Integer(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('reference_scores', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('activated_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_risk_model_owner_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_model')),
    sa.UniqueConstraint('owner_agency_id', 'version', name=op.f('uq_risk_model_owner_agency_id'))
    )
    with op.batch_alter_table('risk_model', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_model_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('declaration',
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('declaration_id', sa.String(length=64), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('office', sa.String(length=64), nullable=False),
    sa.Column('hs_code', sa.String(length=10), nullable=False),
    sa.Column('importer_id', sa.String(length=64), nullable=False),
    sa.Column('origin_country', sa.String(length=8), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['declaration_import.id'], name=op.f('fk_declaration_import_id_declaration_import')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_declaration_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_declaration_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration')),
    sa.UniqueConstraint('owner_agency_id', 'kind', 'declaration_id', name=op.f('uq_declaration_owner_agency_id'))
    )
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_declaration_id'), ['declaration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_declaration_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_declaration_owner_agency_id'), ['owner_agency_id'], unique=False)
        batch_op.create_index('ix_declaration_queue', ['owner_agency_id', 'date', 'office'], unique=False)

    op.create_table('joint_inspection',
    sa.Column('declaration_ref', sa.String(length=64), nullable=False),
    sa.Column('scheduled_for', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('agencies', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_joint_inspection_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_joint_inspection_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_inspection')),
    sa.UniqueConstraint('declaration_ref', name=op.f('uq_joint_inspection_declaration_ref'))
    )
    with op.batch_alter_table('joint_inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_inspection_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('risk_profile',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('selection_percent', sa.Float(), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('activated_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_risk_profile_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_risk_profile_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_risk_profile_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_profile')),
    sa.UniqueConstraint('owner_agency_id', 'code', name=op.f('uq_risk_profile_owner_agency_id'))
    )
    with op.batch_alter_table('risk_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_profile_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('trader_watchlist',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('ids', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_trader_watchlist_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_trader_watchlist_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trader_watchlist')),
    sa.UniqueConstraint('owner_agency_id', 'name', name=op.f('uq_trader_watchlist_owner_agency_id'))
    )
    with op.batch_alter_table('trader_watchlist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trader_watchlist_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('targeting_decision',
    sa.Column('declaration_pk', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('basis', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('model_version', sa.String(length=64), nullable=False),
    sa.Column('profiles_fired', sa.JSON(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('model_reasons', sa.JSON(), nullable=False),
    sa.Column('undervaluation', sa.Text(), nullable=False),
    sa.Column('inspector', sa.String(length=64), nullable=False),
    sa.Column('original_channel', sa.String(length=8), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('override_status', sa.String(length=16), nullable=False),
    sa.Column('decided_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['declaration_pk'], ['declaration.id'], name=op.f('fk_targeting_decision_declaration_pk_declaration')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_targeting_decision_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_targeting_decision_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targeting_decision')),
    sa.UniqueConstraint('declaration_pk', name=op.f('uq_targeting_decision_declaration_pk'))
    )
    with op.batch_alter_table('targeting_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targeting_decision_owner_agency_id'), ['owner_agency_id'], unique=False)
        batch_op.create_index('ix_targeting_decision_queue', ['owner_agency_id', 'channel'], unique=False)

    op.create_table('inspection_result',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('found', sa.Boolean(), nullable=False),
    sa.Column('offence_type', sa.String(length=64), nullable=False),
    sa.Column('revenue_recovered', sa.Float(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('inspected_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['targeting_decision.id'], name=op.f('fk_inspection_result_decision_id_targeting_decision')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_inspection_result_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_inspection_result_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_result')),
    sa.UniqueConstraint('decision_id', name=op.f('uq_inspection_result_decision_id'))
    )
    with op.batch_alter_table('inspection_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_result_owner_agency_id'), ['owner_agency_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('inspection_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_result_owner_agency_id'))

    op.drop_table('inspection_result')
    with op.batch_alter_table('targeting_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_targeting_decision_queue')
        batch_op.drop_index(batch_op.f('ix_targeting_decision_owner_agency_id'))

    op.drop_table('targeting_decision')
    with op.batch_alter_table('trader_watchlist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trader_watchlist_owner_agency_id'))

    op.drop_table('trader_watchlist')
    with op.batch_alter_table('risk_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_profile_owner_agency_id'))

    op.drop_table('risk_profile')
    with op.batch_alter_table('joint_inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_inspection_owner_agency_id'))

    op.drop_table('joint_inspection')
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.drop_index('ix_declaration_queue')
        batch_op.drop_index(batch_op.f('ix_declaration_owner_agency_id'))
        batch_op.drop_index(batch_op.f('ix_declaration_import_id'))
        batch_op.drop_index(batch_op.f('ix_declaration_declaration_id'))

    op.drop_table('declaration')
    with op.batch_alter_table('risk_model', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_model_owner_agency_id'))

    op.drop_table('risk_model')
    op.drop_table('inspection_capacity')
    with op.batch_alter_table('declaration_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declaration_import_owner_agency_id'))

    op.drop_table('declaration_import')
