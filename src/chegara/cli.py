"""The ``chegara`` command. Each capability adds its own group; heavy imports stay inside the
commands so that ``chegara --help`` and short commands start fast."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from chegara.errors import BadInput, ChegaraError, NotFound

app = typer.Typer(help="Chegara: national risk management system for border security.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema, backup and restore.", no_args_is_help=True)
audit_app = typer.Typer(help="Verify the audit trail and export signed checkpoints.",
                        no_args_is_help=True)
demo_app = typer.Typer(help="The Kyrgyz Republic demo data set.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts (for the first administrator).", no_args_is_help=True)
retention_app = typer.Typer(help="Purge personal data past its retention period.",
                            no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(demo_app, name="demo")
app.add_typer(user_app, name="user")
app.add_typer(retention_app, name="retention")

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


# --- db ---------------------------------------------------------------------------------------

@db_app.command("upgrade")
def db_upgrade(revision: str = "heads") -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    from chegara.db.migrate import upgrade
    from chegara.settings import get_settings

    settings = get_settings()
    upgrade(settings.resolved_database_url, revision)
    out.print(f"database at {settings.redacted_database_url()} is at revision {revision}")


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision of the database and the newest one this version knows."""
    from chegara.db.migrate import current_revisions, head_revisions
    from chegara.db.session import open_database

    db = open_database()
    out.print(f"current: {', '.join(current_revisions(db.engine)) or 'empty'}  "
              f"heads: {', '.join(head_revisions(db.settings.resolved_database_url))}")


@db_app.command("backup")
def db_backup(file: Path) -> None:
    """Copy the live SQLite database to FILE (online backup API; safe while serving)."""
    from chegara.db.migrate import backup_sqlite
    from chegara.settings import get_settings

    size = backup_sqlite(get_settings().resolved_database_url, file)
    out.print(f"backup written to {file} ({size:,} bytes)")


@db_app.command("restore")
def db_restore(file: Path,
               yes: Annotated[bool, typer.Option("--yes", help="do not ask")] = False) -> None:
    """Replace the SQLite database with the backup FILE (stop the server first)."""
    from chegara.db.migrate import restore_sqlite
    from chegara.settings import get_settings

    settings = get_settings()
    if not yes and not typer.confirm(f"Replace {settings.redacted_database_url()} with {file}?"):
        raise typer.Exit(1)
    restore_sqlite(settings.resolved_database_url, file)
    out.print(f"restored {file}")


# --- audit ------------------------------------------------------------------------------------

@audit_app.command("verify")
def audit_verify(
    checkpoint: Annotated[list[Path] | None, typer.Option(
        "--checkpoint", help="signed checkpoint file(s) to check against the chain")] = None,
    public_key: Annotated[Path | None, typer.Option(
        help="trusted Ed25519 public key (PEM) of the checkpoint issuer")] = None,
) -> None:
    """Walk the hash chain; name the first broken link. Exit 1 if anything is wrong."""
    from chegara.db.session import open_database
    from chegara.security import audit

    trusted = _load_public_key(public_key) if public_key else None
    checkpoints = [_load_checkpoint(p) for p in checkpoint or []]
    db = open_database()
    with db.reader() as session:
        result = audit.verify_chain(session)
        problems = [(p, audit.verify_checkpoint(session, c, trusted))
                    for p, c in zip(checkpoint or [], checkpoints, strict=True)]
    if not result.ok:
        err.print(f"[bold red]audit chain broken at seq {result.first_broken_seq}[/]: "
                  f"{result.reason} ({result.checked} rows verified before it)")
        raise typer.Exit(1)
    out.print(f"audit chain intact: {result.checked} rows, head seq {result.last_seq}, "
              f"hash {result.last_hash}")
    failed = False
    for path, problem in problems:
        if problem:
            err.print(f"[bold red]checkpoint {path}[/]: {problem}")
            failed = True
        else:
            out.print(f"checkpoint {path}: valid")
    if failed:
        raise typer.Exit(1)


def _load_checkpoint(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInput(f"cannot read checkpoint {path}: {exc}") from exc
    if not isinstance(data, dict) or not {"seq", "row_hash", "signature"} <= set(data):
        raise BadInput(f"{path} is not a Chegara audit checkpoint")
    return data


def _load_public_key(path: Path):  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        key = load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise BadInput(f"cannot read public key {path}: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise BadInput(f"{path} is not an Ed25519 public key")
    return key


@audit_app.command("keygen")
def audit_keygen(out_file: Annotated[Path, typer.Option("--out", help="private key file")]
                 ) -> None:
    """Create an Ed25519 key pair for signing checkpoints (writes OUT and OUT.pub)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if out_file.exists():
        raise BadInput(f"{out_file} exists; refusing to overwrite a key")
    key = Ed25519PrivateKey.generate()
    out_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    out_file.chmod(0o600)
    pub = out_file.with_name(out_file.name + ".pub")
    pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    out.print(f"private key {out_file}, public key {pub}")


@audit_app.command("checkpoint")
def audit_checkpoint(
    key: Annotated[Path, typer.Option(help="Ed25519 private key (PEM)")],
    out_file: Annotated[Path | None, typer.Option("--out", help="write here, else stdout")]
    = None,
    issuer: Annotated[str, typer.Option(help="who signs")] = "chegara",
) -> None:
    """Export a signed checkpoint of the chain head that another agency can keep."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from chegara.db.session import open_database
    from chegara.security import audit

    try:
        private = load_pem_private_key(key.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise BadInput(f"cannot read private key {key}: {exc}") from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise BadInput(f"{key} is not an Ed25519 private key")
    db = open_database()
    with db.reader() as session:
        checkpoint = audit.make_checkpoint(session, private, issuer)
    text = json.dumps(checkpoint, indent=2)
    if out_file:
        out_file.write_text(text + "\n", encoding="utf-8")
        out.print(f"checkpoint of seq {checkpoint['seq']} written to {out_file}")
    else:
        sys.stdout.write(text + "\n")


# --- users ------------------------------------------------------------------------------------

@user_app.command("create")
def user_create(
    username: str, agency: Annotated[str, typer.Option(help="agency code")],
    full_name: Annotated[str, typer.Option()],
    role: Annotated[list[str], typer.Option(help="officer, analyst, supervisor, admin, auditor")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                          confirmation_prompt=True)],
) -> None:
    """Create a user (for instance the first administrator of a fresh installation)."""
    from sqlalchemy import select

    from chegara.db.session import open_database
    from chegara.security import audit, service
    from chegara.security.models import Agency

    db = open_database()
    with db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("cli:user-create"))
        agency_id = session.scalar(select(Agency.id).where(Agency.code == agency))
        if agency_id is None:
            raise BadInput(f"no agency with code {agency!r}")
        user = service.create_user(session, db.settings, username=username,
                                   full_name=full_name, agency_id=agency_id, roles=role,
                                   password=password)
    out.print(f"user {user.username} created")


@retention_app.command("purge")
def retention_purge() -> None:
    """Delete closed screening hits older than CHEGARA_RETENTION_HIT_DAYS (audited)."""
    import datetime as dt

    from chegara.db.session import open_database
    from chegara.screening.service import purge_expired_hits
    from chegara.security import audit

    db = open_database()
    with db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("cli:retention"))
        purged = purge_expired_hits(
            session, older_than=dt.timedelta(days=db.settings.retention_hit_days))
    out.print(f"{purged} closed screening hits older than {db.settings.retention_hit_days} "
              "days purged")


# --- demo and server --------------------------------------------------------------------------

@demo_app.command("load")
def demo_load() -> None:
    """Load the Kyrgyz Republic demo (agencies, users of every role, alerts, approvals) into
    the database, migrating it first; prints the demo logins."""
    from chegara.demo.load import load_demo

    summary = load_demo()
    out.print(str(summary), highlight=False)


@app.command("serve")
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the web interface and the API."""
    import uvicorn

    from chegara.app import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level="info")


def _register_capabilities() -> None:
    """Capability groups (each module keeps its heavy imports inside its commands)."""
    from chegara.analysis import cli as analysis
    from chegara.documents import cli as documents
    from chegara.governance import cli as governance
    from chegara.passengers import cli as passengers
    from chegara.screening import cli as screening
    from chegara.targeting import cli as targeting
    from chegara.targeting.manage_cli import register as register_targeting

    app.add_typer(screening.app, name="watchlist")
    app.command("screen")(screening.screen)
    app.add_typer(documents.app, name="mrz")
    app.add_typer(documents.registry_app, name="registry")
    app.add_typer(passengers.app, name="manifest")
    register_targeting(targeting.app)
    app.add_typer(targeting.app, name="targeting")
    app.add_typer(analysis.app, name="analysis")
    app.add_typer(governance.app, name="governance")


_register_capabilities()


def main() -> None:
    try:
        app()
    except (BadInput, NotFound) as exc:
        # On the command line a record that is not found was named by the operator.
        err.print(f"[bold red]error:[/] {exc.message}", highlight=False)
        sys.exit(2)
    except ChegaraError as exc:
        err.print(f"[bold red]error:[/] {exc.message}", highlight=False)
        sys.exit(1)
    except OSError as exc:
        # A file named on the command line that cannot be read or written (missing folder,
        # a directory, no permission) is the operator's to fix: one line, not a traceback.
        from chegara.files import os_error_message

        err.print(f"[bold red]error:[/] {os_error_message(exc)}", highlight=False)
        sys.exit(2)
