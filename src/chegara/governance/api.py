"""/api/v1/governance: the IBM action plan, the commission, trainings, equipment, donor
coordination, CSV imports and the reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from chegara.governance import capacity, donors, imports, products, service
from chegara.governance.schemas import (
    MAX_ID,
    DecisionIn,
    DecisionOut,
    DonorIn,
    DonorOut,
    EquipmentIn,
    EquipmentOut,
    EvidenceOut,
    ImportOut,
    MeasureIn,
    MeetingIn,
    MeetingOut,
    ObjectiveIn,
    OutlineOut,
    ParticipationOut,
    ProjectIn,
    ProjectOut,
    RevisionIn,
    StatusIn,
    StrategyIn,
    StrategyOut,
    TaskEditIn,
    TaskIn,
    TaskOut,
    TaskUpdateOut,
    TrainingIn,
    TrainingOut,
    VersionDetailOut,
    VersionOut,
)
from chegara.http import Page, PageParams, page_params
from chegara.pdf import html_to_pdf
from chegara.security.deps import reading, requires, writing
from chegara.security.policy import Principal
from chegara.text import FreeText
from chegara.web.i18n import LANGUAGES, translator

router = APIRouter(prefix="/api/v1/governance", tags=["governance"])
Paging = Annotated[PageParams, Depends(page_params)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def at_risk_days(request: Request) -> int:
    days: int = request.app.state.settings.governance_at_risk_days
    return days


def home(request: Request) -> FilePath:
    folder: FilePath = request.app.state.settings.home
    return folder


def task_out(task: Any, days: int) -> TaskOut:
    out = TaskOut.model_validate(task)
    out.flag = service.flag_of(task, days)
    return out


# --- strategy and outline -----------------------------------------------------------------------

@router.get("/strategies", response_model=list[StrategyOut])
def strategies(request: Request,
               principal: Annotated[Principal, Depends(requires("plan.read"))]
               ) -> list[StrategyOut]:
    with reading(request) as session:
        return [StrategyOut.model_validate(s)
                for s in service.list_strategies(session, principal)]


@router.post("/strategies", response_model=StrategyOut, status_code=201)
def create_strategy(body: StrategyIn, request: Request,
                    principal: Annotated[Principal, Depends(requires("plan.manage"))]
                    ) -> StrategyOut:
    with writing(request, principal) as session:
        return StrategyOut.model_validate(service.create_strategy(session, principal, body))


@router.get("/strategies/{strategy_id}")
def strategy(strategy_id: Id, request: Request,
             principal: Annotated[Principal, Depends(requires("plan.read"))]
             ) -> dict[str, Any]:
    """The plan as it stands: objectives, measures and the tasks you may see."""
    days = at_risk_days(request)
    with reading(request) as session:
        found = service.get_strategy(session, principal, strategy_id)
        tasks = service.all_tasks(session, principal, found.id)
        measures = service.measures_of(session, found.id)
        return {
            "strategy": StrategyOut.model_validate(found).model_dump(mode="json"),
            "objectives": [{
                **OutlineOut.model_validate(o).model_dump(),
                "measures": [{
                    **OutlineOut.model_validate(m).model_dump(),
                    "tasks": [task_out(t, days).model_dump(mode="json")
                              for t in tasks if t.measure_id == m.id]}
                    for m in measures if m.objective_id == o.id]}
                for o in service.objectives_of(session, found.id)]}


@router.post("/strategies/{strategy_id}/objectives", response_model=OutlineOut,
             status_code=201)
def add_objective(strategy_id: Id, body: ObjectiveIn, request: Request,
                  principal: Annotated[Principal, Depends(requires("plan.manage"))]
                  ) -> OutlineOut:
    with writing(request, principal) as session:
        return OutlineOut.model_validate(service.add_objective(session, principal,
                                                               strategy_id, body))


@router.post("/objectives/{objective_id}/measures", response_model=OutlineOut,
             status_code=201)
def add_measure(objective_id: Id, body: MeasureIn, request: Request,
                principal: Annotated[Principal, Depends(requires("plan.manage"))]
                ) -> OutlineOut:
    with writing(request, principal) as session:
        return OutlineOut.model_validate(service.add_measure(session, principal,
                                                             objective_id, body))


@router.post("/strategies/{strategy_id}/versions", response_model=VersionOut,
             status_code=201)
def revise(strategy_id: Id, body: RevisionIn, request: Request,
           principal: Annotated[Principal, Depends(requires("plan.manage"))]) -> VersionOut:
    """Freeze the plan as it stands as a version; later changes count to the next one."""
    with writing(request, principal) as session:
        return VersionOut.model_validate(service.revise(session, principal, strategy_id,
                                                        body.note))


@router.get("/strategies/{strategy_id}/versions", response_model=list[VersionOut])
def versions(strategy_id: Id, request: Request,
             principal: Annotated[Principal, Depends(requires("plan.read"))]
             ) -> list[VersionOut]:
    with reading(request) as session:
        return [VersionOut.model_validate(v)
                for v in service.list_versions(session, principal, strategy_id)]


@router.get("/strategies/{strategy_id}/versions/{number}", response_model=VersionDetailOut)
def version(strategy_id: Id, number: Id, request: Request,
            principal: Annotated[Principal, Depends(requires("plan.read"))]
            ) -> VersionDetailOut:
    """A frozen version with the tasks you may see."""
    with reading(request) as session:
        found, plan = service.get_version(session, principal, strategy_id, number)
        out = VersionOut.model_validate(found).model_dump()
        return VersionDetailOut(**out, snapshot=plan)


@router.get("/strategies/{strategy_id}/state-of-play")
def state_of_play(strategy_id: Id, request: Request,
                  principal: Annotated[Principal, Depends(requires("plan.read"))]
                  ) -> dict[str, Any]:
    """Tasks per responsible agency and per objective: done, overdue, at risk."""
    with reading(request) as session:
        play = service.state_of_play(session, principal, strategy_id,
                                     at_risk_days=at_risk_days(request))
    return {"on": play.on.isoformat(), "total": play.total.as_dict(),
            "by_agency": [{"agency": a.code, **t.as_dict()} for a, t in play.by_agency],
            "by_objective": [{"objective": o.code, "title": o.title, **t.as_dict()}
                             for o, t in play.by_objective],
            "overdue": [t.code for t in play.overdue],
            "at_risk": [t.code for t in play.at_risk]}


# --- tasks --------------------------------------------------------------------------------------

@router.get("/tasks", response_model=Page[TaskOut])
def tasks(request: Request, paging: Paging,
          principal: Annotated[Principal, Depends(requires("plan.read"))],
          strategy_id: OptionalId = None, agency_id: OptionalId = None,
          objective_id: OptionalId = None, measure_id: OptionalId = None,
          status: Annotated[Literal["not_started", "in_progress", "delayed", "done",
                                    "cancelled"] | None, Query()] = None,
          flag: Annotated[Literal["overdue", "at_risk"] | None, Query()] = None,
          version: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Page[TaskOut]:
    days = at_risk_days(request)
    where = service.TaskFilter(strategy_id=strategy_id, agency_id=agency_id, status=status,
                               objective_id=objective_id, measure_id=measure_id, flag=flag,
                               version=version)
    with reading(request) as session:
        rows, total = service.list_tasks(session, principal, where, at_risk_days=days,
                                         offset=paging.offset, limit=paging.limit)
        return Page[TaskOut](items=[task_out(t, days) for t in rows], total=total,
                             offset=paging.offset, limit=paging.limit)


@router.post("/tasks", response_model=TaskOut, status_code=201)
def create_task(body: TaskIn, request: Request,
                principal: Annotated[Principal, Depends(requires("plan.manage"))]) -> TaskOut:
    with writing(request, principal) as session:
        return task_out(service.create_task(session, principal, body), at_risk_days(request))


@router.get("/tasks/{task_id}")
def task(task_id: Id, request: Request,
         principal: Annotated[Principal, Depends(requires("plan.read"))]) -> dict[str, Any]:
    """The task with its status history and evidence."""
    with reading(request) as session:
        found = service.get_task(session, principal, task_id)
        return {"task": task_out(found, at_risk_days(request)).model_dump(mode="json"),
                "history": [TaskUpdateOut.model_validate(u).model_dump(mode="json")
                            for u in service.task_history(session, found.id)],
                "evidence": [EvidenceOut.model_validate(e).model_dump(mode="json")
                             for e in service.evidence_of(session, found.id)],
                "may_update": service.may_update(principal, found)}


@router.patch("/tasks/{task_id}", response_model=TaskOut)
def edit_task(task_id: Id, body: TaskEditIn, request: Request,
              principal: Annotated[Principal, Depends(requires("plan.manage"))]) -> TaskOut:
    """Revise the task's content (recorded against the plan version being worked on)."""
    with writing(request, principal) as session:
        return task_out(service.edit_task(session, principal, task_id, body),
                        at_risk_days(request))


@router.post("/tasks/{task_id}/status", response_model=TaskOut)
def report_status(task_id: Id, body: StatusIn, request: Request,
                  principal: Annotated[Principal, Depends(requires("task.update"))]
                  ) -> TaskOut:
    """The responsible agency reports the task's status and progress."""
    with writing(request, principal) as session:
        return task_out(service.update_status(session, principal, task_id, body),
                        at_risk_days(request))


@router.post("/tasks/{task_id}/evidence", response_model=EvidenceOut, status_code=201)
def attach_evidence(task_id: Id, request: Request,
                    principal: Annotated[Principal, Depends(requires("task.update"))],
                    file: Annotated[UploadFile, File(description="the evidence document")],
                    note: Annotated[FreeText, Form(max_length=1000)] = "") -> EvidenceOut:
    """Attach a file (stored with its SHA-256, at most CHEGARA_MAX_UPLOAD_BYTES)."""
    settings = request.app.state.settings
    with writing(request, principal) as session:
        return EvidenceOut.model_validate(service.attach_evidence(
            session, principal, task_id, home=settings.home, filename=file.filename or "",
            content_type=file.content_type or "", stream=file.file,
            max_bytes=settings.max_upload_bytes, note=note))


@router.get("/tasks/{task_id}/evidence/{evidence_id}", response_class=Response)
def evidence(task_id: Id, evidence_id: Id, request: Request,
             principal: Annotated[Principal, Depends(requires("plan.read"))]) -> Response:
    """The file, refused (409) if it no longer matches its digest."""
    with reading(request) as session:
        found, data = service.read_evidence(session, principal, task_id, evidence_id,
                                            home(request))
    return evidence_response(found, data)


def evidence_response(found: Any, data: bytes) -> Response:
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in found.filename)
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{safe}"',
                             "X-Content-SHA256": found.sha256})


# --- commission ---------------------------------------------------------------------------------

def meeting_out(session: Any, meeting: Any, decisions: list[Any] | None = None) -> MeetingOut:
    """``decisions``: the meeting's, when a list has fetched them for all its meetings at once."""
    out = MeetingOut.model_validate(meeting)
    if decisions is None:
        decisions = service.decisions_of(session, [meeting.id])
    out.decisions = [DecisionOut.model_validate(d) for d in decisions]
    return out


@router.get("/meetings", response_model=list[MeetingOut])
def meetings(request: Request,
             principal: Annotated[Principal, Depends(requires("plan.read"))]
             ) -> list[MeetingOut]:
    with reading(request) as session:
        found = service.list_meetings(session, principal)
        by_meeting: dict[int, list[Any]] = {m.id: [] for m in found}
        for decision in service.decisions_of(session, by_meeting):
            by_meeting[decision.meeting_id].append(decision)
        return [meeting_out(session, m, by_meeting[m.id]) for m in found]


@router.post("/meetings", response_model=MeetingOut, status_code=201)
def create_meeting(body: MeetingIn, request: Request,
                   principal: Annotated[Principal, Depends(requires("plan.manage"))]
                   ) -> MeetingOut:
    with writing(request, principal) as session:
        return meeting_out(session, service.create_meeting(session, principal, body))


@router.get("/meetings/{meeting_id}", response_model=MeetingOut)
def meeting(meeting_id: Id, request: Request,
            principal: Annotated[Principal, Depends(requires("plan.read"))]) -> MeetingOut:
    with reading(request) as session:
        return meeting_out(session, service.get_meeting(session, principal, meeting_id))


@router.post("/meetings/{meeting_id}/decisions", response_model=DecisionOut, status_code=201)
def add_decision(meeting_id: Id, body: DecisionIn, request: Request,
                 principal: Annotated[Principal, Depends(requires("plan.manage"))]
                 ) -> DecisionOut:
    """Record a decision; with a task, it becomes a task of the plan."""
    with writing(request, principal) as session:
        return DecisionOut.model_validate(service.add_decision(session, principal,
                                                               meeting_id, body))


# --- capacity building --------------------------------------------------------------------------

def training_out(session: Any, training: Any, participants: list[Any] | None = None
                 ) -> TrainingOut:
    """``participants``: the training's, when a list has fetched them for all at once."""
    out = TrainingOut.model_validate(training)
    if participants is None:
        participants = capacity.participation_of(session, [training.id])[training.id]
    out.participants = [ParticipationOut.model_validate(p) for p in participants]
    return out


@router.get("/trainings", response_model=list[TrainingOut])
def trainings(request: Request,
              principal: Annotated[Principal, Depends(requires("training.read"))],
              year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
              measure_id: OptionalId = None) -> list[TrainingOut]:
    with reading(request) as session:
        rows = capacity.list_trainings(session, principal, capacity.TrainingFilter(
            year=year, measure_id=measure_id))
        participation = capacity.participation_of(session, [t.id for t in rows])
        return [training_out(session, t, participation[t.id]) for t in rows]


@router.post("/trainings", response_model=TrainingOut, status_code=201)
def create_training(body: TrainingIn, request: Request,
                    principal: Annotated[Principal, Depends(requires("training.manage"))]
                    ) -> TrainingOut:
    with writing(request, principal) as session:
        return training_out(session, capacity.create_training(session, principal, body))


@router.get("/trainings/{training_id}", response_model=TrainingOut)
def training(training_id: Id, request: Request,
             principal: Annotated[Principal, Depends(requires("training.read"))]
             ) -> TrainingOut:
    with reading(request) as session:
        return training_out(session, capacity.get_training(session, principal, training_id))


@router.get("/equipment", response_model=list[EquipmentOut])
def equipment(request: Request,
              principal: Annotated[Principal, Depends(requires("training.read"))],
              year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
              agency_id: OptionalId = None) -> list[EquipmentOut]:
    with reading(request) as session:
        return [EquipmentOut.model_validate(h) for h in capacity.list_handovers(
            session, principal, year=year, agency_id=agency_id)]


@router.post("/equipment", response_model=EquipmentOut, status_code=201)
def hand_over(body: EquipmentIn, request: Request,
              principal: Annotated[Principal, Depends(requires("training.manage"))]
              ) -> EquipmentOut:
    with writing(request, principal) as session:
        return EquipmentOut.model_validate(capacity.create_handover(session, principal, body))


# --- donors -------------------------------------------------------------------------------------

@router.get("/donors", response_model=list[DonorOut])
def donor_list(request: Request,
               principal: Annotated[Principal, Depends(requires("donor.read"))]
               ) -> list[DonorOut]:
    with reading(request) as session:
        return [DonorOut.model_validate(d) for d in donors.list_donors(session, principal)]


@router.post("/donors", response_model=DonorOut, status_code=201)
def create_donor(body: DonorIn, request: Request,
                 principal: Annotated[Principal, Depends(requires("donor.manage"))]
                 ) -> DonorOut:
    with writing(request, principal) as session:
        return DonorOut.model_validate(donors.create_donor(session, principal, body))


@router.get("/projects", response_model=list[ProjectOut])
def projects(request: Request,
             principal: Annotated[Principal, Depends(requires("donor.read"))],
             year: Annotated[int | None, Query(ge=1900, le=2200)] = None) -> list[ProjectOut]:
    with reading(request) as session:
        return [ProjectOut.model_validate(p)
                for p in donors.list_projects(session, principal, year=year)]


@router.post("/projects", response_model=ProjectOut, status_code=201)
def create_project(body: ProjectIn, request: Request,
                   principal: Annotated[Principal, Depends(requires("donor.manage"))]
                   ) -> ProjectOut:
    with writing(request, principal) as session:
        return ProjectOut.model_validate(donors.create_project(session, principal, body))


@router.get("/strategies/{strategy_id}/coordination")
def coordination(strategy_id: Id, request: Request,
                 principal: Annotated[Principal, Depends(requires("donor.read"))]
                 ) -> dict[str, Any]:
    """Overlapping donor projects and the objectives and measures no project or training
    serves."""
    with reading(request) as session:
        result = donors.coordination(session, principal, strategy_id)
    return {
        "overlaps": [{"projects": [o.first.code, o.second.code],
                      "objective_ids": list(o.objectives),
                      "beneficiary_agency_ids": list(o.beneficiaries),
                      "from": o.starts_on.isoformat(), "to": o.ends_on.isoformat()}
                     for o in result.overlaps],
        "gap_objectives": [{"id": o.id, "code": o.code, "title": o.title}
                           for o in result.gap_objectives],
        "gap_measures": [{"id": m.id, "code": m.code, "title": m.title,
                          "open_tasks": result.open_tasks.get(m.id, 0)}
                         for m in result.gap_measures]}


# --- imports ------------------------------------------------------------------------------------

@router.post("/imports/{kind}", response_model=ImportOut, status_code=201)
def import_csv(kind: Literal["tasks", "meetings", "trainings", "equipment", "donor-projects"],
               request: Request,
               principal: Annotated[Principal, Depends(requires("plan.read"))],
               file: Annotated[UploadFile, File(description="the CSV file (see the README)")]
               ) -> ImportOut:
    """Import a CSV file: all rows or none; bad rows are named by line."""
    data = file.file.read(imports.MAX_CSV_BYTES + 1)
    with writing(request, principal) as session:
        result = imports.import_csv(session, principal, kind, data,
                                    source_name=file.filename or f"{kind}.csv")
    return ImportOut(kind=kind, rows=result.rows, created=result.created,
                     updated=result.updated)


# --- reports ------------------------------------------------------------------------------------

Language = Annotated[Literal["ru", "en"], Query()]


def report(request: Request, principal: Principal, kind: str, year: int | None,
           lang: str) -> products.Built:
    days = at_risk_days(request)
    gettext = translator(lang if lang in LANGUAGES else "en")
    with reading(request) as session:
        if kind == "annual":
            return products.annual_report(session, principal, year=year or service.today().year,
                                          at_risk_days=days, _=gettext, lang=lang)
        return products.commission_report(session, principal, at_risk_days=days, _=gettext,
                                          lang=lang)


def pdf_response(html: str, filename: str) -> Response:
    return Response(html_to_pdf(html), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/reports/commission.html", response_class=HTMLResponse)
def commission_html(request: Request,
                    principal: Annotated[Principal, Depends(requires("governance.report"))],
                    lang: Language = "en") -> HTMLResponse:
    """The state of play for the next commission meeting."""
    return HTMLResponse(report(request, principal, "commission", None, lang).html)


@router.get("/reports/commission.pdf", response_class=Response)
def commission_pdf(request: Request,
                   principal: Annotated[Principal, Depends(requires("governance.report"))],
                   lang: Language = "en") -> Response:
    built = report(request, principal, "commission", None, lang)
    return pdf_response(built.html, f"chegara-ibm-state-of-play-{dt.date.today()}.pdf")


@router.get("/reports/annual.html", response_class=HTMLResponse)
def annual_html(request: Request,
                principal: Annotated[Principal, Depends(requires("governance.report"))],
                year: Annotated[int, Query(ge=2000, le=2100)], lang: Language = "en"
                ) -> HTMLResponse:
    """The annual progress report on the action plan."""
    return HTMLResponse(report(request, principal, "annual", year, lang).html)


@router.get("/reports/annual.pdf", response_class=Response)
def annual_pdf(request: Request,
               principal: Annotated[Principal, Depends(requires("governance.report"))],
               year: Annotated[int, Query(ge=2000, le=2100)], lang: Language = "en"
               ) -> Response:
    built = report(request, principal, "annual", year, lang)
    return pdf_response(built.html, f"chegara-ibm-annual-{year}.pdf")

