"""``chegara mrz``: check machine readable zones in bulk from the command line.

Heavy work is imported inside the command so that ``chegara --help`` stays fast. The output file
is written to a temporary file beside it and renamed at the end, so a failed run never leaves a
half-written file that a later step could mistake for a complete one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chegara.files import write_lines_atomically

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from chegara.security.policy import Principal

app = typer.Typer(help="Check machine readable zones (ICAO Doc 9303).", no_args_is_help=True)


@app.callback()
def mrz_group() -> None:
    """Check machine readable zones (ICAO Doc 9303)."""


class InputLineError(ValueError):
    """A line of the input JSONL that is not a usable {"id", "mrz"} object."""


def _parse_input_line(number: int, line: str) -> tuple[str | int | float, str]:
    import json

    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputLineError(f"line {number}: not valid JSON ({exc.msg})") from None
    if not isinstance(item, dict):
        raise InputLineError(f"line {number}: expected a JSON object")
    ident, mrz_text = item.get("id"), item.get("mrz")
    # The id is echoed as given (string or number) so callers can join results to inputs.
    if not isinstance(ident, (str, int, float)) or isinstance(ident, bool):
        raise InputLineError(f"line {number}: missing or unusable 'id'")
    if not isinstance(mrz_text, str):
        raise InputLineError(f"line {number}: missing 'mrz' text")
    return ident, mrz_text


@app.command("check")
def check(
    jsonl: Path = typer.Option(..., "--jsonl", help='Input: one {"id", "mrz"} object a line.'),
    out: Path = typer.Option(..., "--out", help="Output JSONL, one result per input line."),
) -> None:
    """Validate every MRZ of a JSONL file; write valid/format/fields/errors/warnings per line."""
    import json
    from datetime import date

    from chegara.documents.mrz import check_mrz

    today = date.today()
    try:
        text = jsonl.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"error: cannot read {jsonl}: {exc}", err=True)
        raise typer.Exit(2) from None
    results: list[str] = []
    valid = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            ident, mrz_text = _parse_input_line(number, line)
        except InputLineError as exc:
            typer.echo(f"error: {jsonl}: {exc}", err=True)
            raise typer.Exit(2) from None
        record: dict[str, object] = {"id": ident}
        outcome = check_mrz(mrz_text, today=today)
        valid += outcome.valid
        record.update(outcome.to_json())
        results.append(json.dumps(record, ensure_ascii=False))
    if not results:
        # An empty output would pass for "nothing to check" when the wrong file was given.
        typer.echo(f"error: {jsonl} holds no MRZ lines", err=True)
        raise typer.Exit(2)
    try:
        write_lines_atomically(out, results)
    except OSError as exc:
        typer.echo(f"error: cannot write {out}: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{len(results)} MRZ checked, {valid} valid -> {out}", err=True)


# --- chegara registry ----------------------------------------------------------------------

registry_app = typer.Typer(help="The lost, stolen, invalidated and revoked document registry.",
                           no_args_is_help=True)


@registry_app.callback()
def registry_group() -> None:
    """The lost, stolen, invalidated and revoked document registry."""


def _principal_as(session: Session, username: str | None, system_name: str
                  ) -> Principal | None:
    """The user to act as (their rights and scoping apply), or None for a system run."""
    from chegara.security import audit
    from chegara.security import service as security

    audit.set_actor(session, audit.Actor.system(system_name))
    if not username:
        return None
    principal = security.principal_for(session, security.find_user(session, username))
    audit.set_actor(session, security.actor_of(principal))
    return principal


@registry_app.command("import")
def registry_import(
    file: Path = typer.Argument(..., help="CSV: document_number,document_type,issuing_state,"
                                          "status,reported_on,source"),
    as_user: str | None = typer.Option(None, "--as", help="import as this user (their agency "
                                                          "owns the rows)"),
    agency: str | None = typer.Option(None, help="owning agency code, without --as"),
    distribution: str = typer.Option("national", help="agency | national | partners"),
) -> None:
    """Import a registry file; a bad row rejects the whole file, naming its line (exit 2)."""
    import hashlib

    from chegara.db.base import Distribution
    from chegara.db.schema import ensure_schema
    from chegara.db.session import open_database
    from chegara.documents import service
    from chegara.errors import BadInput
    from chegara.security import service as security

    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(f"error: cannot read {file}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    if distribution not in ("agency", "national", "partners"):
        raise BadInput("--distribution is agency, national or partners")
    rows = service.parse_registry_csv(data)
    db = open_database()
    ensure_schema(db)
    with db.unit_of_work() as session:
        requester = _principal_as(session, as_user, "cli:registry-import")
        owner = requester.agency_id if requester else security.resolve_owner_agency(
            session, agency)
        outcome = service.import_registry(
            session, rows=rows, owner_agency_id=owner, source_name=file.name,
            source_sha256=hashlib.sha256(data).hexdigest(), requester=requester,
            distribution=Distribution(distribution))
    typer.echo(outcome.summary())


@registry_app.command("lookup")
def registry_lookup(
    number: str = typer.Argument(..., help="document number (blanks, dashes, '<' ignored)"),
    state: str | None = typer.Option(None, "--state", help="issuing state, e.g. KGZ"),
    document_type: str | None = typer.Option(None, "--type", help="document type, e.g. P"),
    as_user: str | None = typer.Option(None, "--as", help="look up as this user (sees what "
                                                          "they may see)"),
) -> None:
    """Reports on a document; exit 1 when it is reported, 0 when not. The lookup is audited."""
    from chegara.db.schema import ensure_schema
    from chegara.db.session import open_database
    from chegara.documents import service

    db = open_database()
    ensure_schema(db)
    with db.unit_of_work() as session:
        principal = _principal_as(session, as_user, "cli:registry-lookup")
        found = service.lookup(session, principal, number, issuing_state=state,
                               document_type=document_type, purpose="command line")
        lines = [f"{d.number}\t{d.document_type}\t{d.issuing_state}\t{d.status}\t"
                 f"{d.reported_on or '-'}\t{d.source}" for d in found]
    if not lines:
        typer.echo(f"{service.normalise_number(number)}: not reported")
        return
    for line in lines:
        typer.echo(line)
    raise typer.Exit(1)
