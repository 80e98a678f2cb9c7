"""travel: registry, voyages, rules

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 00:22:38.405744
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chegara.db.base


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('registry_document',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('number_as_given', sa.String(length=64), nullable=False),
    sa.Column('document_type', sa.String(length=8), nullable=False),
    sa.Column('issuing_state', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('import_id', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_registry_document_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_registry_document_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_registry_document_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_document'))
    )
    with op.batch_alter_table('registry_document', schema=None) as batch_op:
        batch_op.create_index('ix_registry_document_lookup', ['number', 'issuing_state'], unique=False)
        batch_op.create_index(batch_op.f('ix_registry_document_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('traveller_rule',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('condition', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('active_condition', sa.JSON(), nullable=True),
    sa.Column('active_severity', sa.Integer(), nullable=True),
    sa.Column('active_version', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_traveller_rule_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_traveller_rule_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_traveller_rule_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_traveller_rule'))
    )
    with op.batch_alter_table('traveller_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_traveller_rule_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('voyage',
    sa.Column('designator', sa.String(length=32), nullable=False),
    sa.Column('carrier', sa.String(length=32), nullable=False),
    sa.Column('transport_mode', sa.String(length=8), nullable=False),
    sa.Column('message_type', sa.String(length=8), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=True),
    sa.Column('destination', sa.String(length=16), nullable=True),
    sa.Column('departure', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('arrival', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('legs', sa.JSON(), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('traveller_count', sa.Integer(), nullable=False),
    sa.Column('hit_count', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_voyage_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_voyage_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_voyage_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voyage'))
    )
    with op.batch_alter_table('voyage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voyage_arrival'), ['arrival'], unique=False)
        batch_op.create_index(batch_op.f('ix_voyage_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('voyage_traveller',
    sa.Column('voyage_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('surname', sa.String(length=100), nullable=False),
    sa.Column('given_names', sa.String(length=150), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('nationality', sa.String(length=3), nullable=True),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('hit_count', sa.Integer(), nullable=False),
    sa.Column('reviewed', sa.Boolean(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['app_user.id'], name=op.f('fk_voyage_traveller_reviewed_by_id_app_user')),
    sa.ForeignKeyConstraint(['voyage_id'], ['voyage.id'], name=op.f('fk_voyage_traveller_voyage_id_voyage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voyage_traveller'))
    )
    with op.batch_alter_table('voyage_traveller', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voyage_traveller_voyage_id'), ['voyage_id'], unique=False)

    op.create_table('traveller_hit',
    sa.Column('voyage_id', sa.Integer(), nullable=False),
    sa.Column('traveller_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('screening_hit_id', sa.Integer(), nullable=True),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('registry_document_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['registry_document_id'], ['registry_document.id'], name=op.f('fk_traveller_hit_registry_document_id_registry_document')),
    sa.ForeignKeyConstraint(['rule_id'], ['traveller_rule.id'], name=op.f('fk_traveller_hit_rule_id_traveller_rule')),
    sa.ForeignKeyConstraint(['screening_hit_id'], ['screening_hit.id'], name=op.f('fk_traveller_hit_screening_hit_id_screening_hit')),
    sa.ForeignKeyConstraint(['traveller_id'], ['voyage_traveller.id'], name=op.f('fk_traveller_hit_traveller_id_voyage_traveller')),
    sa.ForeignKeyConstraint(['voyage_id'], ['voyage.id'], name=op.f('fk_traveller_hit_voyage_id_voyage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_traveller_hit'))
    )
    with op.batch_alter_table('traveller_hit', schema=None) as batch_op:
        batch_op.create_index('ix_traveller_hit_voyage', ['voyage_id', 'traveller_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('traveller_hit', schema=None) as batch_op:
        batch_op.drop_index('ix_traveller_hit_voyage')

    op.drop_table('traveller_hit')
    with op.batch_alter_table('voyage_traveller', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voyage_traveller_voyage_id'))

    op.drop_table('voyage_traveller')
    with op.batch_alter_table('voyage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voyage_owner_agency_id'))
        batch_op.drop_index(batch_op.f('ix_voyage_arrival'))

    op.drop_table('voyage')
    with op.batch_alter_table('traveller_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_traveller_rule_owner_agency_id'))

    op.drop_table('traveller_rule')
    with op.batch_alter_table('registry_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registry_document_owner_agency_id'))
        batch_op.drop_index('ix_registry_document_lookup')

    op.drop_table('registry_document')
