"""``chegara watchlist …`` and ``chegara screen``: lists in, screening results out."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chegara.errors import BadInput, NotFound

if TYPE_CHECKING:
    from rich.console import Console

    from chegara.db.session import Database
    from chegara.screening.lookup import Traveller

app = typer.Typer(help="Watchlists: import versions, list them, show their diffs.",
                  no_args_is_help=True)


def _open() -> Database:
    from chegara.db.schema import ensure_schema
    from chegara.db.session import open_database

    db = open_database()
    ensure_schema(db)
    return db


@app.command("import")
def import_list(
    file: Path,
    list_name: Annotated[str, typer.Option("--list", help="watchlist name")],
    fmt: Annotated[str, typer.Option("--format", help="auto|csv|un-xml|ofac-csv|ftm-json")]
    = "auto",
    title: Annotated[str | None, typer.Option(help="title of a new list")] = None,
    kind: Annotated[str, typer.Option(help="wanted|interpol|sanctions|other (new list)")]
    = "other",
    agency: Annotated[str | None, typer.Option(help="owning agency code (new list)")] = None,
    maintained_here: Annotated[bool, typer.Option(
        help="the owning agency maintains the list: versions need four-eyes (new list)")]
    = False,
    as_user: Annotated[str | None, typer.Option("--as", help="import as this user")] = None,
) -> None:
    """Import FILE as a new version of the list (created if new); prints the diff."""
    from chegara.screening import service
    from chegara.screening.importers import read_list
    from chegara.security import audit
    from chegara.security import service as security

    people = read_list(file, fmt)
    digest = hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else ""
    db = _open()
    with db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("cli:watchlist-import"))
        requester = None
        if as_user:
            user = security.find_user(session, as_user)
            requester = security.principal_for(session, user)
            audit.set_actor(session, security.actor_of(requester))
        try:
            watchlist = service.get_watchlist(session, None, list_name)
        except NotFound:
            owner = security.resolve_owner_agency(session, agency)
            watchlist = service.create_watchlist(
                session, owner_agency_id=owner, name=list_name, title=title or list_name,
                kind=kind, maintained_here=maintained_here)
        outcome = service.import_version(
            session, watchlist=watchlist, people=people, source_name=file.name,
            source_format=fmt, source_sha256=digest, requester=requester)
        summary = outcome.summary()
    _warm_index(db, list_name)
    typer.echo(summary)


def _warm_index(db: Database, list_name: str) -> None:
    """Build the index file now, so that the first screening does not pay for it."""
    from chegara.screening import service

    with db.reader() as session:
        watchlist = service.get_watchlist(session, None, list_name)
        if watchlist.active_version:
            service.IndexCache(db.settings.home / "index").index_for(session, watchlist)


@app.command("list")
def list_lists() -> None:
    """The watchlists with their active version."""
    from chegara.screening import service

    db = _open()
    with db.reader() as session:
        for w in service.visible_watchlists(session, None):
            typer.echo(f"{w.name:<24} v{w.active_version:<4} {w.kind:<10} {w.title}")


@app.command("diff")
def diff(list_name: Annotated[str, typer.Option("--list")],
         version: Annotated[int | None, typer.Option(help="default: the newest", min=1,
                                                     max=2**31 - 1)] = None
         ) -> None:
    """What a version added, changed and removed."""
    from chegara.screening import service

    db = _open()
    with db.reader() as session:
        watchlist = service.get_watchlist(session, None, list_name)
        number = version or max((v.number for v in service.versions(session, watchlist)),
                                default=0)
        result = service.version_diff(session, watchlist, number)
    for label, rows in (("+", result.added), ("~", result.changed), ("-", result.removed)):
        for entry_id, name in rows:
            typer.echo(f"{label} {entry_id}  {name}")


def screen(
    file: Path,
    out: Annotated[Path, typer.Option("--out", help="JSON lines, one per input row")],
    lists: Annotated[list[str] | None, typer.Option("--list", help="watchlist(s); default all")]
    = None,
    threshold: Annotated[float | None, typer.Option(
        help="0..1; default: each list's threshold, else 0.5")] = None,
) -> None:
    """Screen the travellers of a CSV file (id,name,birth_date,nationality,gender,
    document_number) against watchlists; nothing is recorded in the hit queue."""
    from rich.progress import Progress
    from sqlalchemy import select

    from chegara.files import check_output_path
    from chegara.screening import lookup
    from chegara.screening.models import Watchlist

    check_output_path(out)
    travellers = _read_travellers(file)
    db = _open()
    temporary = out.with_name(out.name + ".part")
    with db.reader() as session:
        watchlists = list(session.scalars(select(Watchlist).order_by(Watchlist.name)))
        if lists:
            by_name = {w.name: w for w in watchlists}
            unknown = [n for n in lists if n not in by_name]
            if unknown:
                raise BadInput(f"unknown watchlist(s): {', '.join(unknown)}")
            watchlists = [by_name[n] for n in lists]
        watchlists = [w for w in watchlists if w.active_version > 0]
        if not watchlists:
            raise BadInput("no active watchlist to screen against; import one first")
        cache = lookup.IndexCache(db.settings.home / "index")
        # Both cores of a crossing-point server for long files.
        results = lookup.screen_travellers(session, cache, [t for _id, t in travellers],
                                           watchlists=watchlists, threshold=threshold,
                                           workers=min(2, os.cpu_count() or 1))
        try:
            with temporary.open("w", encoding="utf-8") as handle, Progress(
                    transient=True, disable=len(travellers) < 500,
                    console=_stderr()) as progress:
                task = progress.add_task("screening", total=len(travellers))
                for (row_id, _traveller), (_t, hits) in zip(travellers, results, strict=True):
                    handle.write(json.dumps({"id": row_id, "hits": [
                        h.to_json() | {"list": w.name} for w, h in hits]},
                        ensure_ascii=False) + "\n")
                    progress.advance(task)
            os.replace(temporary, out)
        finally:
            temporary.unlink(missing_ok=True)
    typer.echo(f"{len(travellers)} travellers screened against "
               f"{', '.join(w.name for w in watchlists)}; results in {out}", err=True)


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _read_travellers(path: Path) -> list[tuple[str, Traveller]]:
    from chegara.screening.csv_formats import iter_queries_csv
    from chegara.screening.lookup import Traveller
    from chegara.screening.matcher import ScreeningInputError

    if not path.is_file():
        raise BadInput(f"{path} is a directory, not a file" if path.is_dir()
                       else f"no such file: {path}")
    rows: list[tuple[str, Traveller]] = []
    problems: list[str] = []
    try:
        for line, (row_id, query) in enumerate(iter_queries_csv(path), start=2):
            name = query.name.strip()
            if not any(ch.isalpha() for ch in name) or len(name) > 300:
                problems.append(f"line {line} ({row_id}): the name must have letters and at "
                                "most 300 characters")
                continue
            rows.append((row_id, Traveller(name, query.birth_date, query.nationality,
                                           query.gender, query.document_number)))
    except ScreeningInputError as exc:
        raise BadInput(str(exc)) from exc
    if problems:
        raise BadInput(f"{path.name} rejected, nothing screened: " + "; ".join(problems[:20]))
    return rows
