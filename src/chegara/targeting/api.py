"""/api/v1/targeting: declarations, decisions, overrides, results, profiles, models, joint
control."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as Path_

from chegara.db.base import Distribution, Tlp
from chegara.errors import BadInput
from chegara.http import Page, PageParams, page_params
from chegara.security.deps import CurrentPrincipal, reading, requires, writing
from chegara.security.policy import Principal
from chegara.targeting import service, sps_service
from chegara.targeting.models import RiskProfile
from chegara.targeting.schemas import (
    AppointmentIn,
    AppointmentOut,
    ApprovalRef,
    CapacityIn,
    DecisionOut,
    DeclarationDetail,
    DeclarationOut,
    ImportOut,
    JointOut,
    JointPartOut,
    ModelOut,
    OverrideIn,
    OverrideOut,
    ProfileIn,
    ProfileOut,
    QueueItem,
    ResultIn,
    ResultOut,
    RunIn,
    RunOut,
    SpsCategoryIn,
    SpsCategoryOut,
    SpsCheckOut,
    SpsRulesOut,
    WatchlistIn,
    WatchlistOut,
)

if TYPE_CHECKING:
    import pandas as pd

router = APIRouter(prefix="/api/v1/targeting", tags=["targeting"])
Paging = Annotated[PageParams, Depends(page_params)]
# Bounded so an out-of-range id is a 422, not a database overflow.
RowId = Annotated[int, Path_(ge=1, le=2**31 - 1)]
SUFFIXES = (".csv", ".json", ".jsonl", ".ndjson")


def read_upload(filename: str, data: bytes, map_text: str) -> tuple[pd.DataFrame, str]:
    """Validate an uploaded file with its YAML map; returns the canonical frame and digest."""
    name = Path(filename or "declarations.csv").name
    if Path(name).suffix.lower() not in SUFFIXES:
        raise BadInput(f"the file must be one of {', '.join(SUFFIXES)}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        field_map = (service.parse_map_text(map_text) if map_text.strip()
                     else service.identity_map(path))
        frame = service.read_declaration_file(path, field_map)
    return frame, hashlib.sha256(data).hexdigest()


@router.post("/declarations", response_model=ImportOut, status_code=201)
def upload_declarations(
    request: Request,
    principal: Annotated[Principal, Depends(requires("declaration.import"))],
    file: Annotated[UploadFile, File(description="CSV, JSON array or JSON lines")],
    field_map: Annotated[str, Form(alias="map", max_length=20_000,
                                   description="YAML: canonical name -> source column")] = "",
    kind: Annotated[str, Form(pattern="^(declaration|consignment)$")] = "declaration",
    distribution: Annotated[Distribution, Form()] = Distribution.AGENCY,
    tlp: Annotated[Tlp, Form()] = Tlp.AMBER,
    sharing_group_id: Annotated[int | None, Form()] = None,
) -> ImportOut:
    """Import declarations or SPS consignments; a file with any bad row is refused whole,
    and the error lists the bad rows by line."""
    filename = Path(file.filename or "declarations.csv").name
    frame, digest = read_upload(filename, file.file.read(), field_map)
    with writing(request, principal) as session:
        batch = service.import_declarations(
            session, frame=frame, owner_agency_id=principal.agency_id,
            kind=kind, source_name=filename, source_sha256=digest,
            created_by=principal.username, requester=principal, distribution=distribution,
            tlp=tlp, sharing_group_id=sharing_group_id)
        return ImportOut(import_id=batch.id, kind=batch.kind, rows=batch.rows,
                         source_name=batch.source_name)


@router.get("/declarations", response_model=Page[QueueItem])
def queue(request: Request, paging: Paging, principal: CurrentPrincipal,
          channel: Annotated[str | None, Query(max_length=16)] = None,
          office: Annotated[str | None, Query(max_length=64)] = None,
          day: Annotated[str | None, Query(max_length=10)] = None,
          kind: Annotated[str | None, Query(max_length=16)] = None) -> Page[QueueItem]:
    """The declaration queue: newest day first, red and yellow first within a day."""
    with reading(request) as session:
        rows, total = service.declaration_queue(
            session, principal, channel=channel, office=office, day=_day(day), kind=kind,
            offset=paging.offset, limit=paging.limit)
        checks = sps_service.checks_of(session, [x for _, x in rows])
        items = [QueueItem(declaration=DeclarationOut.model_validate(d),
                           decision=DecisionOut.model_validate(x) if x else None,
                           sps_check=SpsCheckOut.model_validate(checks[x.id])
                           if x and x.id in checks else None)
                 for d, x in rows]
    return Page[QueueItem](items=items, total=total, offset=paging.offset, limit=paging.limit)


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise BadInput("day must be YYYY-MM-DD", details=[{"field": "day"}]) from exc


@router.get("/declarations/{declaration_pk}", response_model=DeclarationDetail)
def declaration(declaration_pk: RowId, request: Request, principal: CurrentPrincipal
                ) -> DeclarationDetail:
    with reading(request) as session:
        found = service.get_declaration(session, principal, declaration_pk)
        decision = service.decision_of(session, found.id)
        result = service.result_of(session, decision.id) if decision else None
        check = sps_service.check_of(session, decision)
        return DeclarationDetail(
            declaration=DeclarationOut.model_validate(found),
            decision=DecisionOut.model_validate(decision) if decision else None,
            result=ResultOut.model_validate(result) if result else None,
            sps_check=SpsCheckOut.model_validate(check) if check else None)


@router.post("/selection/run", response_model=RunOut)
def run_selection(body: RunIn, request: Request,
                  principal: Annotated[Principal, Depends(requires("decision.run"))]) -> RunOut:
    """Channel the agency's undecided declarations (rules, random sample, model top-up)."""
    rates = service.SelectionRates(red_rate=body.red_rate, yellow_rate=body.yellow_rate,
                                   blue_rate=body.blue_rate,
                                   random_percent=body.random_percent, seed=body.seed)
    with writing(request, principal) as session:
        summary = service.run_selection(session, principal, owner_agency_id=principal.agency_id,
                                        day_from=body.day_from, day_to=body.day_to,
                                        rates=rates)
    return RunOut(decided=summary.decided, channels=summary.channels,
                  model_version=summary.model_version, profiles=summary.profiles)


@router.post("/decisions/{decision_id}/override", response_model=OverrideOut)
def override(decision_id: RowId, body: OverrideIn, request: Request,
             principal: Annotated[Principal, Depends(requires("decision.override"))]
             ) -> OverrideOut:
    """Stricter at once; lighter (e.g. releasing a red) only after a supervisor approves."""
    with writing(request, principal) as session:
        decision, approval = service.request_override(
            session, principal, decision_id, channel=body.channel, reason=body.reason)
        return OverrideOut(decision=DecisionOut.model_validate(decision),
                           approval_id=approval.id if approval else None)


@router.post("/decisions/{decision_id}/result", response_model=ResultOut, status_code=201)
def record_result(decision_id: RowId, body: ResultIn, request: Request,
                  principal: Annotated[Principal, Depends(requires("inspection.record"))]
                  ) -> ResultOut:
    with writing(request, principal) as session:
        return ResultOut.model_validate(service.record_result(
            session, principal, decision_id, found=body.found, offence_type=body.offence_type,
            revenue_recovered=body.revenue_recovered, notes=body.notes,
            inspected_on=body.inspected_on))


# --- profiles, watch-lists, capacity ----------------------------------------------------------

def _draft(body: ProfileIn) -> service.ProfileDraft:
    return service.ProfileDraft(
        code=body.code, name=body.name, criteria=body.criteria, channel=body.channel,
        selection_percent=body.selection_percent, instructions=body.instructions,
        valid_from=body.valid_from, valid_to=body.valid_to, distribution=body.distribution,
        tlp=body.tlp)


@router.get("/profiles", response_model=list[ProfileOut])
def profiles(request: Request, principal: CurrentPrincipal,
             status: Annotated[str | None, Query(max_length=16)] = None) -> list[ProfileOut]:
    with reading(request) as session:
        return [ProfileOut.model_validate(p)
                for p in service.list_profiles(session, principal, status=status)]


@router.post("/profiles", response_model=ProfileOut, status_code=201)
def create_profile(body: ProfileIn, request: Request,
                   principal: Annotated[Principal, Depends(requires("profile.manage"))]
                   ) -> ProfileOut:
    with writing(request, principal) as session:
        return ProfileOut.model_validate(service.create_profile(session, principal,
                                                                _draft(body)))


@router.put("/profiles/{profile_id}", response_model=ProfileOut)
def update_profile(profile_id: RowId, body: ProfileIn, request: Request,
                   principal: Annotated[Principal, Depends(requires("profile.manage"))]
                   ) -> ProfileOut:
    """An edit returns the profile to draft: it fires again once re-approved."""
    with writing(request, principal) as session:
        return ProfileOut.model_validate(service.update_profile(session, principal, profile_id,
                                                                _draft(body)))


@router.post("/profiles/{profile_id}/activate", response_model=ApprovalRef, status_code=202)
def activate_profile(profile_id: RowId, request: Request,
                     principal: Annotated[Principal, Depends(requires("profile.manage"))]
                     ) -> ApprovalRef:
    """Ask a supervisor of your agency to activate the profile (four-eyes)."""
    with writing(request, principal) as session:
        approval = service.request_profile_activation(session, principal, profile_id)
        return ApprovalRef(approval_id=approval.id, summary=approval.summary)


@router.post("/profiles/{profile_id}/retire", response_model=ProfileOut)
def retire_profile(profile_id: RowId, request: Request,
                   principal: Annotated[Principal, Depends(requires("profile.manage"))]
                   ) -> ProfileOut:
    with writing(request, principal) as session:
        profile: RiskProfile = service.retire_profile(session, principal, profile_id)
        return ProfileOut.model_validate(profile)


@router.get("/watchlists", response_model=list[WatchlistOut])
def watchlists(request: Request, principal: CurrentPrincipal) -> list[WatchlistOut]:
    with reading(request) as session:
        return [WatchlistOut.model_validate(w)
                for w in service.visible_watchlists(session, principal)]


@router.put("/watchlists/{name}", response_model=WatchlistOut)
def save_watchlist(name: Annotated[str, Path_(max_length=64)], body: WatchlistIn,
                   request: Request,
                   principal: Annotated[Principal, Depends(requires("profile.manage"))]
                   ) -> WatchlistOut:
    with writing(request, principal) as session:
        return WatchlistOut.model_validate(service.save_watchlist(
            session, principal, name=name, field=body.field, ids=body.ids, note=body.note))


@router.put("/capacity/{office}", status_code=204)
def set_capacity(office: Annotated[str, Path_(max_length=64)], body: CapacityIn,
                 request: Request,
                 principal: Annotated[Principal, Depends(requires("profile.manage"))]) -> None:
    """Inspections an office can do a day, and its inspectors (dealt cases at random)."""
    with writing(request, principal) as session:
        service.set_capacity(session, principal, office=office,
                             physical_per_day=body.physical_per_day,
                             documentary_per_day=body.documentary_per_day,
                             inspectors=body.inspectors)


# --- SPS risk categories ----------------------------------------------------------------------

def _category_draft(body: SpsCategoryIn) -> sps_service.CategoryDraft:
    return sps_service.CategoryDraft(
        code=body.code, name=body.name, identity_percent=body.identity_percent,
        physical_percent=body.physical_percent, laboratory_percent=body.laboratory_percent,
        documentary_percent=body.documentary_percent,
        commodity_category=body.commodity_category, hs_prefixes=tuple(body.hs_prefixes),
        product_pattern=body.product_pattern, origin_country=body.origin_country,
        valid_from=body.valid_from, valid_to=body.valid_to, distribution=body.distribution)


@router.get("/sps/categories", response_model=list[SpsCategoryOut])
def sps_categories(request: Request, principal: CurrentPrincipal,
                   status: Annotated[str | None, Query(max_length=16)] = None
                   ) -> list[SpsCategoryOut]:
    """SPS commodity and origin risk categories with their check frequencies."""
    with reading(request) as session:
        return [SpsCategoryOut.model_validate(c)
                for c in sps_service.list_categories(session, principal, status=status)]


@router.get("/sps/rules", response_model=SpsRulesOut)
def sps_rules(principal: Annotated[Principal, Depends(requires("sps_category.read"))]
              ) -> SpsRulesOut:
    """The thresholds by which origin and establishment history move the frequencies."""
    rules = sps_service.RULES
    return SpsRulesOut(**{name: getattr(rules, name) for name in SpsRulesOut.model_fields})


@router.post("/sps/categories", response_model=SpsCategoryOut, status_code=201)
def create_sps_category(body: SpsCategoryIn, request: Request,
                        principal: Annotated[Principal,
                                             Depends(requires("sps_category.manage"))]
                        ) -> SpsCategoryOut:
    """A new category, as a draft: it applies once a supervisor activates it."""
    with writing(request, principal) as session:
        return SpsCategoryOut.model_validate(sps_service.create_category(
            session, principal, _category_draft(body)))


@router.put("/sps/categories/{category_id}", response_model=SpsCategoryOut)
def update_sps_category(category_id: RowId, body: SpsCategoryIn, request: Request,
                        principal: Annotated[Principal,
                                             Depends(requires("sps_category.manage"))]
                        ) -> SpsCategoryOut:
    """An edit returns the category to draft: it applies again once re-approved."""
    with writing(request, principal) as session:
        return SpsCategoryOut.model_validate(sps_service.update_category(
            session, principal, category_id, _category_draft(body)))


@router.post("/sps/categories/{category_id}/activate", response_model=ApprovalRef,
             status_code=202)
def activate_sps_category(category_id: RowId, request: Request,
                          principal: Annotated[Principal,
                                               Depends(requires("sps_category.manage"))]
                          ) -> ApprovalRef:
    """Ask a supervisor of your agency to activate the category (four-eyes)."""
    with writing(request, principal) as session:
        approval = sps_service.request_activation(session, principal, category_id)
        return ApprovalRef(approval_id=approval.id, summary=approval.summary)


@router.post("/sps/categories/{category_id}/retire", response_model=ApprovalRef,
             status_code=202)
def retire_sps_category(category_id: RowId, request: Request,
                        principal: Annotated[Principal,
                                             Depends(requires("sps_category.manage"))]
                        ) -> ApprovalRef:
    """Ask a supervisor to retire the category; it applies until approved (four-eyes)."""
    with writing(request, principal) as session:
        approval = sps_service.request_retirement(session, principal, category_id)
        return ApprovalRef(approval_id=approval.id, summary=approval.summary)


# --- model registry ---------------------------------------------------------------------------

@router.get("/models", response_model=list[ModelOut])
def models(request: Request, principal: CurrentPrincipal) -> list[ModelOut]:
    with reading(request) as session:
        return [ModelOut.model_validate(m) for m in service.list_models(session, principal)]


@router.post("/models/train", response_model=ModelOut, status_code=201)
def train(request: Request,
          principal: Annotated[Principal, Depends(requires("model.manage"))]) -> ModelOut:
    """Retrain on every inspection result recorded so far; activation needs four-eyes."""
    home = request.app.state.settings.home
    with writing(request, principal) as session:
        return ModelOut.model_validate(service.train_from_results(
            session, principal, owner_agency_id=principal.agency_id, home=home,
            created_by=principal.username))


@router.post("/models/{model_id}/activate", response_model=ApprovalRef, status_code=202)
def activate_model(model_id: RowId, request: Request,
                   principal: Annotated[Principal, Depends(requires("model.manage"))]
                   ) -> ApprovalRef:
    """Activate a version or roll back to an earlier one, after a supervisor approves."""
    with writing(request, principal) as session:
        approval = service.request_model_activation(session, principal, model_id)
        return ApprovalRef(approval_id=approval.id, summary=approval.summary)


# --- one-stop joint control -------------------------------------------------------------------

def _joint_out(joint: service.JointDecision) -> JointOut:
    appointment = joint.appointment
    return JointOut(
        declaration_ref=joint.declaration_ref, channel=joint.channel,
        border_action=joint.border_action,
        parts=[JointPartOut(agency_code=p.agency_code, kind=p.kind, visible=p.visible,
                            channel=p.decision.channel if p.decision else None,
                            reasons=list(p.decision.reasons) if p.decision else [],
                            sps_checks=list(p.sps_checks))
               for p in joint.parts],
        appointment=AppointmentOut(scheduled_for=appointment.scheduled_for,
                                   place=appointment.place, agencies=appointment.agencies)
        if appointment else None)


@router.get("/joint", response_model=JointOut)
def joint(request: Request, principal: CurrentPrincipal,
          ref: Annotated[str, Query(min_length=1, max_length=64)]) -> JointOut:
    """One declaration -> one decision for customs, SPS and the border guard."""
    with reading(request) as session:
        return _joint_out(service.joint_decision(session, principal, ref))


@router.post("/joint/appointment", response_model=JointOut)
def appointment(body: AppointmentIn, request: Request,
                principal: Annotated[Principal, Depends(requires("inspection.record"))],
                ref: Annotated[str, Query(min_length=1, max_length=64)]) -> JointOut:
    with writing(request, principal) as session:
        service.schedule_joint_inspection(session, principal, ref,
                                          scheduled_for=body.scheduled_for, place=body.place)
        return _joint_out(service.joint_decision(session, principal, ref))
