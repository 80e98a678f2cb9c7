"""The audit trail: same-transaction writes, tamper detection, append-only, checkpoints."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from chegara.db.session import Database
from chegara.security import audit, service
from chegara.security.audit import MissingActor
from chegara.security.models import Agency, AuditEvent


def _count(db: Database, model: Any) -> int:
    with db.reader() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _new_agency(db: Database, code: str) -> None:
    with db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test"))
        service.create_agency(session, code=code, name=f"Agency {code}", country="KGZ",
                              kind="border")


def test_every_change_is_chained_in_its_own_transaction(db: Database) -> None:
    _new_agency(db, "A1")
    _new_agency(db, "A2")
    with db.reader() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        result = audit.verify_chain(session)
    assert [e.action for e in events] == ["agency.insert", "agency.insert"]
    assert events[0].prev_hash == audit.GENESIS
    assert events[1].prev_hash == events[0].row_hash
    assert "code" in events[0].fields
    assert result.ok and result.checked == 2 and result.last_hash == events[1].row_hash


def test_a_crash_mid_request_leaves_no_rows_and_no_audit_gap(db: Database) -> None:
    _new_agency(db, "BEFORE")
    agencies, events = _count(db, Agency), _count(db, AuditEvent)
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test"))
        service.create_agency(session, code="HALF", name="Half written", country="KGZ",
                              kind="border")
        session.flush()  # the row and its audit record exist inside the transaction ...
        raise RuntimeError("power cut")  # ... and vanish together
    assert (_count(db, Agency), _count(db, AuditEvent)) == (agencies, events)
    _new_agency(db, "AFTER")
    with db.reader() as session:
        assert audit.verify_chain(session).ok


def test_a_change_without_an_actor_is_refused(db: Database) -> None:
    with pytest.raises(MissingActor), db.unit_of_work() as session:
        service.create_agency(session, code="NOBODY", name="No actor", country="KGZ",
                              kind="border")
        session.flush()
    assert _count(db, Agency) == 0


@contextmanager
def _unguarded(db: Database) -> Iterator[Any]:
    """Play the insider with database access: switch the append-only guard off."""
    with db.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_event_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS audit_event_no_delete"))
        yield conn
        if postgres:
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))


def _tamper(db: Database, seq: int, sql: str) -> None:
    with _unguarded(db) as conn:
        conn.execute(text(sql), {"seq": seq})


@pytest.mark.parametrize("sql, reason", [
    ("UPDATE audit_event SET note = 'nothing happened' WHERE seq = :seq", "content"),
    ("UPDATE audit_event SET actor = 'someone.else' WHERE seq = :seq", "content"),
    ("DELETE FROM audit_event WHERE seq = :seq", "missing"),
])
def test_tampering_is_detected_at_the_row(db: Database, sql: str, reason: str) -> None:
    for i in range(5):
        _new_agency(db, f"T{i}")
    _tamper(db, 3, sql)
    with db.reader() as session:
        result = audit.verify_chain(session)
    assert not result.ok
    assert result.first_broken_seq == 3
    assert reason in result.reason
    assert result.checked == 2


def test_the_database_refuses_update_and_delete_of_audit_rows(db: Database) -> None:
    _new_agency(db, "GUARD")
    for sql in ("UPDATE audit_event SET note = 'x' WHERE seq = 1",
                "DELETE FROM audit_event WHERE seq = 1"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(sql))
    with db.reader() as session:
        assert audit.verify_chain(session).ok


def test_signed_checkpoint_detects_a_rewritten_history(db: Database) -> None:
    for i in range(3):
        _new_agency(db, f"C{i}")
    key = Ed25519PrivateKey.generate()
    with db.reader() as session:
        checkpoint = audit.make_checkpoint(session, key, "KG-NCC")
        assert audit.verify_checkpoint(session, checkpoint, key.public_key()) is None
    forged = dict(checkpoint, row_hash="0" * 64)
    other_key = Ed25519PrivateKey.generate().public_key()
    with db.reader() as session:
        assert "signature" in (audit.verify_checkpoint(session, forged) or "")
        assert "signature" in (audit.verify_checkpoint(session, checkpoint, other_key) or "")
    # An insider rewrites the whole chain consistently: verify alone cannot see it, the
    # checkpoint kept by another agency can.
    _rewrite_chain_consistently(db)
    with db.reader() as session:
        assert audit.verify_chain(session).ok
        problem = audit.verify_checkpoint(session, json.loads(json.dumps(checkpoint)))
    assert problem is not None and "differs" in problem


def _rewrite_chain_consistently(db: Database) -> None:
    with db.reader() as session:
        rows = [{c.key: getattr(e, c.key) for c in AuditEvent.__table__.columns}
                for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    prev = audit.GENESIS
    with _unguarded(db) as conn:
        for row in rows:
            row["note"], row["prev_hash"] = "rewritten", prev
            row["row_hash"] = prev = audit.compute_row_hash(row)
            conn.execute(text("UPDATE audit_event SET note = :n, prev_hash = :p, row_hash = :h "
                              "WHERE seq = :seq"),
                         {"n": row["note"], "p": row["prev_hash"], "h": row["row_hash"],
                          "seq": row["seq"]})


def test_reads_of_personal_data_are_audited(client: Any, demo: Database, as_user: Any) -> None:
    headers = as_user("border.admin")
    me = client.get("/api/v1/me", headers=headers).json()
    users = client.get("/api/v1/users", headers=headers).json()["items"]
    target = next(u for u in users if u["username"] == "border.officer")
    assert client.get(f"/api/v1/users/{target['id']}", headers=headers).status_code == 200
    with demo.reader() as session:
        reads = list(session.scalars(select(AuditEvent).where(
            AuditEvent.action == "read", AuditEvent.resource_id == str(target["id"]))))
    assert len(reads) == 1 and reads[0].actor_id == me["user_id"]


def test_cli_verify_names_the_broken_sequence(db: Database, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from chegara.cli import app
    from chegara.settings import get_settings

    for i in range(4):
        _new_agency(db, f"V{i}")
    monkeypatch.setenv("CHEGARA_DATABASE_URL", db.settings.resolved_database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    key = tmp_path / "ncc.key"
    assert runner.invoke(app, ["audit", "keygen", "--out", str(key)]).exit_code == 0
    checkpoint = tmp_path / "cp.json"
    made = runner.invoke(app, ["audit", "checkpoint", "--key", str(key), "--out",
                               str(checkpoint), "--issuer", "KG-NCC"])
    assert made.exit_code == 0, made.output
    ok = runner.invoke(app, ["audit", "verify", "--checkpoint", str(checkpoint),
                             "--public-key", str(key) + ".pub"])
    assert ok.exit_code == 0, ok.output
    assert "intact" in ok.output and "valid" in ok.output
    _tamper(db, 2, "UPDATE audit_event SET note = 'edited' WHERE seq = :seq")
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "seq 2" in broken.output
    get_settings.cache_clear()


def test_chain_holds_with_non_ascii_and_placeholder_like_content(db: Database) -> None:
    with db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test"))
        service.create_agency(session, code="CYR", name="Пограничная служба «Дустлик»",
                              country="KGZ", kind="border")
        for note in ('сдан в МВД — "кавычки" \\ и ёжик', '"0000000000000000" prev_hash seq'):
            audit.append(session, action="note", resource_type="test", resource_id="1",
                         note=note, change={"текст": note})
    with db.reader() as session:
        result = audit.verify_chain(session)
    assert result.ok and result.checked == 3, result
