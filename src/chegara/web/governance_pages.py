"""IBM governance pages: the state-of-play dashboard, the action plan and its versions, task
status reports with evidence, the commission's meetings and decisions, trainings, equipment,
donor coordination, CSV imports and the reports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from chegara.errors import BadInput, ChegaraError
from chegara.governance import capacity, donors, imports, products, service
from chegara.governance.api import at_risk_days, evidence_response, pdf_response, report
from chegara.governance.schemas import (
    EQUIPMENT_CATEGORIES,
    TASK_STATUSES,
    TRAINING_KINDS,
    DecisionIn,
    DonorIn,
    EquipmentIn,
    MeasureIn,
    MeetingIn,
    ObjectiveIn,
    Participant,
    ParticipationIn,
    ProjectIn,
    RevisionIn,
    StatusIn,
    StrategyIn,
    TaskEditIn,
    TaskIn,
    TrainingIn,
)
from chegara.security.deps import reading, writing
from chegara.security.policy import Principal
from chegara.web.i18n import translator
from chegara.web.pages import _form_principal, _principal, _see_other, whole_number
from chegara.web.render import language_of, render

router = APIRouter(include_in_schema=False)
FLAGS = ("overdue", "at_risk")


def _problems(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}"
                     for e in exc.errors())


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, "")).strip()


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _strategy(request: Request, principal: Principal) -> Any:
    with reading(request) as session:
        return service.current_strategy(session, principal)


def _error(fn: Any, request: Request, exc: Exception) -> HTMLResponse:
    if isinstance(exc, ValidationError):
        return fn(request, error=_problems(exc), http_status=422)  # type: ignore[no-any-return]
    assert isinstance(exc, ChegaraError)
    return fn(request, error=exc.message, http_status=exc.status)  # type: ignore[no-any-return]


# --- dashboard ----------------------------------------------------------------------------------

@router.get("/governance", response_class=HTMLResponse)
def dashboard(request: Request, agency: str | None = None, error: str | None = None,
              http_status: int = 200) -> HTMLResponse:
    principal = _principal(request, "plan.read")
    strategy = _strategy(request, principal)
    context: dict[str, Any] = {"strategy": strategy, "error": error, "agency_id": None}
    with reading(request) as session:
        context["agencies"] = service.agencies_by_id(session)
        if strategy is not None:
            agency_id = _number(agency)
            context["agency_id"] = agency_id
            context["play"] = service.state_of_play(session, principal, strategy.id,
                                                    at_risk_days=at_risk_days(request),
                                                    agency_id=agency_id)
            meetings = service.list_meetings(session, principal)
            today = service.today()
            context["next_meeting"] = next((m for m in reversed(meetings)
                                            if m.held_on >= today), None)
            context["last_meeting"] = next((m for m in meetings if m.held_on < today), None)
    return render(request, "governance/dashboard.html", http_status=http_status,
                  at_risk_days=at_risk_days(request),
                  can_manage="plan.manage" in principal.permissions,
                  can_report="governance.report" in principal.permissions, **context)


@router.post("/governance/strategies", response_model=None)
async def strategy_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "plan.manage")
    try:
        data = StrategyIn.model_validate({
            "code": _text(form, "code"), "title": _text(form, "title"),
            "first_year": whole_number(_text(form, "first_year")),
            "last_year": whole_number(_text(form, "last_year")),
            "distribution": _text(form, "distribution") or "national",
            "tlp": _text(form, "tlp") or "green"})
        with writing(request, principal) as session:
            service.create_strategy(session, principal, data)
    except (ValidationError, ChegaraError) as exc:
        return _error(dashboard, request, exc)
    return _see_other("/governance/plan")


# --- the plan -----------------------------------------------------------------------------------

@router.get("/governance/plan", response_class=HTMLResponse)
def plan_page(request: Request, agency: str | None = None, status: str | None = None,
              flag: str | None = None, version: str | None = None,
              error: str | None = None, http_status: int = 200) -> HTMLResponse:
    principal = _principal(request, "plan.read")
    strategy = _strategy(request, principal)
    if strategy is None:
        return dashboard(request, error=error, http_status=http_status)
    where = service.TaskFilter(
        strategy_id=strategy.id, agency_id=_number(agency),
        status=status if status in TASK_STATUSES else None,
        flag=flag if flag in FLAGS else None, version=_number(version))
    days = at_risk_days(request)
    with reading(request) as session:
        rows, total = service.list_tasks(session, principal, where, at_risk_days=days,
                                         limit=1000)
        objectives = service.objectives_of(session, strategy.id)
        measures = service.measures_of(session, strategy.id)
        versions = service.list_versions(session, principal, strategy.id)
        agencies = service.agencies_by_id(session)
    return render(request, "governance/plan.html", http_status=http_status,
                  strategy=strategy, tasks=rows, total=total, objectives=objectives,
                  measures=measures, versions=versions, agencies=agencies,
                  flags={t.id: service.flag_of(t, days) for t in rows}, where=where,
                  statuses=TASK_STATUSES, error=error,
                  can_manage=("plan.manage" in principal.permissions
                              and strategy.owner_agency_id == principal.agency_id))


def _plan_back(request: Request, exc: Exception) -> HTMLResponse:
    return _error(plan_page, request, exc)


@router.post("/governance/plan/objectives", response_model=None)
async def objective_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "plan.manage")
    try:
        data = ObjectiveIn(code=_text(form, "code"), title=_text(form, "title"))
        with writing(request, principal) as session:
            service.add_objective(session, principal, int(_text(form, "strategy_id") or 0),
                                  data)
    except (ValidationError, ChegaraError) as exc:
        return _plan_back(request, exc)
    return _see_other("/governance/plan")


@router.post("/governance/plan/measures", response_model=None)
async def measure_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "plan.manage")
    try:
        data = MeasureIn(code=_text(form, "code"), title=_text(form, "title"))
        with writing(request, principal) as session:
            service.add_measure(session, principal, _number(_text(form, "objective_id")) or 0,
                                data)
    except (ValidationError, ChegaraError) as exc:
        return _plan_back(request, exc)
    return _see_other("/governance/plan")


def _task_body(form: FormData) -> dict[str, Any]:
    return {"measure_id": whole_number(_text(form, "measure_id")), "code": _text(form, "code"),
            "title": _text(form, "title"), "responsible": _text(form, "responsible"),
            "contributing": [str(c) for c in form.getlist("contributing") if str(c).strip()],
            "term": _text(form, "term") or "short", "deadline": _text(form, "deadline"),
            "indicator": _text(form, "indicator"),
            "distribution": _text(form, "distribution") or "national",
            "tlp": _text(form, "tlp") or "green"}


@router.post("/governance/plan/tasks", response_model=None)
async def task_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "plan.manage")
    try:
        data = TaskIn.model_validate(_task_body(form))
        with writing(request, principal) as session:
            task_id = service.create_task(session, principal, data).id
    except (ValidationError, ChegaraError) as exc:
        return _plan_back(request, exc)
    return _see_other(f"/governance/tasks/{task_id}")


@router.post("/governance/plan/versions", response_model=None)
async def plan_revise(request: Request) -> Response:
    form, principal = await _form_principal(request, "plan.manage")
    try:
        data = RevisionIn(note=_text(form, "note"))
        with writing(request, principal) as session:
            version = service.revise(session, principal,
                                     _number(_text(form, "strategy_id")) or 0, data.note)
            number = version.number
    except (ValidationError, ChegaraError) as exc:
        return _plan_back(request, exc)
    return _see_other(f"/governance/plan/versions/{number}")


@router.get("/governance/plan/versions/{number}", response_class=HTMLResponse)
def version_page(number: int, request: Request) -> HTMLResponse:
    principal = _principal(request, "plan.read")
    strategy = _strategy(request, principal)
    if strategy is None:
        raise BadInput("there is no action plan yet")
    with reading(request) as session:
        version, plan = service.get_version(session, principal, strategy.id, number)
    return render(request, "governance/version.html", strategy=strategy, version=version,
                  plan=plan)


# --- tasks --------------------------------------------------------------------------------------

@router.get("/governance/tasks/{task_id}", response_class=HTMLResponse)
def task_page(task_id: int, request: Request, error: str | None = None,
              http_status: int = 200) -> HTMLResponse:
    principal = _principal(request, "plan.read")
    with reading(request) as session:
        task = service.get_task(session, principal, task_id)
        strategy = service.get_strategy(session, principal, task.strategy_id)
        measure = service.get_measure(session, principal, task.measure_id)
        history = service.task_history(session, task.id)
        evidence = service.evidence_of(session, task.id)
        agencies = service.agencies_by_id(session)
    return render(request, "governance/task.html", http_status=http_status, task=task,
                  strategy=strategy, measure=measure, history=history, evidence=evidence,
                  agencies=agencies, flag=service.flag_of(task, at_risk_days(request)),
                  statuses=TASK_STATUSES, error=error,
                  may_update=service.may_update(principal, task),
                  can_edit=("plan.manage" in principal.permissions
                            and strategy.owner_agency_id == principal.agency_id))


@router.post("/governance/tasks/{task_id}/status", response_model=None)
async def task_status(task_id: int, request: Request) -> Response:
    form, principal = await _form_principal(request, "task.update")
    try:
        data = StatusIn.model_validate({"status": _text(form, "status"),
                                        "progress": whole_number(_text(form, "progress")),
                                        "note": _text(form, "note")})
        with writing(request, principal) as session:
            service.update_status(session, principal, task_id, data)
    except (ValidationError, ChegaraError) as exc:
        return _error(lambda r, **kw: task_page(task_id, r, **kw), request, exc)
    return _see_other(f"/governance/tasks/{task_id}")


@router.post("/governance/tasks/{task_id}/edit", response_model=None)
async def task_edit(task_id: int, request: Request) -> Response:
    form, principal = await _form_principal(request, "plan.manage")
    try:
        data = TaskEditIn.model_validate({
            "title": _text(form, "title") or None, "responsible": _text(form, "responsible")
            or None, "deadline": _text(form, "deadline") or None,
            "indicator": _text(form, "indicator"), "term": _text(form, "term") or None})
        with writing(request, principal) as session:
            service.edit_task(session, principal, task_id, data)
    except (ValidationError, ChegaraError) as exc:
        return _error(lambda r, **kw: task_page(task_id, r, **kw), request, exc)
    return _see_other(f"/governance/tasks/{task_id}")


@router.post("/governance/tasks/{task_id}/evidence", response_model=None)
async def task_evidence(task_id: int, request: Request) -> Response:
    form, principal = await _form_principal(request, "task.update")
    upload = form.get("file")
    settings = request.app.state.settings
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise BadInput("choose the file to attach")
        with writing(request, principal) as session:
            service.attach_evidence(session, principal, task_id, home=settings.home,
                                    filename=upload.filename,
                                    content_type=upload.content_type or "",
                                    stream=upload.file, max_bytes=settings.max_upload_bytes,
                                    note=_text(form, "note"))
    except ChegaraError as exc:
        return _error(lambda r, **kw: task_page(task_id, r, **kw), request, exc)
    return _see_other(f"/governance/tasks/{task_id}")


@router.get("/governance/tasks/{task_id}/evidence/{evidence_id}")
def task_evidence_file(task_id: int, evidence_id: int, request: Request) -> Response:
    principal = _principal(request, "plan.read")
    with reading(request) as session:
        found, data = service.read_evidence(session, principal, task_id, evidence_id,
                                            request.app.state.settings.home)
    return evidence_response(found, data)


# --- commission ---------------------------------------------------------------------------------

@router.get("/governance/meetings", response_class=HTMLResponse)
def meetings_page(request: Request, error: str | None = None, http_status: int = 200
                  ) -> HTMLResponse:
    principal = _principal(request, "plan.read")
    with reading(request) as session:
        meetings = service.list_meetings(session, principal)
        decisions = service.decisions_of(session, [m.id for m in meetings])
    counts: dict[int, int] = {}
    for decision in decisions:
        counts[decision.meeting_id] = counts.get(decision.meeting_id, 0) + 1
    return render(request, "governance/meetings.html", http_status=http_status,
                  meetings=meetings, counts=counts, today=service.today(), error=error,
                  can_manage="plan.manage" in principal.permissions)


def _participants(text: str) -> list[Participant]:
    """One a line: ``Name (AGENCY) position`` — agency and position optional."""
    people = []
    for line in _lines(text):
        name, _, rest = line.partition("(")
        agency, _, position = rest.partition(")")
        people.append(Participant(name=name.strip(), agency=agency.strip().upper(),
                                  position=position.strip()))
    return people


@router.post("/governance/meetings", response_model=None)
async def meeting_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "plan.manage")
    strategy = _strategy(request, principal)
    try:
        data = MeetingIn.model_validate({
            "strategy_id": strategy.id if strategy else None, "title": _text(form, "title"),
            "held_on": _text(form, "held_on"), "place": _text(form, "place"),
            "participants": [p.model_dump() for p in _participants(
                str(form.get("participants", "")))],
            "agenda": _lines(str(form.get("agenda", ""))),
            "minutes": str(form.get("minutes", ""))})
        with writing(request, principal) as session:
            meeting_id = service.create_meeting(session, principal, data).id
    except (ValidationError, ChegaraError) as exc:
        return _error(meetings_page, request, exc)
    return _see_other(f"/governance/meetings/{meeting_id}")


@router.get("/governance/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(meeting_id: int, request: Request, error: str | None = None,
                 http_status: int = 200) -> HTMLResponse:
    principal = _principal(request, "plan.read")
    days = at_risk_days(request)
    with reading(request) as session:
        meeting = service.get_meeting(session, principal, meeting_id)
        decisions = service.decisions_of(session, [meeting.id])
        strategy = service.current_strategy(session, principal)
        tasks = {t.id: t for t in service.all_tasks(session, principal, strategy.id)
                 } if strategy else {}
        measures = service.measures_of(session, strategy.id) if strategy else []
        agencies = service.agencies_by_id(session)
    return render(request, "governance/meeting.html", http_status=http_status,
                  meeting=meeting, decisions=decisions, tasks=tasks, measures=measures,
                  agencies=agencies, flags={i: service.flag_of(t, days)
                                            for i, t in tasks.items()}, error=error,
                  can_manage=("plan.manage" in principal.permissions
                              and meeting.owner_agency_id == principal.agency_id))


@router.post("/governance/meetings/{meeting_id}/decisions", response_model=None)
async def decision_create(meeting_id: int, request: Request) -> Response:
    form, principal = await _form_principal(request, "plan.manage")
    try:
        task = TaskIn.model_validate(_task_body(form)) if _text(form, "code") else None
        data = DecisionIn(text=_text(form, "text"), task=task)
        with writing(request, principal) as session:
            service.add_decision(session, principal, meeting_id, data)
    except (ValidationError, ChegaraError) as exc:
        return _error(lambda r, **kw: meeting_page(meeting_id, r, **kw), request, exc)
    return _see_other(f"/governance/meetings/{meeting_id}")


# --- trainings and equipment ------------------------------------------------------------------

@router.get("/governance/trainings", response_class=HTMLResponse)
def trainings_page(request: Request, year: str | None = None, error: str | None = None,
                   http_status: int = 200) -> HTMLResponse:
    principal = _principal(request, "training.read")
    _ = translator(language_of(request, principal))
    chosen = _number(year)
    chosen = chosen if chosen is not None and 1900 <= chosen <= 2200 else None
    strategy = _strategy(request, principal)
    with reading(request) as session:
        rows = capacity.list_trainings(session, principal, capacity.TrainingFilter(year=chosen))
        participation = capacity.participation_of(session, [t.id for t in rows])
        agencies = service.agencies_by_id(session)
        measures = service.measures_of(session, strategy.id) if strategy else []
        projects = donors.list_projects(session, principal) if (
            "donor.read" in principal.permissions) else []
    headcount = capacity.headcount_by_agency([p for ps in participation.values() for p in ps])
    ordered, chart = products.gender_chart(headcount, agencies, _)
    years = sorted({t.starts_on.year for t in rows} | {service.today().year}, reverse=True)
    return render(request, "governance/trainings.html", http_status=http_status,
                  trainings=rows, participation=participation, agencies=agencies,
                  measures={m.id: m for m in measures}, projects=projects, chart=chart,
                  headcount=dict(ordered), year=chosen, years=years, kinds=TRAINING_KINDS,
                  error=error, can_manage="training.manage" in principal.permissions)


@router.post("/governance/trainings", response_model=None)
async def training_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "training.manage")
    try:
        participants = [ParticipationIn.model_validate({
            "agency": agency, "women": whole_number(str(form.getlist("women")[i])) or 0,
            "men": whole_number(str(form.getlist("men")[i])) or 0,
            "certificates": whole_number(str(form.getlist("certificates")[i])) or 0})
            for i, agency in enumerate(str(a) for a in form.getlist("agency")) if agency]
        place = _text(form, "place")
        data = TrainingIn.model_validate({
            "kind": _text(form, "kind"), "topic": _text(form, "topic"),
            "starts_on": _text(form, "starts_on"),
            "ends_on": _text(form, "ends_on") or _text(form, "starts_on"), "place": place,
            "distance": form.get("distance") is not None or not place,
            "organiser": _text(form, "organiser"),
            "partner_institution": _text(form, "partner_institution"),
            "trainers": _lines(str(form.get("trainers", ""))),
            "measure_id": _number(_text(form, "measure_id")),
            "project_id": _number(_text(form, "project_id")),
            "participants": [p.model_dump() for p in participants],
            "distribution": _text(form, "distribution") or "national"})
        with writing(request, principal) as session:
            capacity.create_training(session, principal, data)
    except (ValidationError, ChegaraError, IndexError) as exc:
        if isinstance(exc, IndexError):
            exc = BadInput("give women, men and certificates for each agency")
        return _error(trainings_page, request, exc)
    return _see_other("/governance/trainings")


@router.get("/governance/equipment", response_class=HTMLResponse)
def equipment_page(request: Request, error: str | None = None, http_status: int = 200
                   ) -> HTMLResponse:
    principal = _principal(request, "training.read")
    strategy = _strategy(request, principal)
    with reading(request) as session:
        rows = capacity.list_handovers(session, principal)
        trainings = {t.id: t for t in capacity.list_trainings(session, principal)}
        agencies = service.agencies_by_id(session)
        measures = service.measures_of(session, strategy.id) if strategy else []
        projects = donors.list_projects(session, principal) if (
            "donor.read" in principal.permissions) else []
    return render(request, "governance/equipment.html", http_status=http_status,
                  handovers=rows, trainings=trainings, agencies=agencies,
                  measures={m.id: m for m in measures}, projects={p.id: p for p in projects},
                  categories=EQUIPMENT_CATEGORIES, error=error,
                  can_manage="training.manage" in principal.permissions)


@router.post("/governance/equipment", response_model=None)
async def equipment_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "training.manage")
    try:
        data = EquipmentIn.model_validate({
            "item": _text(form, "item"), "category": _text(form, "category") or "other",
            "quantity": whole_number(_text(form, "quantity") or "1"),
            "recipient": _text(form, "recipient"),
            "handed_over_on": _text(form, "handed_over_on"),
            "location": _text(form, "location"), "value": _text(form, "value") or None,
            "currency": _text(form, "currency") or "EUR",
            "training_given": form.get("training_given") is not None,
            "training_id": _number(_text(form, "training_id")),
            "project_id": _number(_text(form, "project_id")),
            "measure_id": _number(_text(form, "measure_id")), "note": _text(form, "note")})
        with writing(request, principal) as session:
            capacity.create_handover(session, principal, data)
    except (ValidationError, ChegaraError) as exc:
        return _error(equipment_page, request, exc)
    return _see_other("/governance/equipment")


# --- donors -------------------------------------------------------------------------------------

@router.get("/governance/donors", response_class=HTMLResponse)
def donors_page(request: Request, error: str | None = None, http_status: int = 200
                ) -> HTMLResponse:
    principal = _principal(request, "donor.read")
    strategy = _strategy(request, principal)
    with reading(request) as session:
        result = donors.coordination(session, principal, strategy.id) if strategy else None
        donor_rows = {d.id: d for d in donors.list_donors(session, principal)}
        projects = result.projects if result else donors.list_projects(session, principal)
        objectives = {o.id: o for o in service.objectives_of(session, strategy.id)
                      } if strategy else {}
        agencies = service.agencies_by_id(session)
    return render(request, "governance/donors.html", http_status=http_status,
                  coordination=result, projects=projects, donors=donor_rows,
                  objectives=objectives, agencies=agencies, error=error,
                  overlapping={c for o in (result.overlaps if result else [])
                               for c in (o.first.code, o.second.code)},
                  can_manage="donor.manage" in principal.permissions)


@router.post("/governance/donors", response_model=None)
async def donor_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "donor.manage")
    try:
        data = DonorIn(code=_text(form, "code"), name=_text(form, "name"))
        with writing(request, principal) as session:
            donors.create_donor(session, principal, data)
    except (ValidationError, ChegaraError) as exc:
        return _error(donors_page, request, exc)
    return _see_other("/governance/donors")


@router.post("/governance/projects", response_model=None)
async def project_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "donor.manage")
    try:
        data = ProjectIn.model_validate({
            "donor": _text(form, "donor"), "code": _text(form, "code"),
            "title": _text(form, "title"), "programme": _text(form, "programme"),
            "implementer": _text(form, "implementer"), "budget": _text(form, "budget") or 0,
            "currency": _text(form, "currency") or "EUR",
            "starts_on": _text(form, "starts_on"), "ends_on": _text(form, "ends_on"),
            "beneficiaries": [str(a) for a in form.getlist("beneficiaries")],
            "objective_ids": [whole_number(str(o)) for o in form.getlist("objective_ids")],
            "distribution": _text(form, "distribution") or "national"})
        with writing(request, principal) as session:
            donors.create_project(session, principal, data)
    except (ValidationError, ChegaraError) as exc:
        return _error(donors_page, request, exc)
    return _see_other("/governance/donors")


# --- CSV imports --------------------------------------------------------------------------------

@router.get("/governance/import", response_class=HTMLResponse)
def import_page(request: Request, message: str | None = None, error: str | None = None,
                http_status: int = 200) -> HTMLResponse:
    principal = _principal(request, "plan.read")
    allowed = [k for k, (permission, _r, _o) in imports.COLUMNS.items()
               if permission in principal.permissions]
    return render(request, "governance/import.html", http_status=http_status,
                  columns=imports.COLUMNS, allowed=allowed, message=message, error=error)


@router.post("/governance/import", response_class=HTMLResponse)
async def import_upload(request: Request) -> HTMLResponse:
    form, principal = await _form_principal(request, "plan.read")
    upload = form.get("file")
    kind = _text(form, "kind")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise BadInput("choose the CSV file")
        data = await upload.read(imports.MAX_CSV_BYTES + 1)
        with writing(request, principal) as session:
            result = imports.import_csv(session, principal, kind, data,
                                        source_name=upload.filename)
    except ChegaraError as exc:
        return import_page(request, error=exc.message, http_status=exc.status)
    return import_page(request, message=f"{result.rows} / {result.created} / {result.updated}")


# --- reports ------------------------------------------------------------------------------------

@router.get("/governance/reports", response_class=HTMLResponse)
def reports_page(request: Request) -> HTMLResponse:
    principal = _principal(request, "governance.report")
    strategy = _strategy(request, principal)
    years = list(range(strategy.first_year, min(strategy.last_year,
                                                service.today().year) + 1)) if strategy else []
    return render(request, "governance/reports.html", strategy=strategy,
                  years=sorted(years, reverse=True))


def _built(request: Request, kind: str, year: int | None) -> products.Built:
    principal = _principal(request, "governance.report")
    return report(request, principal, kind, year, language_of(request, principal))


def _report_kind(kind: str) -> str:
    if kind not in ("commission", "annual"):
        raise BadInput("the report is commission or annual")
    return kind


@router.get("/governance/reports/{kind}", response_class=HTMLResponse)
def report_page(kind: str, request: Request, year: str | None = None) -> HTMLResponse:
    principal = _principal(request, "governance.report")
    _ = translator(language_of(request, principal))
    query = f"?year={_number(year)}" if _number(year) else ""
    title = (_("State of play of the national IBM action plan") if _report_kind(kind)
             == "commission" else _("Annual progress report on the national IBM action plan")
             + (f" {_number(year)}" if _number(year) else ""))
    return render(request, "governance/report.html", kind=kind, query=query, title=title)


@router.get("/governance/reports/{kind}/document", response_class=HTMLResponse)
def report_document(kind: str, request: Request, year: str | None = None) -> HTMLResponse:
    return HTMLResponse(_built(request, _report_kind(kind), _number(year)).html)


@router.get("/governance/reports/{kind}/pdf")
def report_pdf(kind: str, request: Request, year: str | None = None) -> Response:
    built = _built(request, _report_kind(kind), _number(year))
    name = f"chegara-ibm-{kind}{'-' + str(_number(year)) if _number(year) else ''}.pdf"
    return pdf_response(built.html, name)

