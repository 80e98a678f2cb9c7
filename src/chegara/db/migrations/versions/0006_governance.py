"""governance: IBM strategy and action plan, commission, trainings, equipment, donors

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-23 02:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chegara.db.base


revision = '0006'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ibm_donor',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_donor')),
    sa.UniqueConstraint('code', name=op.f('uq_ibm_donor_code'))
    )
    op.create_table('ibm_donor_project',
    sa.Column('donor_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('programme', sa.String(length=200), nullable=False),
    sa.Column('implementer', sa.String(length=200), nullable=False),
    sa.Column('budget', sa.Float(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('beneficiary_agency_ids', sa.JSON(), nullable=False),
    sa.Column('objective_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['donor_id'], ['ibm_donor.id'], name=op.f('fk_ibm_donor_project_donor_id_ibm_donor')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_ibm_donor_project_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_ibm_donor_project_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_donor_project')),
    sa.UniqueConstraint('code', name=op.f('uq_ibm_donor_project_code'))
    )
    with op.batch_alter_table('ibm_donor_project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ibm_donor_project_donor_id'), ['donor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ibm_donor_project_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('ibm_strategy',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_ibm_strategy_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_ibm_strategy_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_strategy')),
    sa.UniqueConstraint('code', name=op.f('uq_ibm_strategy_code'))
    )
    with op.batch_alter_table('ibm_strategy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ibm_strategy_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('ibm_meeting',
    sa.Column('strategy_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.JSON(), nullable=False),
    sa.Column('agenda', sa.JSON(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_ibm_meeting_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_ibm_meeting_sharing_group_id_sharing_group')),
    sa.ForeignKeyConstraint(['strategy_id'], ['ibm_strategy.id'], name=op.f('fk_ibm_meeting_strategy_id_ibm_strategy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_meeting'))
    )
    with op.batch_alter_table('ibm_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ibm_meeting_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('ibm_objective',
    sa.Column('strategy_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['strategy_id'], ['ibm_strategy.id'], name=op.f('fk_ibm_objective_strategy_id_ibm_strategy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_objective')),
    sa.UniqueConstraint('strategy_id', 'code', name=op.f('uq_ibm_objective_strategy_id'))
    )
    with op.batch_alter_table('ibm_objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ibm_objective_strategy_id'), ['strategy_id'], unique=False)

    op.create_table('ibm_plan_version',
    sa.Column('strategy_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['strategy_id'], ['ibm_strategy.id'], name=op.f('fk_ibm_plan_version_strategy_id_ibm_strategy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_plan_version')),
    sa.UniqueConstraint('strategy_id', 'number', name=op.f('uq_ibm_plan_version_strategy_id'))
    )
    op.create_table('ibm_decision',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['ibm_meeting.id'], name=op.f('fk_ibm_decision_meeting_id_ibm_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_decision')),
    sa.UniqueConstraint('meeting_id', 'number', name=op.f('uq_ibm_decision_meeting_id'))
    )
    with op.batch_alter_table('ibm_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ibm_decision_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('ibm_measure',
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['ibm_objective.id'], name=op.f('fk_ibm_measure_objective_id_ibm_objective')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_measure')),
    sa.UniqueConstraint('objective_id', 'code', name=op.f('uq_ibm_measure_objective_id'))
    )
    with op.batch_alter_table('ibm_measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ibm_measure_objective_id'), ['objective_id'], unique=False)

    op.create_table('ibm_task',
    sa.Column('strategy_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('responsible_agency_id', sa.Integer(), nullable=False),
    sa.Column('contributing_agency_ids', sa.JSON(), nullable=False),
    sa.Column('term', sa.String(length=8), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('indicator', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('added_in_version', sa.Integer(), nullable=False),
    sa.Column('changed_in_version', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['ibm_decision.id'], name=op.f('fk_ibm_task_decision_id_ibm_decision')),
    sa.ForeignKeyConstraint(['measure_id'], ['ibm_measure.id'], name=op.f('fk_ibm_task_measure_id_ibm_measure')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_ibm_task_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['responsible_agency_id'], ['agency.id'], name=op.f('fk_ibm_task_responsible_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_ibm_task_sharing_group_id_sharing_group')),
    sa.ForeignKeyConstraint(['strategy_id'], ['ibm_strategy.id'], name=op.f('fk_ibm_task_strategy_id_ibm_strategy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_task')),
    sa.UniqueConstraint('strategy_id', 'code', name=op.f('uq_ibm_task_strategy_id'))
    )
    with op.batch_alter_table('ibm_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ibm_task_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ibm_task_owner_agency_id'), ['owner_agency_id'], unique=False)
        batch_op.create_index('ix_ibm_task_responsible', ['responsible_agency_id', 'status'], unique=False)

    op.create_table('ibm_training',
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('distance', sa.Boolean(), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=False),
    sa.Column('partner_institution', sa.String(length=200), nullable=False),
    sa.Column('trainers', sa.JSON(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['ibm_measure.id'], name=op.f('fk_ibm_training_measure_id_ibm_measure')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_ibm_training_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['project_id'], ['ibm_donor_project.id'], name=op.f('fk_ibm_training_project_id_ibm_donor_project')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_ibm_training_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_training'))
    )
    with op.batch_alter_table('ibm_training', schema=None) as batch_op:
        batch_op.create_index('ix_ibm_training_dates', ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_ibm_training_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('ibm_equipment',
    sa.Column('item', sa.String(length=300), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('recipient_agency_id', sa.Integer(), nullable=False),
    sa.Column('handed_over_on', sa.Date(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('training_given', sa.Boolean(), nullable=False),
    sa.Column('training_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['ibm_measure.id'], name=op.f('fk_ibm_equipment_measure_id_ibm_measure')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_ibm_equipment_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['project_id'], ['ibm_donor_project.id'], name=op.f('fk_ibm_equipment_project_id_ibm_donor_project')),
    sa.ForeignKeyConstraint(['recipient_agency_id'], ['agency.id'], name=op.f('fk_ibm_equipment_recipient_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_ibm_equipment_sharing_group_id_sharing_group')),
    sa.ForeignKeyConstraint(['training_id'], ['ibm_training.id'], name=op.f('fk_ibm_equipment_training_id_ibm_training')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_equipment'))
    )
    with op.batch_alter_table('ibm_equipment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ibm_equipment_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('ibm_task_evidence',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_ibm_task_evidence_agency_id_agency')),
    sa.ForeignKeyConstraint(['task_id'], ['ibm_task.id'], name=op.f('fk_ibm_task_evidence_task_id_ibm_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_task_evidence'))
    )
    with op.batch_alter_table('ibm_task_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ibm_task_evidence_task_id'), ['task_id'], unique=False)

    op.create_table('ibm_task_update',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('old_status', sa.String(length=16), nullable=False),
    sa.Column('new_status', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('by', sa.String(length=64), nullable=False),
    sa.Column('at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_ibm_task_update_agency_id_agency')),
    sa.ForeignKeyConstraint(['task_id'], ['ibm_task.id'], name=op.f('fk_ibm_task_update_task_id_ibm_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_task_update'))
    )
    with op.batch_alter_table('ibm_task_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ibm_task_update_task_id'), ['task_id'], unique=False)

    op.create_table('ibm_training_participation',
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('women', sa.Integer(), nullable=False),
    sa.Column('men', sa.Integer(), nullable=False),
    sa.Column('certificates', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_ibm_training_participation_agency_id_agency')),
    sa.ForeignKeyConstraint(['training_id'], ['ibm_training.id'], name=op.f('fk_ibm_training_participation_training_id_ibm_training')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ibm_training_participation')),
    sa.UniqueConstraint('training_id', 'agency_id', name=op.f('uq_ibm_training_participation_training_id'))
    )
    with op.batch_alter_table('ibm_training_participation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ibm_training_participation_training_id'), ['training_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ibm_training_participation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ibm_training_participation_training_id'))

    op.drop_table('ibm_training_participation')
    with op.batch_alter_table('ibm_task_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ibm_task_update_task_id'))

    op.drop_table('ibm_task_update')
    with op.batch_alter_table('ibm_task_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ibm_task_evidence_task_id'))

    op.drop_table('ibm_task_evidence')
    with op.batch_alter_table('ibm_equipment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ibm_equipment_owner_agency_id'))

    op.drop_table('ibm_equipment')
    with op.batch_alter_table('ibm_training', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ibm_training_owner_agency_id'))
        batch_op.drop_index('ix_ibm_training_dates')

    op.drop_table('ibm_training')
    with op.batch_alter_table('ibm_task', schema=None) as batch_op:
        batch_op.drop_index('ix_ibm_task_responsible')
        batch_op.drop_index(batch_op.f('ix_ibm_task_owner_agency_id'))
        batch_op.drop_index(batch_op.f('ix_ibm_task_measure_id'))

    op.drop_table('ibm_task')
    with op.batch_alter_table('ibm_measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ibm_measure_objective_id'))

    op.drop_table('ibm_measure')
    with op.batch_alter_table('ibm_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ibm_decision_meeting_id'))

    op.drop_table('ibm_decision')
    op.drop_table('ibm_plan_version')
    with op.batch_alter_table('ibm_objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ibm_objective_strategy_id'))

    op.drop_table('ibm_objective')
    with op.batch_alter_table('ibm_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ibm_meeting_owner_agency_id'))

    op.drop_table('ibm_meeting')
    with op.batch_alter_table('ibm_strategy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ibm_strategy_owner_agency_id'))

    op.drop_table('ibm_strategy')
    with op.batch_alter_table('ibm_donor_project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ibm_donor_project_owner_agency_id'))
        batch_op.drop_index(batch_op.f('ix_ibm_donor_project_donor_id'))

    op.drop_table('ibm_donor_project')
    op.drop_table('ibm_donor')
