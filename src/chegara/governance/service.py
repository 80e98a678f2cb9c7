"""The national IBM action plan and the commission that follows it: the strategy's outline,
tasks and their status reports with evidence, plan versions, meetings and decisions, and the
state of play per agency and per objective.

Who may do what: officers, analysts and supervisors read the plan; analysts of the agency
that owns the strategy (the commission secretariat) manage it; the agency responsible for a
task reports its status and attaches evidence (analysts and supervisors). The responsible
agency always sees its own tasks, whatever their distribution; everyone else sees what the
distribution allows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from chegara.db.base import Distribution, RecordMarking, utcnow
from chegara.errors import BadInput, Conflict, Forbidden, NotFound, PayloadTooLarge
from chegara.governance.flags import CLOSED, NEAR_DONE_PERCENT, task_flag
from chegara.governance.models import (
    Decision,
    Measure,
    Meeting,
    Objective,
    PlanTask,
    PlanVersion,
    Strategy,
    TaskEvidence,
    TaskUpdate,
)
from chegara.governance.schemas import (
    DecisionIn,
    MeasureIn,
    MeetingIn,
    ObjectiveIn,
    StatusIn,
    StrategyIn,
    TaskEditIn,
    TaskIn,
)
from chegara.security.models import Agency
from chegara.security.policy import Principal, can_see
from chegara.security.scoping import scoped, visible_to
from chegara.security.service import require

# Reported as "delayed" or "cancelled", a task needs the reason in the report.
NOTE_REQUIRED = frozenset({"delayed", "cancelled"})


def today() -> dt.date:
    return utcnow().date()


def apply_marking(record: Any, data: Any, principal: Principal) -> None:
    if data.distribution == Distribution.SHARING_GROUP.value and data.sharing_group_id is None:
        raise BadInput("choose the sharing group", details=[{"field": "sharing_group_id"}])
    if data.sharing_group_id is not None and data.sharing_group_id not in principal.group_ids:
        raise BadInput("your agency is not a member of that sharing group",
                       details=[{"field": "sharing_group_id"}])
    record.owner_agency_id = principal.agency_id
    record.distribution = data.distribution
    record.sharing_group_id = (data.sharing_group_id
                               if data.distribution == "sharing_group" else None)
    record.tlp = data.tlp.value if hasattr(data.tlp, "value") else str(data.tlp)


def agencies_by_id(session: Session) -> dict[int, Agency]:
    return {a.id: a for a in session.scalars(select(Agency).order_by(Agency.code))}


def agency_by_code(session: Session, code: str, *, field_name: str = "agency") -> Agency:
    agency = session.scalar(select(Agency).where(Agency.code == code.strip().upper()))
    if agency is None or not agency.active:
        raise BadInput(f"no agency {code!r}", details=[{"field": field_name}])
    if agency.is_partner:
        raise BadInput(f"{agency.code} is a partner state's service, not a national agency",
                       details=[{"field": field_name}])
    return agency


# --- strategy and outline -----------------------------------------------------------------------

def create_strategy(session: Session, principal: Principal, data: StrategyIn) -> Strategy:
    require(principal, "plan.manage")
    if principal.agency_is_partner:
        raise Forbidden("the national IBM strategy is kept by a national agency")
    if session.scalar(select(Strategy.id).where(Strategy.code == data.code)) is not None:
        raise Conflict(f"a strategy {data.code} already exists")
    strategy = Strategy(code=data.code, title=data.title, first_year=data.first_year,
                        last_year=data.last_year, version=1, created_at=utcnow())
    apply_marking(strategy, data, principal)
    session.add(strategy)
    session.flush()
    return strategy


def _visible_strategies(principal: Principal) -> Select[Strategy]:
    """The strategies the user may see, newest first."""
    return scoped(select(Strategy), Strategy, principal).order_by(Strategy.first_year.desc(),
                                                                  Strategy.id.desc())


def list_strategies(session: Session, principal: Principal) -> list[Strategy]:
    require(principal, "plan.read")
    return list(session.scalars(_visible_strategies(principal)))


def get_strategy(session: Session, principal: Principal, strategy_id: int) -> Strategy:
    require(principal, "plan.read")
    found = session.scalar(scoped(select(Strategy).where(Strategy.id == strategy_id),
                                  Strategy, principal))
    if found is None:
        raise NotFound(f"strategy {strategy_id} does not exist or is not shared with you")
    return found


def current_strategy(session: Session, principal: Principal) -> Strategy | None:
    """The newest strategy the user may see: what the pages open on."""
    require(principal, "plan.read")
    return session.scalar(_visible_strategies(principal).limit(1))


def strategy_by_code(session: Session, principal: Principal, code: str | None) -> Strategy:
    if not code:
        found = current_strategy(session, principal)
        if found is None:
            raise BadInput("there is no strategy yet; create one first")
        return found
    require(principal, "plan.read")
    strategy = session.scalar(scoped(select(Strategy).where(Strategy.code == code), Strategy,
                                     principal))
    if strategy is None:
        raise BadInput(f"no strategy {code!r}", details=[{"field": "strategy"}])
    return strategy


def _managed(session: Session, principal: Principal, strategy_id: int) -> Strategy:
    require(principal, "plan.manage")
    strategy = get_strategy(session, principal, strategy_id)
    if strategy.owner_agency_id != principal.agency_id:
        raise Forbidden("only the agency that keeps the strategy (the commission secretariat) "
                        "may change the plan")
    return strategy


def objectives_of(session: Session, strategy_id: int) -> list[Objective]:
    return sorted(session.scalars(select(Objective).where(Objective.strategy_id == strategy_id)),
                  key=lambda o: _code_key(o.code))


def measures_of(session: Session, strategy_id: int) -> list[Measure]:
    query = (select(Measure).join(Objective, Objective.id == Measure.objective_id)
             .where(Objective.strategy_id == strategy_id))
    return sorted(session.scalars(query), key=lambda m: _code_key(m.code))


def _code_key(code: str) -> tuple[Any, ...]:
    """1.10 after 1.9: plan codes sort by their numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in code.split("."))


def add_objective(session: Session, principal: Principal, strategy_id: int, data: ObjectiveIn
                  ) -> Objective:
    strategy = _managed(session, principal, strategy_id)
    if session.scalar(select(Objective.id).where(Objective.strategy_id == strategy.id,
                                                 Objective.code == data.code)) is not None:
        raise Conflict(f"objective {data.code} already exists")
    objective = Objective(strategy_id=strategy.id, code=data.code, title=data.title)
    session.add(objective)
    session.flush()
    return objective


def get_objective(session: Session, principal: Principal, objective_id: int) -> Objective:
    objective = session.get(Objective, objective_id)
    if objective is None:
        raise NotFound(f"objective {objective_id} does not exist")
    get_strategy(session, principal, objective.strategy_id)
    return objective


def add_measure(session: Session, principal: Principal, objective_id: int, data: MeasureIn
                ) -> Measure:
    objective = get_objective(session, principal, objective_id)
    _managed(session, principal, objective.strategy_id)
    if session.scalar(select(Measure.id).where(Measure.objective_id == objective.id,
                                               Measure.code == data.code)) is not None:
        raise Conflict(f"measure {data.code} already exists")
    measure = Measure(objective_id=objective.id, code=data.code, title=data.title)
    session.add(measure)
    session.flush()
    return measure


def get_measure(session: Session, principal: Principal, measure_id: int) -> Measure:
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise NotFound(f"measure {measure_id} does not exist")
    get_objective(session, principal, measure.objective_id)
    return measure


def measure_by_code(session: Session, strategy_id: int, code: str) -> Measure | None:
    return session.scalar(select(Measure).join(Objective, Objective.id == Measure.objective_id)
                          .where(Objective.strategy_id == strategy_id, Measure.code == code))


# --- tasks --------------------------------------------------------------------------------------

def visible_tasks(principal: Principal) -> ColumnElement[bool]:
    """The distribution rule, widened by one: the responsible agency sees its own tasks."""
    return or_(visible_to(PlanTask, principal),
               PlanTask.responsible_agency_id == principal.agency_id)


def flag_of(task: PlanTask, at_risk_days: int, on: dt.date | None = None) -> str:
    return task_flag(status=task.status, progress=task.progress, deadline=task.deadline,
                     today=on or today(), at_risk_days=at_risk_days)


def _flag_condition(flag: str, at_risk_days: int) -> ColumnElement[bool]:
    """:func:`~chegara.governance.flags.task_flag` in SQL, for filtering whole lists."""
    now = today()
    still_open = PlanTask.status.not_in(sorted(CLOSED))
    if flag == "overdue":
        return and_(still_open, PlanTask.deadline < now)
    return and_(still_open, PlanTask.deadline >= now, or_(
        PlanTask.status == "delayed",
        and_(PlanTask.deadline <= now + dt.timedelta(days=at_risk_days),
             PlanTask.progress < NEAR_DONE_PERCENT)))


def _contributors(session: Session, codes: Sequence[str]) -> list[int]:
    return sorted({agency_by_code(session, c, field_name="contributing").id
                   for c in codes if c.strip()})


def create_task(session: Session, principal: Principal, data: TaskIn, *,
                decision_id: int | None = None) -> PlanTask:
    measure = get_measure(session, principal, data.measure_id)
    objective = session.get(Objective, measure.objective_id)
    assert objective is not None
    strategy = _managed(session, principal, objective.strategy_id)
    if session.scalar(select(PlanTask.id).where(PlanTask.strategy_id == strategy.id,
                                                PlanTask.code == data.code)) is not None:
        raise Conflict(f"task {data.code} already exists in {strategy.code}")
    responsible = agency_by_code(session, data.responsible, field_name="responsible")
    task = PlanTask(
        strategy_id=strategy.id, measure_id=measure.id, code=data.code, title=data.title,
        responsible_agency_id=responsible.id,
        contributing_agency_ids=[a for a in _contributors(session, data.contributing)
                                 if a != responsible.id],
        term=data.term, deadline=data.deadline, indicator=data.indicator, status=data.status,
        progress=100 if data.status == "done" else data.progress,
        completed_on=today() if data.status == "done" else None,
        added_in_version=strategy.version, changed_in_version=strategy.version,
        decision_id=decision_id, updated_by=principal.username, updated_at=utcnow())
    apply_marking(task, data, principal)
    session.add(task)
    session.flush()
    return task


def edit_task(session: Session, principal: Principal, task_id: int, data: TaskEditIn
              ) -> PlanTask:
    """A revision of the task's content; it is recorded against the plan version being
    worked on."""
    task = get_task(session, principal, task_id)
    strategy = _managed(session, principal, task.strategy_id)
    changed = False
    if data.responsible is not None:
        responsible = agency_by_code(session, data.responsible, field_name="responsible")
        changed |= responsible.id != task.responsible_agency_id
        task.responsible_agency_id = responsible.id
    if data.contributing is not None:
        contributors = [a for a in _contributors(session, data.contributing)
                        if a != task.responsible_agency_id]
        changed |= contributors != list(task.contributing_agency_ids)
        task.contributing_agency_ids = contributors
    for name in ("title", "term", "deadline", "indicator"):
        value = getattr(data, name)
        if value is not None and value != getattr(task, name):
            setattr(task, name, value)
            changed = True
    if changed:
        task.changed_in_version = strategy.version
        task.updated_by, task.updated_at = principal.username, utcnow()
    session.flush()
    return task


@dataclass(frozen=True)
class TaskFilter:
    strategy_id: int | None = None
    agency_id: int | None = None
    status: str | None = None
    objective_id: int | None = None
    measure_id: int | None = None
    flag: str | None = None
    version: int | None = None


def _filtered(principal: Principal, where: TaskFilter, at_risk_days: int) -> Select[Any]:
    query = select(PlanTask).where(visible_tasks(principal))
    if where.strategy_id is not None:
        query = query.where(PlanTask.strategy_id == where.strategy_id)
    if where.agency_id is not None:
        query = query.where(PlanTask.responsible_agency_id == where.agency_id)
    if where.status:
        query = query.where(PlanTask.status == where.status)
    if where.measure_id is not None:
        query = query.where(PlanTask.measure_id == where.measure_id)
    if where.objective_id is not None:
        query = query.where(PlanTask.measure_id.in_(
            select(Measure.id).where(Measure.objective_id == where.objective_id)))
    if where.flag in ("overdue", "at_risk"):
        query = query.where(_flag_condition(where.flag, at_risk_days))
    if where.version is not None:
        query = query.where(or_(PlanTask.added_in_version == where.version,
                                PlanTask.changed_in_version == where.version))
    return query


def list_tasks(session: Session, principal: Principal, where: TaskFilter, *,
               at_risk_days: int, offset: int = 0, limit: int = 50
               ) -> tuple[list[PlanTask], int]:
    require(principal, "plan.read")
    query = _filtered(principal, where, at_risk_days)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(PlanTask.deadline, PlanTask.id).offset(offset)
                           .limit(limit))
    return sorted(rows, key=lambda t: (t.deadline, _code_key(t.code))), total


def all_tasks(session: Session, principal: Principal, strategy_id: int) -> list[PlanTask]:
    require(principal, "plan.read")
    query = select(PlanTask).where(visible_tasks(principal),
                                   PlanTask.strategy_id == strategy_id)
    return sorted(session.scalars(query), key=lambda t: _code_key(t.code))


def get_task(session: Session, principal: Principal, task_id: int) -> PlanTask:
    require(principal, "plan.read")
    task = session.scalar(select(PlanTask).where(PlanTask.id == task_id,
                                                 visible_tasks(principal)))
    if task is None:
        raise NotFound(f"task {task_id} does not exist or is not shared with you")
    return task


def may_update(principal: Principal, task: PlanTask) -> bool:
    """The responsible agency reports on its task; the secretariat that keeps the plan may
    record a report on its behalf."""
    if "task.update" not in principal.permissions:
        return False
    if principal.agency_id == task.responsible_agency_id:
        return True
    return principal.agency_id == task.owner_agency_id and "plan.manage" in (
        principal.permissions)


def update_status(session: Session, principal: Principal, task_id: int, data: StatusIn
                  ) -> PlanTask:
    require(principal, "task.update")
    task = get_task(session, principal, task_id)
    if not may_update(principal, task):
        raise Forbidden("only the agency responsible for the task (or the secretariat that "
                        "keeps the plan) may report its status")
    if data.status in NOTE_REQUIRED and not data.note.strip():
        raise BadInput(f"say why the task is {data.status}", details=[{"field": "note"}])
    old = task.status
    progress = task.progress if data.progress is None else data.progress
    if data.status == "done":
        progress = 100
        task.completed_on = task.completed_on or today()
    else:
        task.completed_on = None
    if data.status == "not_started" and progress > 0:
        raise BadInput("a task that has not started has no progress",
                       details=[{"field": "progress"}])
    task.status, task.progress = data.status, progress
    task.updated_by, task.updated_at = principal.username, utcnow()
    session.add(TaskUpdate(task_id=task.id, old_status=old, new_status=data.status,
                           progress=progress, note=data.note.strip(),
                           agency_id=principal.agency_id, by=principal.username, at=utcnow()))
    session.flush()
    return task


def task_history(session: Session, task_id: int) -> list[TaskUpdate]:
    return list(session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task_id)
                                .order_by(TaskUpdate.at.desc(), TaskUpdate.id.desc())))


# --- evidence -----------------------------------------------------------------------------------

def evidence_path(home: Path, sha256: str) -> Path:
    return home / "governance" / "evidence" / sha256[:2] / sha256


def _save_stream(home: Path, stream: IO[bytes], max_bytes: int) -> tuple[str, int]:
    """Copy the upload to the evidence store while hashing it; refuse it past the limit."""
    folder = home / "governance" / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    handle, temp_name = tempfile.mkstemp(prefix=".upload-", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLarge(f"the evidence file is over {max_bytes} bytes")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise BadInput("the evidence file is empty", details=[{"field": "file"}])
        sha = digest.hexdigest()
        target = evidence_path(home, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp_name, target)
        return sha, size
    finally:
        Path(temp_name).unlink(missing_ok=True)


def attach_evidence(session: Session, principal: Principal, task_id: int, *, home: Path,
                    filename: str, content_type: str, stream: IO[bytes], max_bytes: int,
                    note: str = "") -> TaskEvidence:
    require(principal, "task.update")
    task = get_task(session, principal, task_id)
    if not may_update(principal, task):
        raise Forbidden("only the agency responsible for the task (or the secretariat) may "
                        "attach evidence")
    name = Path(filename or "evidence").name.strip()[:255] or "evidence"
    sha, size = _save_stream(home, stream, max_bytes)
    evidence = TaskEvidence(task_id=task.id, filename=name,
                            content_type=(content_type or "application/octet-stream")[:100],
                            size=size, sha256=sha, note=note.strip()[:1000],
                            agency_id=principal.agency_id, uploaded_by=principal.username,
                            uploaded_at=utcnow())
    session.add(evidence)
    session.flush()
    return evidence


def evidence_of(session: Session, task_id: int) -> list[TaskEvidence]:
    return list(session.scalars(select(TaskEvidence).where(TaskEvidence.task_id == task_id)
                                .order_by(TaskEvidence.uploaded_at, TaskEvidence.id)))


def read_evidence(session: Session, principal: Principal, task_id: int, evidence_id: int,
                  home: Path) -> tuple[TaskEvidence, bytes]:
    """The file, checked against its digest so that a replaced file is never handed out."""
    task = get_task(session, principal, task_id)
    evidence = session.get(TaskEvidence, evidence_id)
    if evidence is None or evidence.task_id != task.id:
        raise NotFound(f"evidence {evidence_id} of task {task_id} does not exist")
    path = evidence_path(home, evidence.sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise Conflict(f"the evidence file {evidence.filename} is missing from the store"
                       ) from None
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise Conflict(f"the evidence file {evidence.filename} no longer matches its SHA-256")
    return evidence, data


# --- plan versions ------------------------------------------------------------------------------

def snapshot(session: Session, strategy: Strategy) -> dict[str, Any]:
    """The whole plan as it stands, each task with its marking so that a reader later sees
    only the tasks they may."""
    agencies = agencies_by_id(session)
    tasks: dict[int, list[PlanTask]] = {}
    for task in session.scalars(select(PlanTask).where(PlanTask.strategy_id == strategy.id)):
        tasks.setdefault(task.measure_id, []).append(task)
    measures: dict[int, list[Measure]] = {}
    for measure in measures_of(session, strategy.id):
        measures.setdefault(measure.objective_id, []).append(measure)
    return {
        "strategy": {"code": strategy.code, "title": strategy.title,
                     "years": [strategy.first_year, strategy.last_year]},
        "objectives": [{
            "code": o.code, "title": o.title,
            "measures": [{
                "code": m.code, "title": m.title,
                "tasks": [_task_snapshot(t, agencies) for t in sorted(
                    tasks.get(m.id, []), key=lambda t: _code_key(t.code))]}
                for m in measures.get(o.id, [])]}
            for o in objectives_of(session, strategy.id)],
    }


def _task_snapshot(task: PlanTask, agencies: dict[int, Agency]) -> dict[str, Any]:
    return {"code": task.code, "title": task.title,
            "responsible": agencies[task.responsible_agency_id].code,
            "contributing": [agencies[a].code for a in task.contributing_agency_ids],
            "term": task.term, "deadline": task.deadline.isoformat(),
            "indicator": task.indicator, "status": task.status, "progress": task.progress,
            "marking": {"owner_agency_id": task.owner_agency_id,
                        "distribution": task.distribution,
                        "sharing_group_id": task.sharing_group_id, "tlp": task.tlp,
                        "responsible_agency_id": task.responsible_agency_id}}


def revise(session: Session, principal: Principal, strategy_id: int, note: str) -> PlanVersion:
    """Freeze the plan as version N (the one worked on so far); later changes count to N+1."""
    strategy = _managed(session, principal, strategy_id)
    version = PlanVersion(strategy_id=strategy.id, number=strategy.version, note=note.strip(),
                          snapshot=snapshot(session, strategy), created_by=principal.username,
                          created_at=utcnow())
    session.add(version)
    strategy.version += 1
    session.flush()
    return version


def list_versions(session: Session, principal: Principal, strategy_id: int
                  ) -> list[PlanVersion]:
    strategy = get_strategy(session, principal, strategy_id)
    return list(session.scalars(select(PlanVersion).where(PlanVersion.strategy_id == strategy.id)
                                .order_by(PlanVersion.number.desc())))


def _may_see_snapshot_task(principal: Principal, task: dict[str, Any]) -> bool:
    marking = task["marking"]
    if marking.get("responsible_agency_id") == principal.agency_id:
        return True
    return bool(can_see(principal, RecordMarking(
        int(marking["owner_agency_id"]), str(marking["distribution"]),
        marking.get("sharing_group_id"), str(marking["tlp"]))))


def get_version(session: Session, principal: Principal, strategy_id: int, number: int
                ) -> tuple[PlanVersion, dict[str, Any]]:
    """The version and its snapshot cut to the tasks the reader may see."""
    strategy = get_strategy(session, principal, strategy_id)
    version = session.scalar(select(PlanVersion).where(PlanVersion.strategy_id == strategy.id,
                                                       PlanVersion.number == number))
    if version is None:
        raise NotFound(f"{strategy.code} has no version {number}")
    plan = version.snapshot
    cut = {**plan, "objectives": [
        {**o, "measures": [
            {**m, "tasks": [{k: v for k, v in t.items() if k != "marking"}
                            for t in m["tasks"] if _may_see_snapshot_task(principal, t)]}
            for m in o["measures"]]}
        for o in plan["objectives"]]}
    return version, cut


# --- commission ---------------------------------------------------------------------------------

def create_meeting(session: Session, principal: Principal, data: MeetingIn) -> Meeting:
    require(principal, "plan.manage")
    if data.strategy_id is not None:
        get_strategy(session, principal, data.strategy_id)
    meeting = Meeting(strategy_id=data.strategy_id, title=data.title, held_on=data.held_on,
                      place=data.place,
                      participants=[p.model_dump() for p in data.participants],
                      agenda=[a.strip() for a in data.agenda if a.strip()],
                      minutes=data.minutes, created_at=utcnow())
    apply_marking(meeting, data, principal)
    session.add(meeting)
    session.flush()
    return meeting


def list_meetings(session: Session, principal: Principal) -> list[Meeting]:
    require(principal, "plan.read")
    query = scoped(select(Meeting), Meeting, principal)
    return list(session.scalars(query.order_by(Meeting.held_on.desc(), Meeting.id.desc())))


def get_meeting(session: Session, principal: Principal, meeting_id: int) -> Meeting:
    require(principal, "plan.read")
    found = session.scalar(scoped(select(Meeting).where(Meeting.id == meeting_id), Meeting,
                                  principal))
    if found is None:
        raise NotFound(f"meeting {meeting_id} does not exist or is not shared with you")
    return found


def decisions_of(session: Session, meeting_ids: Iterable[int]) -> list[Decision]:
    ids = list(meeting_ids)
    if not ids:
        return []
    return list(session.scalars(select(Decision).where(Decision.meeting_id.in_(ids))
                                .order_by(Decision.meeting_id, Decision.number)))


def add_decision(session: Session, principal: Principal, meeting_id: int, data: DecisionIn
                 ) -> Decision:
    require(principal, "plan.manage")
    meeting = get_meeting(session, principal, meeting_id)
    if meeting.owner_agency_id != principal.agency_id:
        raise Forbidden("only the secretariat that recorded the meeting may add decisions")
    number = (session.scalar(select(func.max(Decision.number)).where(
        Decision.meeting_id == meeting.id)) or 0) + 1
    decision = Decision(meeting_id=meeting.id, number=number, text=data.text.strip())
    session.add(decision)
    session.flush()
    if data.task is not None:
        decision.task_id = create_task(session, principal, data.task,
                                       decision_id=decision.id).id
        session.flush()
    return decision


# --- state of play --------------------------------------------------------------------------------

@dataclass
class Tally:
    """Tasks by status and flag, and how far along they are."""

    statuses: Counter[str] = field(default_factory=Counter)
    overdue: int = 0
    at_risk: int = 0
    progress_sum: int = 0

    def add(self, task: PlanTask, flag: str) -> None:
        self.statuses[task.status] += 1
        self.overdue += flag == "overdue"
        self.at_risk += flag == "at_risk"
        if task.status != "cancelled":
            self.progress_sum += task.progress

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def active(self) -> int:
        return self.total - self.statuses["cancelled"]

    @property
    def done(self) -> int:
        return self.statuses["done"]

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.active) if self.active else 0

    @property
    def mean_progress(self) -> int:
        return round(self.progress_sum / self.active) if self.active else 0

    @property
    def open_on_track(self) -> int:
        """Open tasks neither overdue nor at risk."""
        return self.active - self.done - self.overdue - self.at_risk

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "done": self.done, "overdue": self.overdue,
                "at_risk": self.at_risk, "percent_done": self.percent_done,
                "mean_progress": self.mean_progress, "statuses": dict(self.statuses)}


@dataclass
class StateOfPlay:
    strategy: Strategy
    on: dt.date
    total: Tally
    by_agency: list[tuple[Agency, Tally]]
    by_objective: list[tuple[Objective, Tally]]
    overdue: list[PlanTask]
    at_risk: list[PlanTask]
    flags: dict[int, str]
    measures: dict[int, Measure]
    objectives: dict[int, Objective]


def state_of_play(session: Session, principal: Principal, strategy_id: int, *,
                  at_risk_days: int, agency_id: int | None = None,
                  on: dt.date | None = None) -> StateOfPlay:
    """Who has done what: every visible task counted by its responsible agency and by its
    objective, with the overdue and at-risk tasks listed."""
    strategy = get_strategy(session, principal, strategy_id)
    when = on or today()
    tasks = all_tasks(session, principal, strategy.id)
    if agency_id is not None:
        tasks = [t for t in tasks if t.responsible_agency_id == agency_id]
    measures = {m.id: m for m in measures_of(session, strategy.id)}
    objectives = {o.id: o for o in objectives_of(session, strategy.id)}
    agencies = agencies_by_id(session)
    total = Tally()
    per_agency: dict[int, Tally] = {}
    per_objective: dict[int, Tally] = {}
    flags: dict[int, str] = {}
    for task in tasks:
        flag = flags[task.id] = flag_of(task, at_risk_days, when)
        total.add(task, flag)
        per_agency.setdefault(task.responsible_agency_id, Tally()).add(task, flag)
        per_objective.setdefault(measures[task.measure_id].objective_id, Tally()).add(task,
                                                                                      flag)
    return StateOfPlay(
        strategy=strategy, on=when, total=total,
        by_agency=sorted(((agencies[a], t) for a, t in per_agency.items()),
                         key=lambda pair: pair[0].code),
        by_objective=[(o, per_objective[o.id]) for o in objectives.values()
                      if o.id in per_objective],
        overdue=sorted((t for t in tasks if flags[t.id] == "overdue"),
                       key=lambda t: t.deadline),
        at_risk=sorted((t for t in tasks if flags[t.id] == "at_risk"),
                       key=lambda t: t.deadline),
        flags=flags, measures=measures, objectives=objectives)
