"""``chegara governance``: import the secretariat's CSV files and write the annual progress
report or the commission's state of play.

Heavy imports (the database, WeasyPrint) stay inside the commands so that ``chegara --help``
stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chegara.files import write_bytes_atomically
from chegara.pdf import html_to_pdf

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from chegara.security.policy import Principal

app = typer.Typer(help="IBM action plan, commission, trainings and donor projects.",
                  no_args_is_help=True)
KINDS = ("tasks", "meetings", "trainings", "equipment", "donor-projects")


@app.callback()
def governance() -> None:
    """IBM action plan, commission, trainings and donor projects."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _acting(session: Session, username: str | None, agency: str | None, job: str
            ) -> Principal:
    """The user named with --as (their rights and scoping apply), or, without it, the job
    acting for the secretariat's agency with an analyst's rights."""
    from chegara.security import audit
    from chegara.security import service as security
    from chegara.security.policy import Principal, Role

    if username:
        principal = security.principal_for(session, security.find_user(session, username))
        audit.set_actor(session, security.actor_of(principal))
        return principal
    agency_id = security.resolve_owner_agency(session, agency)
    audit.set_actor(session, audit.Actor(None, job, agency_id))
    return Principal(user_id=0, username=job, agency_id=agency_id, agency_is_partner=False,
                     roles=frozenset({Role.ANALYST}))


@app.command("import")
def import_command(
    kind: str = typer.Argument(..., help="tasks | meetings | trainings | equipment | "
                                         "donor-projects"),
    file: Path = typer.Argument(..., help="the CSV file (columns in the README)"),
    as_user: str | None = typer.Option(None, "--as", help="import as this user"),
    agency: str | None = typer.Option(None, help="acting agency code, without --as "
                                                 "(default: the national coordination centre)"),
) -> None:
    """Import a CSV file: all rows or none; bad rows are named by line (exit 2)."""
    from chegara.db.schema import ensure_schema
    from chegara.db.session import open_database
    from chegara.errors import ChegaraError
    from chegara.governance.imports import import_csv

    if kind not in KINDS:
        raise _fail(f"KIND must be one of {', '.join(KINDS)}, not {kind!r}")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise _fail(f"cannot read {file}: {error.strerror or error}") from None
    db = open_database()
    ensure_schema(db)
    try:
        with db.unit_of_work() as session:
            principal = _acting(session, as_user, agency, "cli:governance-import")
            result = import_csv(session, principal, kind, data, source_name=file.name)
    except ChegaraError as error:
        raise _fail(error.message) from None
    typer.echo(f"{result.rows} rows of {kind} imported from {file.name}: "
               f"{result.created} created, {result.updated} updated")


@app.command("report")
def report_command(
    year: int = typer.Option(..., "--year", help="the year the report covers"),
    out: Path = typer.Option(..., "--out", help="FILE.html or FILE.pdf"),
    kind: str = typer.Option("annual", help="annual | commission (the state of play for "
                                            "the next meeting)"),
    language: str | None = typer.Option(
        None, "--language", help="ru or en; the user's own language when left out."),
    as_user: str | None = typer.Option(None, "--as", help="report as this user (sees what "
                                                          "they may see)"),
    agency: str | None = typer.Option(None, help="acting agency code, without --as"),
) -> None:
    """Write the annual progress report (or the commission's state of play) as HTML or PDF."""
    from chegara.db.schema import ensure_schema
    from chegara.db.session import open_database
    from chegara.errors import ChegaraError
    from chegara.governance import products
    from chegara.settings import get_settings
    from chegara.web.i18n import LANGUAGES, translator

    suffix = out.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise _fail(f"--out must end in .html or .pdf, not {out.name}")
    if kind not in ("annual", "commission"):
        raise _fail("--kind is annual or commission")
    if language is not None and language not in LANGUAGES:
        raise _fail(f"--language is one of {', '.join(LANGUAGES)}")
    if not 2000 <= year <= 2100:
        raise _fail(f"--year {year} is outside 2000-2100")
    if not out.resolve().parent.is_dir():
        raise _fail(f"{out}: the directory does not exist")
    db = open_database()
    ensure_schema(db)
    days = get_settings().governance_at_risk_days
    try:
        with db.unit_of_work() as session:
            principal = _acting(session, as_user, agency, "cli:governance-report")
            lang = language or principal.language
            gettext = translator(lang)
            built = (products.annual_report(session, principal, year=year, at_risk_days=days,
                                            _=gettext, lang=lang) if kind == "annual"
                     else products.commission_report(session, principal, at_risk_days=days,
                                                     _=gettext, lang=lang))
    except ChegaraError as error:
        raise _fail(error.message) from None
    data = html_to_pdf(built.html) if suffix == ".pdf" else built.html.encode("utf-8")
    write_bytes_atomically(out, [data])
    typer.echo(f"{built.title} -> {out} ({len(data):,} bytes)")

