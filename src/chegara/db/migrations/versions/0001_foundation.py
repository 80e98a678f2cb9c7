"""foundation: agencies, users, credentials, approvals, audit, alerts

The audit table is made append-only by triggers on both backends: UPDATE, DELETE (and on
PostgreSQL TRUNCATE) are refused by the database itself.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 23:54:56.815275
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chegara.db.base


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agency',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=3), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('is_partner', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency')),
    sa.UniqueConstraint('code', name=op.f('uq_agency_code'))
    )
    op.create_table('audit_event',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('resource_type', sa.String(length=64), nullable=False),
    sa.Column('resource_id', sa.String(length=64), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('row_hash', name=op.f('uq_audit_event_row_hash'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_event_resource', ['resource_type', 'resource_id'], unique=False)

    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('blocked_until', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    op.create_table('app_user',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('password_changed_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_app_user_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_app_user_agency_id'), ['agency_id'], unique=False)

    op.create_table('sharing_group',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_sharing_group_owner_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sharing_group')),
    sa.UniqueConstraint('name', name=op.f('uq_sharing_group_name'))
    )
    op.create_table('api_token',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_api_token_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('approval',
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('resource_type', sa.String(length=64), nullable=False),
    sa.Column('resource_id', sa.String(length=64), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_approval_agency_id_agency')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_approval_decided_by_id_app_user')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['app_user.id'], name=op.f('fk_approval_requested_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval'))
    )
    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_status'), ['status'], unique=False)

    op.create_table('risk_alert',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('source_reliability', sa.String(length=1), nullable=False),
    sa.Column('information_credibility', sa.String(length=1), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_agency_id', sa.Integer(), nullable=False),
    sa.Column('distribution', sa.String(length=16), nullable=False),
    sa.Column('sharing_group_id', sa.Integer(), nullable=True),
    sa.Column('tlp', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_risk_alert_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['owner_agency_id'], ['agency.id'], name=op.f('fk_risk_alert_owner_agency_id_agency')),
    sa.ForeignKeyConstraint(['sharing_group_id'], ['sharing_group.id'], name=op.f('fk_risk_alert_sharing_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_alert'))
    )
    with op.batch_alter_table('risk_alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_alert_owner_agency_id'), ['owner_agency_id'], unique=False)

    op.create_table('sharing_group_member',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_sharing_group_member_agency_id_agency')),
    sa.ForeignKeyConstraint(['group_id'], ['sharing_group.id'], name=op.f('fk_sharing_group_member_group_id_sharing_group')),
    sa.PrimaryKeyConstraint('group_id', 'agency_id', name=op.f('pk_sharing_group_member'))
    )
    op.create_table('web_session',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', chegara.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', chegara.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_web_session_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_web_session_token_hash'))
    )
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_session_user_id'), ['user_id'], unique=False)


    _make_audit_append_only()


PG_REFUSE = """
CREATE OR REPLACE FUNCTION chegara_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql
"""


# One round trip per audited write on PostgreSQL: take the chain lock, read the head (a fresh
# snapshot per statement in a volatile function), fill seq and prev_hash into the canonical JSON
# the application prepared (at two random placeholders it chose), hash and insert.
PG_APPEND = """
CREATE OR REPLACE FUNCTION chegara_audit_append(
    body text, seq_mark text, prev_mark text, p_at timestamptz, p_actor_id integer,
    p_actor text, p_agency_id integer, p_action text, p_resource_type text,
    p_resource_id text, p_fields json, p_digest text, p_note text
) RETURNS integer AS $$
DECLARE
    last_seq integer;
    last_hash text;
    new_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(1128810823);
    SELECT seq, row_hash INTO last_seq, last_hash FROM audit_event ORDER BY seq DESC LIMIT 1;
    IF last_seq IS NULL THEN
        last_seq := 0;
        last_hash := repeat('0', 64);
    END IF;
    new_hash := encode(sha256(convert_to(last_hash || replace(replace(
        body, '"' || seq_mark || '"', (last_seq + 1)::text), prev_mark, last_hash), 'UTF8')),
        'hex');
    INSERT INTO audit_event (seq, at, actor_id, actor, agency_id, action, resource_type,
                             resource_id, fields, digest, note, prev_hash, row_hash)
    VALUES (last_seq + 1, p_at, p_actor_id, p_actor, p_agency_id, p_action, p_resource_type,
            p_resource_id, p_fields, p_digest, p_note, last_hash, new_hash);
    RETURN last_seq + 1;
END;
$$ LANGUAGE plpgsql VOLATILE
"""


def _make_audit_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_REFUSE)
        op.execute(PG_APPEND)
        op.execute("CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event "
                   "FOR EACH ROW EXECUTE FUNCTION chegara_audit_append_only()")
        op.execute("CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
                   "FOR EACH STATEMENT EXECUTE FUNCTION chegara_audit_append_only()")
    else:
        op.execute("CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
                   "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END")
        op.execute("CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
                   "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END")


def _drop_audit_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS chegara_audit_append_only()")
        op.execute("DROP FUNCTION IF EXISTS chegara_audit_append(text, text, text, timestamptz, "
                   "integer, text, integer, text, text, text, json, text, text)")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


def downgrade() -> None:
    _drop_audit_triggers()
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_session_user_id'))

    op.drop_table('web_session')
    op.drop_table('sharing_group_member')
    with op.batch_alter_table('risk_alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_alert_owner_agency_id'))

    op.drop_table('risk_alert')
    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_status'))
        batch_op.drop_index(batch_op.f('ix_approval_kind'))
        batch_op.drop_index(batch_op.f('ix_approval_agency_id'))

    op.drop_table('approval')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    op.drop_table('sharing_group')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_app_user_agency_id'))

    op.drop_table('app_user')
    op.drop_table('login_throttle')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_resource')
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    op.drop_table('agency')
