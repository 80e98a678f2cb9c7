"""/api/v1/voyages and /api/v1/traveller-rules: stored manifests, their pre-arrival lists, and
the risk rules that screen them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile

from chegara.db.base import Distribution, Tlp
from chegara.errors import BadInput
from chegara.http import Page, PageParams, page_params
from chegara.passengers import rules as rule_engine
from chegara.passengers import service
from chegara.passengers.models import TravellerRule, Voyage
from chegara.passengers.schemas import (
    AttributeOut,
    LoadOut,
    PreArrivalOut,
    ReviewIn,
    RuleIn,
    RuleOut,
    RuleUpdateIn,
    TravellerHitOut,
    VoyageOut,
    VoyageTravellerOut,
)
from chegara.screening.service import IndexCache
from chegara.security.deps import reading, requires, writing
from chegara.security.policy import Principal
from chegara.security.schemas import ApprovalOut

router = APIRouter(prefix="/api/v1", tags=["voyages"])
MAX_MANIFEST_BYTES = 10 * 1024 * 1024
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _cache(request: Request) -> IndexCache:
    cache: IndexCache = request.app.state.index_cache
    return cache


def voyage_out(voyage: Voyage, open_reviews: int | None = None) -> VoyageOut:
    out = VoyageOut.model_validate(voyage)
    out.open_reviews = open_reviews
    return out


def pre_arrival_out(listing: service.PreArrival) -> PreArrivalOut:
    travellers = []
    for item in listing.travellers:
        out = VoyageTravellerOut.model_validate(item.traveller)
        out.hits = [TravellerHitOut.model_validate(h) for h in item.hits]
        travellers.append(out)
    return PreArrivalOut(voyage=voyage_out(listing.voyage, listing.open_reviews),
                         minutes_until_arrival=listing.minutes_until_arrival,
                         open_reviews=listing.open_reviews, urgent=listing.urgent,
                         travellers=travellers)


def rule_out(rule: TravellerRule, pending: dict[int, int]) -> RuleOut:
    out = RuleOut.model_validate(rule)
    out.pending_approval_id = pending.get(rule.id)
    return out


@router.post("/voyages", response_model=LoadOut, status_code=201)
async def load_voyage(
    request: Request, principal: Annotated[Principal, Depends(requires("voyage.import"))],
    file: Annotated[UploadFile, File(description="PAXLST or PNRGOV interchange, or a bus or "
                                                 "train CSV manifest")],
    distribution: Annotated[Distribution, Form()] = Distribution.AGENCY,
    tlp: Annotated[Tlp, Form()] = Tlp.AMBER,
) -> LoadOut:
    """Store a manifest as a voyage and screen every traveller (watchlists, registry, document
    checks, active rules). A malformed manifest is refused whole (422 naming the segment)."""
    data = await file.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise BadInput("the manifest is larger than 10 MiB")
    with writing(request, principal) as session:
        outcome = service.load_voyage(session, _cache(request), principal, data,
                                      source_name=file.filename or "manifest",
                                      distribution=distribution, tlp=tlp)
        return LoadOut(voyage=voyage_out(outcome.voyage), travellers=outcome.travellers,
                       hits_by_kind=outcome.hits_by_kind)


@router.get("/voyages", response_model=Page[VoyageOut])
def list_voyages(request: Request, paging: Annotated[PageParams, Depends(page_params)],
                 principal: Annotated[Principal, Depends(requires("voyage.read"))]
                 ) -> Page[VoyageOut]:
    with reading(request) as session:
        rows, total, open_counts = service.list_voyages(session, principal,
                                                        offset=paging.offset, limit=paging.limit)
        return Page[VoyageOut](items=[voyage_out(v, open_counts.get(v.id, 0)) for v in rows],
                               total=total, offset=paging.offset, limit=paging.limit)


@router.get("/voyages/{voyage_id}", response_model=PreArrivalOut)
def get_voyage(voyage_id: Id, request: Request,
               principal: Annotated[Principal, Depends(requires("voyage.read"))],
               everyone: Annotated[bool, Query(
                   description="all travellers, not only those with hits")] = False,
               ) -> PreArrivalOut:
    """The pre-arrival list: travellers with hits, worst first, timed against the arrival."""
    with writing(request, principal) as session:
        return pre_arrival_out(service.pre_arrival(session, principal, voyage_id,
                                                   everyone=everyone))


@router.post("/voyages/{voyage_id}/travellers/{traveller_id}/review",
             response_model=VoyageTravellerOut)
def review(voyage_id: Id, traveller_id: Id, body: ReviewIn, request: Request,
           principal: Annotated[Principal, Depends(requires("voyage.review"))]
           ) -> VoyageTravellerOut:
    with writing(request, principal) as session:
        return VoyageTravellerOut.model_validate(service.review_traveller(
            session, principal, voyage_id, traveller_id, body.note))


# --- rules ---------------------------------------------------------------------------------------

@router.get("/traveller-rules/attributes", response_model=list[AttributeOut])
def rule_attributes(principal: Annotated[Principal, Depends(requires("rule.read"))]
                    ) -> list[AttributeOut]:
    """What rules can test, and with which operators."""
    return [AttributeOut(name=name, kind=kind, description=text,
                         operators=[op for op, kinds in rule_engine.OPERATORS.items()
                                    if kind in kinds])
            for name, (kind, text) in rule_engine.ATTRIBUTES.items()]


@router.get("/traveller-rules", response_model=list[RuleOut])
def list_rules(request: Request,
               principal: Annotated[Principal, Depends(requires("rule.read"))]
               ) -> list[RuleOut]:
    with reading(request) as session:
        rows = service.list_rules(session, principal)
        pending = service.pending_rule_approvals(session, [r.id for r in rows])
        return [rule_out(r, pending) for r in rows]


@router.post("/traveller-rules", response_model=RuleOut, status_code=201)
def create_rule(body: RuleIn, request: Request,
                principal: Annotated[Principal, Depends(requires("rule.manage"))]) -> RuleOut:
    """A new rule, stored as a draft; activating it needs a supervisor (four-eyes)."""
    with writing(request, principal) as session:
        rule = service.create_rule(session, principal, name=body.name,
                                   description=body.description, severity=body.severity,
                                   condition=body.condition, distribution=body.distribution,
                                   tlp=body.tlp)
        return rule_out(rule, {})


@router.get("/traveller-rules/{rule_id}", response_model=RuleOut)
def get_rule(rule_id: Id, request: Request,
             principal: Annotated[Principal, Depends(requires("rule.read"))]) -> RuleOut:
    with reading(request) as session:
        rule = service.get_rule(session, principal, rule_id)
        return rule_out(rule, service.pending_rule_approvals(session, [rule.id]))


@router.put("/traveller-rules/{rule_id}", response_model=RuleOut)
def update_rule(rule_id: Id, body: RuleUpdateIn, request: Request,
                principal: Annotated[Principal, Depends(requires("rule.manage"))]) -> RuleOut:
    """Edit the draft; an active rule keeps applying its approved version meanwhile."""
    with writing(request, principal) as session:
        rule = service.update_rule(session, principal, rule_id, name=body.name,
                                   description=body.description, severity=body.severity,
                                   condition=body.condition)
        return rule_out(rule, service.pending_rule_approvals(session, [rule.id]))


@router.post("/traveller-rules/{rule_id}/activate", response_model=ApprovalOut,
             status_code=202)
def activate_rule(rule_id: Id, request: Request,
                  principal: Annotated[Principal, Depends(requires("rule.manage"))]
                  ) -> ApprovalOut:
    """Ask a supervisor of your agency to activate the current draft."""
    with writing(request, principal) as session:
        return ApprovalOut.model_validate(service.request_activation(session, principal,
                                                                     rule_id))


@router.post("/traveller-rules/{rule_id}/retire", response_model=RuleOut)
def retire_rule(rule_id: Id, request: Request,
                principal: Annotated[Principal, Depends(requires("rule.manage"))]) -> RuleOut:
    with writing(request, principal) as session:
        return rule_out(service.retire_rule(session, principal, rule_id), {})
