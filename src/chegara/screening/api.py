"""/api/v1/screening and /api/v1/watchlists."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from chegara.errors import BadInput
from chegara.http import Page, PageParams, page_params
from chegara.screening import service
from chegara.screening.importers import FORMATS
from chegara.screening.schemas import (
    AssignIn,
    BatchIn,
    BatchOut,
    DecisionIn,
    DiffOut,
    EntryOut,
    HitOut,
    HitRecordOut,
    ImportOut,
    PersonIn,
    ScreenIn,
    ScreenOut,
    VersionOut,
    WatchlistIn,
    WatchlistOut,
)
from chegara.security import audit
from chegara.security.deps import CurrentPrincipal, reading, requires, writing
from chegara.security.policy import Principal

router = APIRouter(prefix="/api/v1", tags=["screening"])
Paging = Annotated[PageParams, Depends(page_params)]


def index_cache(request: Request) -> service.IndexCache:
    cache: service.IndexCache = request.app.state.index_cache
    return cache


def _traveller(person: PersonIn) -> service.Traveller:
    return service.Traveller(person.name, person.birth_date, person.nationality,
                             person.gender, person.document_number)


def _screen_out(result: service.ScreeningResult) -> ScreenOut:
    recorded = {(r.watchlist_id, r.entry_id): r.id for r in result.recorded}

    def one(list_hit: service.ListHit) -> HitOut:
        hit = list_hit.hit
        return HitOut(hit_id=recorded.get((list_hit.watchlist.id, hit.entry_id)),
                      list=list_hit.watchlist.name, entry_id=hit.entry_id,
                      score=round(hit.score, 4), matched_name=hit.matched_name,
                      explanation=hit.explanation.to_dict(),
                      explanation_text=hit.explanation.to_text(),
                      suppressed_by_hit=list_hit.suppressed_by)

    return ScreenOut(hits=[one(h) for h in result.hits],
                     suppressed=[one(h) for h in result.suppressed])


@router.post("/screening/screen", response_model=ScreenOut)
def screen_one(body: ScreenIn, request: Request,
               principal: Annotated[Principal, Depends(requires("screening.run"))]
               ) -> ScreenOut:
    """Screen one person; hits are recorded in your agency's review queue."""
    with writing(request, principal) as session:
        result = service.screen_and_record(
            session, index_cache(request), principal, _traveller(body), list_names=body.lists,
            threshold=body.threshold, source="api")
        return _screen_out(result)


@router.post("/screening/batch", response_model=BatchOut)
def screen_batch(body: BatchIn, request: Request,
                 principal: Annotated[Principal, Depends(requires("screening.run"))]
                 ) -> BatchOut:
    """Screen up to 500 persons in one call; results in the order given."""
    with writing(request, principal) as session:
        return BatchOut(results=[_screen_out(service.screen_and_record(
            session, index_cache(request), principal, _traveller(p), list_names=body.lists,
            threshold=body.threshold, source="api-batch")) for p in body.persons])


@router.get("/screening/hits", response_model=Page[HitRecordOut])
def hits(request: Request, paging: Paging, principal: CurrentPrincipal,
         status: Annotated[str | None, Query(max_length=16)] = None,
         mine: bool = False) -> Page[HitRecordOut]:
    with writing(request, principal) as session:
        rows, total = service.hit_queue(session, principal, status=status, mine=mine,
                                        offset=paging.offset, limit=paging.limit)
        # A queue shows travellers' names: one read event per page, naming the hits.
        audit.append(session, action="read", resource_type="screening_hit",
                     resource_id=",".join(str(r.id) for r in rows)[:64] or "-",
                     note=f"hit queue page ({len(rows)} hits)")
        return Page[HitRecordOut](items=[HitRecordOut.model_validate(r) for r in rows],
                                  total=total, offset=paging.offset, limit=paging.limit)


@router.get("/screening/hits/{hit_id}", response_model=HitRecordOut)
def hit(hit_id: int, request: Request, principal: CurrentPrincipal) -> HitRecordOut:
    with writing(request, principal) as session:
        return HitRecordOut.model_validate(service.get_hit(session, principal, hit_id))


@router.post("/screening/hits/{hit_id}/assign", response_model=HitRecordOut)
def assign(hit_id: int, body: AssignIn, request: Request, principal: CurrentPrincipal
           ) -> HitRecordOut:
    with writing(request, principal) as session:
        return HitRecordOut.model_validate(
            service.assign_hit(session, principal, hit_id, body.user_id))


@router.post("/screening/hits/{hit_id}/decision", response_model=HitRecordOut)
def decide(hit_id: int, body: DecisionIn, request: Request, principal: CurrentPrincipal
           ) -> HitRecordOut:
    with writing(request, principal) as session:
        return HitRecordOut.model_validate(service.decide_hit(
            session, principal, hit_id, status=body.status, reason=body.reason))


# --- watchlists -------------------------------------------------------------------------------

@router.get("/watchlists", response_model=list[WatchlistOut], tags=["watchlists"])
def watchlists(request: Request, principal: CurrentPrincipal) -> list[WatchlistOut]:
    with reading(request) as session:
        return [WatchlistOut.model_validate(w)
                for w in service.visible_watchlists(session, principal)]


@router.post("/watchlists", response_model=WatchlistOut, status_code=201, tags=["watchlists"])
def create_watchlist(body: WatchlistIn, request: Request,
                     principal: Annotated[Principal, Depends(requires("watchlist.manage"))]
                     ) -> WatchlistOut:
    with writing(request, principal) as session:
        return WatchlistOut.model_validate(service.create_watchlist(
            session, owner_agency_id=principal.agency_id, name=body.name, title=body.title,
            kind=body.kind, maintained_here=body.maintained_here,
            distribution=body.distribution, tlp=body.tlp, threshold=body.threshold))


@router.post("/watchlists/{name}/versions", response_model=ImportOut, status_code=201,
             tags=["watchlists"])
def upload_version(
    name: str, request: Request,
    principal: Annotated[Principal, Depends(requires("watchlist.manage"))],
    file: Annotated[UploadFile, File(description="the list file")],
    fmt: Annotated[str, Form(alias="format")] = "auto",
) -> ImportOut:
    """Upload a new version of a list. Own lists wait for four-eyes approval."""
    if fmt != "auto" and fmt not in FORMATS:
        raise BadInput(f"format must be auto or one of {', '.join(FORMATS)}")
    upload = service.read_upload(file.filename, file.file.read(), fmt)
    with writing(request, principal) as session:
        outcome = service.import_upload(session, principal, name, upload)
        return ImportOut(version=VersionOut.model_validate(outcome.version),
                         approval_id=outcome.approval_id, summary=outcome.summary())


@router.get("/watchlists/{name}/versions", response_model=list[VersionOut],
            tags=["watchlists"])
def list_versions(name: str, request: Request, principal: CurrentPrincipal
                  ) -> list[VersionOut]:
    with reading(request) as session:
        watchlist = service.get_watchlist(session, principal, name)
        return [VersionOut.model_validate(v) for v in service.versions(session, watchlist)]


@router.get("/watchlists/{name}/versions/{number}/diff", response_model=DiffOut,
            tags=["watchlists"])
def diff(name: str, number: int, request: Request, principal: CurrentPrincipal) -> DiffOut:
    with writing(request, principal) as session:
        watchlist = service.get_watchlist(session, principal, name)
        result = service.version_diff(session, watchlist, number)
        audit.record_read(session, resource_type="watchlist", resource_id=watchlist.id,
                          purpose=f"diff of version {number}")
        return DiffOut(number=result.number, added=result.added, changed=result.changed,
                       removed=result.removed)


@router.get("/watchlists/{name}/entries/{entry_id}", response_model=EntryOut,
            tags=["watchlists"])
def entry(name: str, entry_id: str, request: Request, principal: CurrentPrincipal
          ) -> EntryOut:
    with writing(request, principal) as session:
        watchlist = service.get_watchlist(session, principal, name)
        found = service.get_entry(session, watchlist, entry_id)
        audit.record_read(session, resource_type="watchlist_entry",
                          resource_id=f"{watchlist.id}:{entry_id}"[:64],
                          purpose="entry opened")
        return EntryOut(entry_id=found.entry_id, name=found.name, valid_from=found.valid_from,
                        valid_to=found.valid_to, data=found.data)
