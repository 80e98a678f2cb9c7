"""`chegara targeting import|decide|retrain|register-model|models`: the stored side of targeting.

These commands work on the database (the `train` and `score` commands beside them work on
files only). They are added to the same `targeting` group by :func:`register`. Without
``--as USER`` they act as the system job ``cli:targeting`` for the agency named with
``--agency`` (default: the only customs agency, else the installation's own agency).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from chegara.db.session import Database
    from chegara.security.policy import Principal

AsUser = Annotated[str | None, typer.Option("--as", help="act as this user (their agency)")]
AgencyCode = Annotated[str | None, typer.Option("--agency", help="owning agency code")]


def _open() -> Database:
    from chegara.db.registry import load_all_models
    from chegara.db.schema import ensure_schema
    from chegara.db.session import open_database

    load_all_models()
    db = open_database()
    ensure_schema(db)
    return db


def _acting(session: Session, as_user: str | None, agency: str | None
            ) -> tuple[Principal | None, int, str]:
    """(principal or None, owning agency id, name for the records) and the audit actor."""
    from sqlalchemy import select

    from chegara.security import audit
    from chegara.security import service as security
    from chegara.security.models import Agency

    if as_user:
        principal = security.principal_for(session, security.find_user(session, as_user))
        audit.set_actor(session, security.actor_of(principal))
        return principal, principal.agency_id, principal.username
    audit.set_actor(session, audit.Actor.system("cli:targeting"))
    if agency:
        return None, security.resolve_owner_agency(session, agency), "cli:targeting"
    customs = list(session.scalars(select(Agency.id).where(Agency.kind == "customs",
                                                           Agency.is_partner.is_(False))))
    if len(customs) == 1:
        return None, customs[0], "cli:targeting"
    # No single customs agency: the installation's own (a new local one on an empty database).
    return None, security.resolve_owner_agency(session, None), "cli:targeting"


def import_declarations(
    file: Annotated[Path, typer.Argument(help="CSV, JSON array or JSON lines")],
    map_path: Annotated[Path | None, typer.Option(
        "--map", help="YAML map: canonical -> column (default: columns named canonically)")]
    = None,
    kind: Annotated[str, typer.Option(help="declaration or consignment (SPS)")]
    = "declaration",
    distribution: Annotated[str, typer.Option(help="agency|sharing_group|national|partners")]
    = "agency",
    agency: AgencyCode = None,
    as_user: AsUser = None,
) -> None:
    """Store declarations or SPS consignments; a file with any bad row is refused whole."""
    import hashlib

    from chegara.db.base import Distribution
    from chegara.errors import BadInput
    from chegara.files import not_utf8
    from chegara.targeting import service

    if not file.is_file():
        raise BadInput(f"{file}: no such file")
    try:
        level = Distribution(distribution)
    except ValueError as exc:
        raise BadInput(f"distribution must be one of {', '.join(Distribution)}") from exc
    if map_path is not None and not map_path.is_file():
        raise BadInput(f"{map_path}: no such file")
    try:
        field_map = (service.parse_map_text(map_path.read_text(encoding="utf-8"))
                     if map_path is not None else service.identity_map(file))
    except UnicodeDecodeError as exc:
        raise BadInput(f"{map_path}: {not_utf8(exc)}") from exc
    try:
        frame = service.read_declaration_file(file, field_map)
    except BadInput as exc:
        raise BadInput(f"{file}: " + "; ".join(
            [exc.message] + [f"line {d['line']} {d['column']!r}: {d['problem']}"
                             for d in exc.details[:20]])) from exc
    db = _open()
    with db.unit_of_work() as session:
        principal, owner, who = _acting(session, as_user, agency)
        batch = service.import_declarations(
            session, frame=frame, owner_agency_id=owner, kind=kind, source_name=file.name,
            source_sha256=hashlib.sha256(file.read_bytes()).hexdigest(), created_by=who,
            requester=principal, distribution=level)
        typer.echo(f"{batch.rows} {kind}s imported from {file.name} (import {batch.id})")


def decide(
    day_from: Annotated[str | None, typer.Option("--from", help="first day YYYY-MM-DD")] = None,
    day_to: Annotated[str | None, typer.Option("--to", help="last day YYYY-MM-DD")] = None,
    red_rate: Annotated[float, typer.Option(help="share sent red by score per office-day")]
    = 0.05,
    yellow_rate: Annotated[float, typer.Option(help="share sent yellow by score")] = 0.05,
    random_percent: Annotated[float, typer.Option(help="random compliance sample, %")] = 1.0,
    agency: AgencyCode = None,
    as_user: AsUser = None,
) -> None:
    """Channel the undecided stored declarations: profiles, random sample, model top-up."""
    import datetime as dt

    from chegara.errors import BadInput
    from chegara.targeting import service

    try:
        first = dt.date.fromisoformat(day_from) if day_from else None
        last = dt.date.fromisoformat(day_to) if day_to else None
    except ValueError as exc:
        raise BadInput("--from and --to are dates YYYY-MM-DD") from exc
    db = _open()
    with db.unit_of_work() as session:
        principal, owner, _ = _acting(session, as_user, agency)
        summary = service.run_selection(
            session, principal, owner_agency_id=owner, day_from=first, day_to=last,
            rates=service.SelectionRates(red_rate=red_rate, yellow_rate=yellow_rate,
                                         random_percent=random_percent))
    model = summary.model_version or "no active model"
    typer.echo(f"{summary.decided} declarations channelled ({model}, {summary.profiles} "
               f"active profiles): {summary.channels}")


def retrain(agency: AgencyCode = None, as_user: AsUser = None) -> None:
    """Train a new model version on every inspection result; a supervisor activates it."""
    from chegara.targeting import service

    db = _open()
    with db.unit_of_work() as session:
        principal, owner, who = _acting(session, as_user, agency)
        row = service.train_from_results(session, principal, owner_agency_id=owner,
                                         home=db.settings.home, created_by=who)
        typer.echo(_model_line(row))


def register_model(
    directory: Annotated[Path, typer.Argument(help="directory written by `targeting train`")],
    agency: AgencyCode = None,
    as_user: AsUser = None,
) -> None:
    """Copy a trained model into the registry (CHEGARA_HOME/models/) as a new version."""
    from chegara.targeting import service

    db = _open()
    with db.unit_of_work() as session:
        principal, owner, who = _acting(session, as_user, agency)
        row = service.register_model_directory(session, principal, source=directory,
                                               owner_agency_id=owner, home=db.settings.home,
                                               created_by=who)
        typer.echo(_model_line(row))


def list_models(agency: AgencyCode = None) -> None:
    """The registry: versions, status, data window and held-out precision."""
    from sqlalchemy import select

    from chegara.security import service as security
    from chegara.targeting.models import RiskModelVersion

    db = _open()
    with db.reader() as session:
        query = select(RiskModelVersion).order_by(RiskModelVersion.created_at)
        if agency:
            query = query.where(RiskModelVersion.owner_agency_id
                                == security.resolve_owner_agency(session, agency))
        for row in session.scalars(query):
            typer.echo(_model_line(row))


def _model_line(row: object) -> str:
    from chegara.targeting.models import RiskModelVersion

    assert isinstance(row, RiskModelVersion)
    p5 = row.metrics.get("precision_at_5")
    precision = f"{p5:.3f}" if isinstance(p5, float) else "-"
    return (f"{row.id:>4} {row.version:<24} {row.status:<10} data {row.data_from}..{row.data_to}"
            f" inspected {row.inspected} precision@5% {precision}")


def register(app: typer.Typer) -> None:
    """Add the database commands to the `targeting` group."""
    app.command("import")(import_declarations)
    app.command("decide")(decide)
    app.command("retrain")(retrain)
    app.command("register-model")(register_model)
    app.command("models")(list_models)
