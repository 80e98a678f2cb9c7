"""``chegara manifest``: read passenger lists (PAXLST, PNRGOV, bus and train CSV) from files.

``import`` only parses; ``load`` stores the voyage and screens it through the passenger service.
A malformed message stops with exit code 2 and one line naming the segment, and never leaves a
half-written output file (the output is written beside the target and renamed).
"""

from __future__ import annotations

from pathlib import Path

import typer

from chegara.files import write_lines_atomically

app = typer.Typer(help="Import passenger manifests (PAXLST, PNRGOV, CSV).", no_args_is_help=True)


@app.callback()
def manifest_group() -> None:
    """Import passenger manifests (PAXLST, PNRGOV, bus and train CSV)."""


@app.command("import")
def import_manifest(
    file: Path = typer.Argument(..., help="PAXLST or PNRGOV interchange, or a CSV manifest."),
    out: Path = typer.Option(..., "--out", help="Output JSONL, one line per traveller."),
    strict: bool = typer.Option(False, "--strict", help="Refuse count and reference mismatches."),
) -> None:
    """Read one manifest file and write its travellers as JSON lines."""
    import json

    from chegara.passengers.edifact import EdifactError
    from chegara.passengers.manifest_csv import CsvManifestError
    from chegara.passengers.reader import read_manifest_file

    try:
        manifest = read_manifest_file(file, strict=strict)
    except (EdifactError, CsvManifestError) as exc:
        typer.echo(f"error: {file}: {exc}", err=True)
        raise typer.Exit(2) from None
    except OSError as exc:
        typer.echo(f"error: cannot read {file}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    for warning in manifest.warnings:
        typer.echo(f"warning: {warning}", err=True)
    rows = (json.dumps(row, ensure_ascii=False) for row in manifest.traveller_rows())
    try:
        write_lines_atomically(out, rows)
    except OSError as exc:
        typer.echo(f"error: cannot write {out}: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{manifest.message_type} {manifest.flight or '-'}: "
               f"{len(manifest.travellers)} traveller(s) -> {out}", err=True)  # fmt: skip


@app.command("load")
def load_manifest(
    file: Path = typer.Argument(..., help="PAXLST or PNRGOV interchange, or a CSV manifest."),
    as_user: str = typer.Option(..., "--as", help="the officer or analyst loading it: the "
                                                  "voyage and its hits belong to their agency"),
    distribution: str = typer.Option("agency", help="agency | national | partners"),
) -> None:
    """Store FILE as a voyage and screen every traveller (watchlists, document registry,
    document checks, active traveller rules); prints the pre-arrival summary."""
    from chegara.db.base import Distribution
    from chegara.db.schema import ensure_schema
    from chegara.db.session import open_database
    from chegara.errors import BadInput
    from chegara.passengers import service
    from chegara.screening.service import IndexCache
    from chegara.security import audit
    from chegara.security import service as security

    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(f"error: cannot read {file}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    if distribution not in ("agency", "national", "partners"):
        raise BadInput("--distribution is agency, national or partners")
    db = open_database()
    ensure_schema(db)
    with db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("cli:manifest-load"))
        principal = security.principal_for(session, security.find_user(session, as_user))
        audit.set_actor(session, security.actor_of(principal))
        outcome = service.load_voyage(session, IndexCache(db.settings.home / "index"), principal,
                                      data, source_name=file.name,
                                      distribution=Distribution(distribution))
        summary = outcome.summary()
    typer.echo(summary)
