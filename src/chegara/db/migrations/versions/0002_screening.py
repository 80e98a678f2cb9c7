"""screening: watchlists, versions, entries, hits

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:10:27.580800
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chegara.db.base


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('watchlist',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('maintained_here', sa.Boolean(), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=True),
    sa.Column('active_version', sa.Integer(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_watchlist_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_watchlist_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watchlist')),
    sa.UniqueConstraint('name', name=op.f('uq_watchlist_name'))
    )
    with op.batch_alter_table('watchlist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watchlist_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('screening_hit',
    sa.Column('traveller_key', sa.String(length=64), nullable=False),
    sa.Column('traveller', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('watchlist_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.String(length=128), nullable=False),
    sa.Column('entry_content_hash', sa.String(length=64), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('matched_name', sa.String(length=500), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['app_user.id'], name=op.f('fk_screening_hit_assigned_to_id_app_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_screening_hit_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_screening_hit_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_screening_hit_sharing_group_id_sharing_group')),
    sa.ForeignKeyConstraint(['watchlist_id'], ['watchlist.id'], name=op.f('fk_screening_hit_watchlist_id_watchlist')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_hit'))
    )
    with op.batch_alter_table('screening_hit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_hit_owner_agency_id'), ['owner_agency_id'], unique=False)
        batch_op.create_index('ix_screening_hit_queue', ['owner_agency_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_screening_hit_traveller_key'), ['traveller_key'], unique=False)

    op.create_table('watchlist_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('watchlist_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.String(length=128), nullable=False),
    sa.Column('valid_from', sa.Integer(), nullable=False),
    sa.Column('valid_to', sa.Integer(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['watchlist_id'], ['watchlist.id'], name=op.f('fk_watchlist_entry_watchlist_id_watchlist')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watchlist_entry'))
    )
    with op.batch_alter_table('watchlist_entry', schema=None) as batch_op:
        batch_op.create_index('ix_watchlist_entry_from', ['watchlist_id', 'valid_from'], unique=False)
        batch_op.create_index('ix_watchlist_entry_lookup', ['watchlist_id', 'entry_id'], unique=False)
        batch_op.create_index('ix_watchlist_entry_to', ['watchlist_id', 'valid_to'], unique=False)

    op.create_table('watchlist_version',
    sa.Column('watchlist_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('source_format', sa.String(length=16), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('removed', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('removed_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('activated_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['watchlist_id'], ['watchlist.id'], name=op.f('fk_watchlist_version_watchlist_id_watchlist')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watchlist_version')),
    sa.UniqueConstraint('watchlist_id', 'number', name=op.f('uq_watchlist_version_watchlist_id'))
    )
    with op.batch_alter_table('watchlist_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watchlist_version_watchlist_id'), ['watchlist_id'], unique=False)

    op.create_table('false_positive_memory',
    sa.Column('traveller_key', sa.String(length=64), nullable=False),
    sa.Column('watchlist_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.String(length=128), nullable=False),
    sa.Column('entry_content_hash', sa.String(length=64), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('hit_id', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_false_positive_memory_decided_by_id_app_user')),
    sa.ForeignKeyConstraint(['hit_id'], ['screening_hit.id'], name=op.f('fk_false_positive_memory_hit_id_screening_hit')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_false_positive_memory_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['watchlist_id'], ['watchlist.id'], name=op.f('fk_false_positive_memory_watchlist_id_watchlist')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_false_positive_memory')),
    sa.UniqueConstraint('traveller_key', 'watchlist_id', 'entry_id', 'entry_content_hash', name=op.f('uq_false_positive_memory_traveller_key'))
    )


def downgrade() -> None:
    op.drop_table('false_positive_memory')
    with op.batch_alter_table('watchlist_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watchlist_version_watchlist_id'))

    op.drop_table('watchlist_version')
    with op.batch_alter_table('watchlist_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_watchlist_entry_to')
        batch_op.drop_index('ix_watchlist_entry_lookup')
        batch_op.drop_index('ix_watchlist_entry_from')

    op.drop_table('watchlist_entry')
    with op.batch_alter_table('screening_hit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_hit_traveller_key'))
        batch_op.drop_index('ix_screening_hit_queue')
        batch_op.drop_index(batch_op.f('ix_screening_hit_owner_agency_id'))

    op.drop_table('screening_hit')
    with op.batch_alter_table('watchlist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watchlist_owner_agency_id'))

    op.drop_table('watchlist')
