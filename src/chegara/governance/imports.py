"""CSV imports for the secretariat's spreadsheets: tasks, meetings with their decisions,
trainings with participants, equipment handovers and donor projects.

A file is imported whole or not at all: every row goes through the same service functions as
the API, inside the caller's unit of work; any bad row is reported with its line number and
the whole transaction is rolled back. The columns of each kind are in the README.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from chegara.errors import BadInput, ChegaraError
from chegara.files import not_utf8
from chegara.governance import capacity, donors, service
from chegara.governance.models import (
    DonorProject,
    Meeting,
    Objective,
    PlanTask,
    Training,
    TrainingParticipation,
)
from chegara.governance.schemas import (
    DecisionIn,
    DonorIn,
    EquipmentIn,
    MeasureIn,
    MeetingIn,
    ObjectiveIn,
    Participant,
    ParticipationIn,
    ProjectIn,
    StatusIn,
    TaskEditIn,
    TaskIn,
    TrainingIn,
)
from chegara.security import audit
from chegara.security.policy import Principal
from chegara.security.scoping import scoped
from chegara.security.service import require

MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_REPORTED = 20

# kind -> (permission, required columns, optional columns)
COLUMNS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "tasks": ("plan.manage",
              ("objective", "measure", "code", "title", "responsible", "deadline"),
              ("strategy", "objective_title", "measure_title", "contributing", "term",
               "indicator", "status", "progress", "distribution", "tlp")),
    "meetings": ("plan.manage", ("date", "title"),
                 ("strategy", "place", "participants", "agenda", "decision", "task")),
    "trainings": ("training.manage", ("kind", "topic", "starts_on", "ends_on"),
                  ("place", "distance", "organiser", "partner_institution", "trainers",
                   "strategy", "measure", "project", "agency", "women", "men",
                   "certificates")),
    "equipment": ("training.manage", ("item", "recipient", "handed_over_on"),
                  ("category", "quantity", "location", "value", "currency", "strategy",
                   "measure", "project", "training_given", "note")),
    "donor-projects": ("donor.manage",
                       ("donor", "code", "title", "starts_on", "ends_on"),
                       ("donor_name", "programme", "implementer", "budget", "currency",
                        "beneficiaries", "strategy", "objectives")),
}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    ids: list[int] = field(default_factory=list)


class RowError(ValueError):
    """A value in a row that cannot be used; the message names the column."""


def _date(value: str, column: str) -> dt.date:
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(f"{column}: {value!r} is not a date (YYYY-MM-DD or DD.MM.YYYY)")


def _number(value: str, column: str, default: int = 0) -> int:
    text = value.strip()
    if not text:
        return default
    if not text.isdigit() or len(text) > 9:
        raise RowError(f"{column}: {value!r} is not a whole number")
    return int(text)


def _money(value: str, column: str) -> float | None:
    text = value.strip().replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise RowError(f"{column}: {value!r} is not an amount") from None
    if not 0 <= number <= 1e12:
        raise RowError(f"{column}: {value!r} is out of range")
    return number


def _yes(value: str, column: str) -> bool:
    text = value.strip().lower()
    if text in ("", "no", "false", "0", "нет"):
        return False
    if text in ("yes", "true", "1", "да"):
        return True
    raise RowError(f"{column}: {value!r} is not yes or no")


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _problem(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg']}"
                         for e in error.errors())
    if isinstance(error, ChegaraError):
        return error.message
    return str(error)


class Importer:
    """One import: the rows of one file, applied in order, with the references it makes."""

    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.result = ImportResult()

    def strategy_id(self, row: dict[str, str]) -> int:
        return service.strategy_by_code(self.session, self.principal,
                                        row.get("strategy", "").strip() or None).id

    def measure_id(self, row: dict[str, str]) -> int | None:
        code = row.get("measure", "").strip()
        if not code:
            return None
        found = service.measure_by_code(self.session, self.strategy_id(row), code)
        if found is None:
            raise RowError(f"measure: no measure {code!r} in the plan")
        return found.id

    def project_id(self, code: str) -> int | None:
        if not code.strip():
            return None
        require(self.principal, "donor.read")
        found = self.session.scalar(scoped(
            select(DonorProject.id).where(DonorProject.code == code.strip()), DonorProject,
            self.principal))
        if found is None:
            raise RowError(f"project: no donor project {code!r}")
        return found

    def counted(self, made: bool, record_id: int) -> None:
        self.result.created += made
        self.result.updated += not made
        self.result.ids.append(record_id)

    # --- tasks ----------------------------------------------------------------------------

    def task(self, row: dict[str, str]) -> None:
        strategy_id = self.strategy_id(row)
        objective = self._objective(strategy_id, row)
        measure = service.measure_by_code(self.session, strategy_id, row["measure"].strip())
        if measure is None:
            if not row.get("measure_title", "").strip():
                raise RowError(f"measure_title: measure {row['measure']!r} is new; give its "
                               "title")
            measure = service.add_measure(self.session, self.principal, objective.id,
                                          MeasureIn(code=row["measure"].strip(),
                                                    title=row["measure_title"].strip()))
        elif measure.objective_id != objective.id:
            raise RowError(f"measure: {measure.code} belongs to another objective")
        deadline = _date(row["deadline"], "deadline")
        status = row.get("status", "").strip() or "not_started"
        progress = _number(row.get("progress", ""), "progress")
        existing = self.session.scalar(select(PlanTask).where(
            PlanTask.strategy_id == strategy_id, PlanTask.code == row["code"].strip()))
        if existing is None:
            task = service.create_task(self.session, self.principal, TaskIn.model_validate({
                "measure_id": measure.id, "code": row["code"].strip(),
                "title": row["title"].strip(), "responsible": row["responsible"].strip(),
                "contributing": _list(row.get("contributing", "")),
                "term": row.get("term", "").strip() or "short", "deadline": deadline,
                "indicator": row.get("indicator", "").strip(), "status": status,
                "progress": progress,
                "distribution": row.get("distribution", "").strip() or "national",
                "tlp": row.get("tlp", "").strip().lower() or "green"}))
            self.counted(True, task.id)
            return
        if existing.measure_id != measure.id:
            raise RowError(f"code: task {existing.code} exists under another measure")
        service.edit_task(self.session, self.principal, existing.id, TaskEditIn.model_validate({
            "title": row["title"].strip(), "responsible": row["responsible"].strip(),
            "contributing": _list(row.get("contributing", "")),
            "term": row.get("term", "").strip() or existing.term, "deadline": deadline,
            "indicator": row.get("indicator", "").strip()}))
        if status != existing.status or progress != existing.progress:
            service.update_status(self.session, self.principal, existing.id, StatusIn(
                status=status, progress=progress,  # type: ignore[arg-type]
                note="imported from the plan spreadsheet"))
        self.counted(False, existing.id)

    def _objective(self, strategy_id: int, row: dict[str, str]) -> Objective:
        code = row["objective"].strip()
        found = self.session.scalar(select(Objective).where(Objective.strategy_id == strategy_id,
                                                            Objective.code == code))
        if found is not None:
            return found
        title = row.get("objective_title", "").strip()
        if not title:
            raise RowError(f"objective_title: objective {code!r} is new; give its title")
        return service.add_objective(self.session, self.principal, strategy_id,
                                     ObjectiveIn(code=code, title=title))

    # --- meetings -------------------------------------------------------------------------

    def meeting(self, row: dict[str, str]) -> None:
        held_on = _date(row["date"], "date")
        title = row["title"].strip()
        meeting = self.session.scalar(select(Meeting).where(
            Meeting.held_on == held_on, Meeting.title == title,
            Meeting.owner_agency_id == self.principal.agency_id))
        made = meeting is None
        if meeting is None:
            strategy = service.current_strategy(self.session, self.principal)
            meeting = service.create_meeting(self.session, self.principal, MeetingIn(
                strategy_id=strategy.id if strategy else None, title=title, held_on=held_on,
                place=row.get("place", "").strip(),
                participants=[_participant(p) for p in _list(row.get("participants", ""))],
                agenda=_list(row.get("agenda", ""))))
            self.counted(True, meeting.id)
        text = row.get("decision", "").strip()
        if text:
            decision = service.add_decision(self.session, self.principal, meeting.id,
                                            DecisionIn(text=text))
            code = row.get("task", "").strip()
            if code:
                task = self.session.scalar(select(PlanTask).where(
                    PlanTask.code == code, service.visible_tasks(self.principal)))
                if task is None:
                    raise RowError(f"task: no task {code!r}")
                decision.task_id = task.id
            if not made:
                self.result.updated += 1

    # --- trainings ------------------------------------------------------------------------

    def training(self, row: dict[str, str]) -> None:
        starts_on = _date(row["starts_on"], "starts_on")
        kind, topic = row["kind"].strip(), row["topic"].strip()
        training = self.session.scalar(select(Training).where(
            Training.kind == kind, Training.topic == topic, Training.starts_on == starts_on,
            Training.owner_agency_id == self.principal.agency_id))
        participants = []
        if row.get("agency", "").strip():
            participants.append(ParticipationIn(
                agency=row["agency"].strip(), women=_number(row.get("women", ""), "women"),
                men=_number(row.get("men", ""), "men"),
                certificates=_number(row.get("certificates", ""), "certificates")))
        if training is None:
            place = row.get("place", "").strip()
            data = TrainingIn.model_validate({
                "kind": kind, "topic": topic, "starts_on": starts_on,
                "ends_on": _date(row["ends_on"], "ends_on"), "place": place,
                "distance": _yes(row.get("distance", ""), "distance") or not place,
                "organiser": row.get("organiser", "").strip(),
                "partner_institution": row.get("partner_institution", "").strip(),
                "trainers": _list(row.get("trainers", "")),
                "measure_id": self.measure_id(row),
                "project_id": self.project_id(row.get("project", "")),
                "participants": participants})
            made = capacity.create_training(self.session, self.principal, data)
            self.counted(True, made.id)
            return
        for part in participants:
            agency = service.agency_by_code(self.session, part.agency, field_name="agency")
            if self.session.scalar(select(TrainingParticipation.id).where(
                    TrainingParticipation.training_id == training.id,
                    TrainingParticipation.agency_id == agency.id)) is not None:
                raise RowError(f"agency: {agency.code} is listed twice for this training")
            self.session.add(TrainingParticipation(
                training_id=training.id, agency_id=agency.id, women=part.women, men=part.men,
                certificates=part.certificates))
        self.session.flush()
        self.result.updated += 1

    # --- equipment ------------------------------------------------------------------------

    def equipment(self, row: dict[str, str]) -> None:
        handover = capacity.create_handover(self.session, self.principal,
                                            EquipmentIn.model_validate({
            "item": row["item"].strip(), "category": row.get("category", "").strip() or "other",
            "quantity": _number(row.get("quantity", ""), "quantity", default=1),
            "recipient": row["recipient"].strip(),
            "handed_over_on": _date(row["handed_over_on"], "handed_over_on"),
            "location": row.get("location", "").strip(),
            "value": _money(row.get("value", ""), "value"),
            "currency": row.get("currency", "").strip().upper() or "EUR",
            "training_given": _yes(row.get("training_given", ""), "training_given"),
            "measure_id": self.measure_id(row),
            "project_id": self.project_id(row.get("project", "")),
            "note": row.get("note", "").strip()}))
        self.counted(True, handover.id)

    # --- donor projects -------------------------------------------------------------------

    def project(self, row: dict[str, str]) -> None:
        code = row["donor"].strip()
        try:
            donors.donor_by_code(self.session, code)
        except BadInput:
            name = row.get("donor_name", "").strip()
            if not name:
                raise RowError(f"donor_name: donor {code!r} is new; give its name") from None
            donors.create_donor(self.session, self.principal, DonorIn(code=code, name=name))
        strategy_id = self.strategy_id(row)
        objectives = {o.code: o.id for o in service.objectives_of(self.session, strategy_id)}
        unknown = [c for c in _list(row.get("objectives", "")) if c not in objectives]
        if unknown:
            raise RowError(f"objectives: no objective {', '.join(unknown)} in the plan")
        if self.session.scalar(select(DonorProject.id).where(
                DonorProject.code == row["code"].strip())) is not None:
            raise RowError(f"code: project {row['code'].strip()} already exists")
        project = donors.create_project(self.session, self.principal, ProjectIn.model_validate({
            "donor": code, "code": row["code"].strip(), "title": row["title"].strip(),
            "programme": row.get("programme", "").strip(),
            "implementer": row.get("implementer", "").strip(),
            "budget": _money(row.get("budget", ""), "budget") or 0.0,
            "currency": row.get("currency", "").strip().upper() or "EUR",
            "starts_on": _date(row["starts_on"], "starts_on"),
            "ends_on": _date(row["ends_on"], "ends_on"),
            "beneficiaries": _list(row.get("beneficiaries", "")),
            "objective_ids": [objectives[c] for c in _list(row.get("objectives", ""))]}))
        self.counted(True, project.id)


def _participant(text: str) -> Participant:
    """``Name (AGENCY)`` or just a name."""
    name, _, rest = text.partition("(")
    return Participant(name=name.strip(), agency=rest.rstrip(")").strip().upper())


HANDLERS: dict[str, Callable[[Importer, dict[str, str]], None]] = {
    "tasks": Importer.task, "meetings": Importer.meeting, "trainings": Importer.training,
    "equipment": Importer.equipment, "donor-projects": Importer.project,
}


def read_rows(kind: str, data: bytes, source_name: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of the file with their line numbers, after checking the header."""
    if kind not in COLUMNS:
        raise BadInput(f"unknown kind {kind!r}; use one of {', '.join(COLUMNS)}")
    if len(data) > MAX_CSV_BYTES:
        raise BadInput(f"{source_name}: the file is over {MAX_CSV_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadInput(f"{source_name}: {not_utf8(error)}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    _permission, required, optional = COLUMNS[kind]
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    if missing or unknown:
        problems = ([f"missing columns: {', '.join(missing)}"] if missing else []) + (
            [f"unknown columns: {', '.join(unknown)}"] if unknown else [])
        raise BadInput(f"{source_name}, line 1: {'; '.join(problems)}",
                       details=[{"line": 1, "problem": p} for p in problems])
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if None in row:
                raise BadInput(f"{source_name}, line {reader.line_num}: more values than "
                               "columns", details=[{"line": reader.line_num}])
            values = {k: (v or "") for k, v in row.items()}
            if any(v.strip() for v in values.values()):
                rows.append((reader.line_num, values))
    except csv.Error as error:
        raise BadInput(f"{source_name}, line {reader.line_num}: {error}") from None
    if not rows:
        raise BadInput(f"{source_name}: no rows to import")
    return rows


def import_csv(session: Session, principal: Principal, kind: str, data: bytes, *,
               source_name: str) -> ImportResult:
    """Apply every row; if any fails, raise naming each bad line (the caller's unit of work
    then rolls everything back)."""
    rows = read_rows(kind, data, source_name)
    require(principal, COLUMNS[kind][0])
    importer = Importer(session, principal)
    handler = HANDLERS[kind]
    errors: list[tuple[int, str]] = []
    for line, row in rows:
        try:
            handler(importer, row)
        except (ChegaraError, ValidationError, RowError) as error:
            errors.append((line, _problem(error)))
        except DBAPIError as error:
            # The database refused the row and the transaction is spoilt: stop here.
            errors.append((line, str(error.orig).splitlines()[0]))
            break
        importer.result.rows += 1
    if errors:
        shown = "; ".join(f"line {n}: {p}" for n, p in errors[:MAX_REPORTED])
        more = f" (and {len(errors) - MAX_REPORTED} more)" if len(errors) > MAX_REPORTED else ""
        raise BadInput(f"{source_name}: {len(errors)} bad row(s), nothing was imported. "
                       f"{shown}{more}",
                       details=[{"line": n, "problem": p} for n, p in errors[:100]])
    audit.append(session, action="import", resource_type=f"ibm_{kind.replace('-', '_')}",
                 resource_id=source_name[:64],
                 change={"sha256": hashlib.sha256(data).hexdigest(),
                         "ids": importer.result.ids},
                 note=f"{len(rows)} rows of {kind} from {source_name}")
    return importer.result

