"""targeting: SPS risk categories and the checks decided per consignment

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-24 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chegara.db.base


revision = '0007'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sps_category',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('commodity_category', sa.String(length=64), nullable=False),
    sa.Column('hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('product_pattern', sa.String(length=100), nullable=False),
    sa.Column('origin_country', sa.String(length=2), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('documentary_percent', sa.Float(), nullable=False),
    sa.Column('identity_percent', sa.Float(), nullable=False),
    sa.Column('physical_percent', sa.Float(), nullable=False),
    sa.Column('laboratory_percent', sa.Float(), nullable=False),
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
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_sps_category_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_sps_category_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_sps_category_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sps_category')),
    sa.UniqueConstraint('owner_agency_id', 'code', name=op.f('uq_sps_category_owner_agency_id'))
    )
    with op.batch_alter_table('sps_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sps_category_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('sps_check',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('category_code', sa.String(length=64), nullable=False),
    sa.Column('documentary', sa.Boolean(), nullable=False),
    sa.Column('identity', sa.Boolean(), nullable=False),
    sa.Column('physical', sa.Boolean(), nullable=False),
    sa.Column('laboratory', sa.Boolean(), nullable=False),
    sa.Column('base_frequencies', sa.JSON(), nullable=False),
    sa.Column('frequencies', sa.JSON(), nullable=False),
    sa.Column('draw', sa.Float(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('adjustments', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['targeting_decision.id'], name=op.f('fk_sps_check_decision_id_targeting_decision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sps_check')),
    sa.UniqueConstraint('decision_id', name=op.f('uq_sps_check_decision_id'))
    )


def downgrade() -> None:
    op.drop_table('sps_check')
    with op.batch_alter_table('sps_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sps_category_owner_agency_id'))

    op.drop_table('sps_category')
