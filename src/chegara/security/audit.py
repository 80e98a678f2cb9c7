"""The tamper-evident audit trail.

Every change to an audited table is appended to ``audit_event`` by a flush hook, in the same
transaction as the change, so a change without its audit record cannot be committed and a
rolled-back change leaves no record. Each row carries ``prev_hash`` and
``row_hash = sha256(prev_hash || canonical_json(row))``; editing or deleting any row breaks the
chain at that row. Reads of personal data are recorded explicitly with :func:`record_read`.

Rows hold the names of changed fields and a digest of the values, not the values themselves:
personal data must be purgeable under its retention period, and an append-only log cannot be.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from chegara.db.base import Base, utcnow
from chegara.errors import ChegaraError
from chegara.security.models import AuditEvent

GENESIS = "0" * 64


class MissingActor(ChegaraError):
    code = "missing_actor"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user, or a named system job (``cli:demo``, ``migration``)."""

    id: int | None
    username: str
    agency_id: int | None

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(id=None, username=name, agency_id=None)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def row_content(row: dict[str, Any]) -> dict[str, Any]:
    """The hashed content of an audit row: every column except ``row_hash``."""
    return {
        "seq": row["seq"],
        "at": _timestamp(row["at"]),
        "actor_id": row["actor_id"],
        "actor": row["actor"],
        "agency_id": row["agency_id"],
        "action": row["action"],
        "resource_type": row["resource_type"],
        "resource_id": row["resource_id"],
        "fields": list(row["fields"]),
        "digest": row["digest"],
        "note": row["note"],
        "prev_hash": row["prev_hash"],
    }


def compute_row_hash(row: dict[str, Any]) -> str:
    payload = row["prev_hash"] + canonical_json(row_content(row))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def set_actor(session: Session, actor: Actor) -> None:
    session.info["actor"] = actor


def current_actor(session: Session) -> Actor:
    actor = session.info.get("actor")
    if not isinstance(actor, Actor):
        raise MissingActor("a change was attempted without an acting user or job")
    return actor


_COLUMNS = ("seq", "at", "actor_id", "actor", "agency_id", "action", "resource_type",
            "resource_id", "fields", "digest", "note", "prev_hash", "row_hash")
# Appends use driver-level SQL: they run on every audited write, and going through the ORM or
# Core compilation made the audit trail cost as much as the change it records.
_SQLITE_INSERT = "INSERT INTO audit_event ({}) VALUES ({})".format(
    ", ".join(_COLUMNS), ", ".join(f":{c}" for c in _COLUMNS))
_HEAD = "SELECT seq, row_hash FROM audit_event ORDER BY seq DESC LIMIT 1"


def _driver_cursor(session: Session) -> tuple[Any, str]:
    """The DBAPI cursor of the session's transaction and the dialect name.

    Appends run on every audited write; going through SQLAlchemy's execution layer for two
    tiny statements cost as much as the write being audited, so they use the cursor directly.
    """
    conn = session.connection()
    return conn.connection.driver_connection.cursor(), conn.dialect.name  # type: ignore[union-attr]


def _chain_head(session: Session, cursor: Any) -> tuple[int, str]:
    head = session.info.get("audit_head")
    if head is not None:
        return head  # type: ignore[no-any-return]
    cursor.execute(_HEAD)  # SQLite: BEGIN IMMEDIATE already made this the only writer
    last = cursor.fetchone()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS)


def _sqlite_values(row: dict[str, Any]) -> dict[str, Any]:
    values = dict(row)
    values["fields"] = json.dumps(row["fields"])
    # The text form SQLAlchemy's SQLite DateTime type reads back.
    values["at"] = row["at"].astimezone(dt.UTC).replace(tzinfo=None).isoformat(
        " ", "microseconds")
    return values


def append(
    session: Session,
    *,
    action: str,
    resource_type: str,
    resource_id: str | int,
    fields: list[str] | None = None,
    change: Any = None,
    note: str = "",
    actor: Actor | None = None,
) -> int:
    """Append one event to the chain inside the session's transaction; returns its ``seq``."""
    actor = actor or current_actor(session)
    cursor, dialect = _driver_cursor(session)
    if dialect == "postgresql":
        return _append_in_postgres(cursor, actor, action, resource_type, resource_id, fields,
                                   change, note)
    seq, prev_hash = _chain_head(session, cursor)
    row: dict[str, Any] = {
        "seq": seq + 1,
        "at": utcnow(),
        "actor_id": actor.id,
        "actor": actor.username,
        "agency_id": actor.agency_id,
        "action": action,
        "resource_type": resource_type,
        "resource_id": str(resource_id),
        "fields": sorted(fields or []),
        "digest": hashlib.sha256(canonical_json(change).encode("utf-8")).hexdigest(),
        "note": note[:2000],
        "prev_hash": prev_hash,
    }
    row["row_hash"] = compute_row_hash(row)
    cursor.execute(_SQLITE_INSERT, _sqlite_values(row))
    session.info["audit_head"] = (row["seq"], row["row_hash"])
    return int(row["seq"])


def _append_in_postgres(cursor: Any, actor: Actor, action: str, resource_type: str,
                        resource_id: str | int, fields: list[str] | None, change: Any,
                        note: str) -> int:
    """The same row and hash as on SQLite, computed by ``chegara_audit_append`` in one round trip
    (migration 0001): the canonical JSON is made here with two random placeholders for the
    sequence number and the previous hash, which only the database knows under the lock."""
    seq_mark, prev_mark = secrets.token_hex(16), secrets.token_hex(16)
    row: dict[str, Any] = {
        "seq": seq_mark, "at": utcnow(), "actor_id": actor.id, "actor": actor.username,
        "agency_id": actor.agency_id, "action": action, "resource_type": resource_type,
        "resource_id": str(resource_id), "fields": sorted(fields or []),
        "digest": hashlib.sha256(canonical_json(change).encode("utf-8")).hexdigest(),
        "note": note[:2000], "prev_hash": prev_mark,
    }
    cursor.execute(
        "SELECT chegara_audit_append(%(body)s, %(seq_mark)s, %(prev_mark)s, %(at)s, "
        "%(actor_id)s, %(actor)s, %(agency_id)s, %(action)s, %(resource_type)s, "
        "%(resource_id)s, CAST(%(fields)s AS JSON), %(digest)s, %(note)s)",
        {**row, "body": canonical_json(row_content(row)), "seq_mark": seq_mark,
         "prev_mark": prev_mark, "fields": json.dumps(row["fields"])})
    return int(cursor.fetchone()[0])


def record_read(
    session: Session, *, resource_type: str, resource_id: str | int, purpose: str = ""
) -> int:
    """Record that the acting user looked at personal data (who looked at which traveller)."""
    return append(
        session, action="read", resource_type=resource_type, resource_id=resource_id, note=purpose
    )


def _is_audited(obj: object) -> bool:
    return isinstance(obj, Base) and getattr(type(obj), "__audited__", True)


def _identity(obj: Base) -> str:
    key = inspect(obj).identity
    if key is None:
        return "?"
    return ",".join(str(part) for part in key)


def _column_values(obj: Base, only_changed: bool) -> tuple[list[str], dict[str, Any]]:
    state = inspect(obj)
    columns = state.mapper.column_attrs
    if not only_changed:
        loaded = state.dict
        values = {attr.key: loaded.get(attr.key) for attr in columns}
        return list(values), values
    # committed_state holds exactly the attributes modified since load: no need to walk all.
    changed: dict[str, Any] = {}
    for key in state.committed_state:
        if key in columns:
            history = state.attrs[key].history
            if history.has_changes():
                changed[key] = {"old": list(history.deleted), "new": list(history.added)}
    return list(changed), changed


def _audit_flush(session: Session, _context: Any) -> None:
    changes: list[tuple[str, Base, bool]] = []
    changes += [("insert", o, False) for o in session.new if _is_audited(o)]
    changes += [("update", o, True) for o in session.dirty if _is_audited(o)]
    changes += [("delete", o, False) for o in session.deleted if _is_audited(o)]
    for op, obj, only_changed in changes:
        fields, values = _column_values(obj, only_changed)
        if op == "update" and not fields:
            continue
        note = session.info.get("audit_note", "")
        append(
            session,
            action=f"{obj.__tablename__}.{op}",
            resource_type=obj.__tablename__,
            resource_id=_identity(obj),
            fields=fields,
            change=values,
            note=note,
        )


def install_hooks() -> None:
    """Register the flush hook once for every session in the process."""
    if not event.contains(Session, "after_flush", _audit_flush):
        event.listen(Session, "after_flush", _audit_flush)


install_hooks()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    last_seq: int
    last_hash: str
    first_broken_seq: int | None = None
    reason: str = ""


def _rows(session: Session) -> Iterator[dict[str, Any]]:
    result = session.execute(select(AuditEvent).order_by(AuditEvent.seq).execution_options(
        yield_per=2000))
    for (ev,) in result:
        yield {c.key: getattr(ev, c.key) for c in inspect(AuditEvent).column_attrs}


def verify_chain(session: Session) -> VerifyResult:
    """Walk the chain from the start; name the first row whose link or content is wrong."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    for row in _rows(session):
        if row["seq"] != expected_seq:
            return VerifyResult(False, checked, expected_seq - 1, prev_hash, expected_seq,
                                f"row {expected_seq} is missing (next row is {row['seq']})")
        if row["prev_hash"] != prev_hash:
            return VerifyResult(False, checked, row["seq"] - 1, prev_hash, row["seq"],
                                "prev_hash does not match the previous row")
        if compute_row_hash(row) != row["row_hash"]:
            return VerifyResult(False, checked, row["seq"] - 1, prev_hash, row["seq"],
                                "row content does not match its row_hash")
        prev_hash, expected_seq, checked = row["row_hash"], expected_seq + 1, checked + 1
    return VerifyResult(True, checked, expected_seq - 1, prev_hash)


# --- signed checkpoints ---------------------------------------------------------------------

def _checkpoint_message(body: dict[str, Any]) -> bytes:
    signed = {k: body[k] for k in ("seq", "row_hash", "issued_at", "issuer")}
    return canonical_json(signed).encode("utf-8")


def make_checkpoint(session: Session, key: Ed25519PrivateKey, issuer: str) -> dict[str, Any]:
    """A signed statement 'the chain had this hash at this sequence number'."""
    head = verify_chain(session)
    if not head.ok:
        raise ChegaraError(f"audit chain is broken at row {head.first_broken_seq}: {head.reason}")
    body: dict[str, Any] = {
        "seq": head.last_seq,
        "row_hash": head.last_hash,
        "issued_at": _timestamp(utcnow()),
        "issuer": issuer,
    }
    public = key.public_key().public_bytes_raw()
    body["public_key"] = base64.b64encode(public).decode()
    body["signature"] = base64.b64encode(key.sign(_checkpoint_message(body))).decode()
    return body


def verify_checkpoint(
    session: Session, checkpoint: dict[str, Any], trusted_key: Ed25519PublicKey | None = None
) -> str | None:
    """Return ``None`` if the checkpoint is authentic and the chain still holds it, else why not."""
    try:
        key = trusted_key or Ed25519PublicKey.from_public_bytes(
            base64.b64decode(checkpoint["public_key"]))
        key.verify(base64.b64decode(checkpoint["signature"]), _checkpoint_message(checkpoint))
    except (KeyError, ValueError, TypeError):
        return "checkpoint file is malformed"
    except InvalidSignature:
        return "checkpoint signature is not valid"
    row = session.execute(
        select(AuditEvent.row_hash).where(AuditEvent.seq == int(checkpoint["seq"]))
    ).scalar_one_or_none()
    if row is None:
        return f"row {checkpoint['seq']} named by the checkpoint no longer exists"
    if row != checkpoint["row_hash"]:
        return f"row {checkpoint['seq']} differs from the signed checkpoint"
    return None


def list_events(
    session: Session, *, agency_id: int, offset: int, limit: int, action: str | None = None,
    resource_type: str | None = None,
) -> tuple[list[AuditEvent], int]:
    """Events of one agency's users, newest first (auditors see their own agency's trail)."""
    from sqlalchemy import func

    query = select(AuditEvent).where(AuditEvent.agency_id == agency_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if resource_type:
        query = query.where(AuditEvent.resource_type == resource_type)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEvent.seq.desc()).offset(offset).limit(limit))
    return list(rows), total
