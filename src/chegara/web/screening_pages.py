"""Screening pages: the screening form, the hit review queue, watchlists and their versions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from chegara.errors import BadInput, ChegaraError
from chegara.screening import service
from chegara.screening.schemas import PersonIn
from chegara.security import audit
from chegara.security import service as security
from chegara.security.deps import reading, writing
from chegara.security.policy import Principal
from chegara.web.pages import _form_principal, _principal, _see_other
from chegara.web.render import render

router = APIRouter(include_in_schema=False)


def _cache(request: Request) -> service.IndexCache:
    cache: service.IndexCache = request.app.state.index_cache
    return cache


@router.get("/screening", response_class=HTMLResponse)
def screening_form(request: Request) -> HTMLResponse:
    principal = _principal(request, "screening.run")
    with reading(request) as session:
        lists = service.visible_watchlists(session, principal)
    return render(request, "screening/form.html", lists=lists, result=None, person=None,
                  error=None, chosen=[w.name for w in lists])


@router.post("/screening", response_class=HTMLResponse)
async def screening_run(request: Request) -> HTMLResponse:
    form, principal = await _form_principal(request, "screening.run")
    fields = {k: (str(form.get(k, "")).strip() or None) for k in (
        "name", "birth_date", "nationality", "gender", "document_number")}
    chosen = [str(v) for v in form.getlist("lists")]
    with reading(request) as session:
        lists = service.visible_watchlists(session, principal)
    try:
        person = PersonIn.model_validate({k: v for k, v in fields.items() if v is not None})
        with writing(request, principal) as session:
            result = service.screen_and_record(
                session, _cache(request), principal,
                service.Traveller(person.name, person.birth_date, person.nationality,
                                  person.gender, person.document_number),
                list_names=chosen or None, source="web")
            recorded = {(r.watchlist_id, r.entry_id): r.id for r in result.recorded}
    except ValidationError as exc:
        problems = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in exc.errors())
        return render(request, "screening/form.html", http_status=422, lists=lists,
                      result=None, person=fields, error=problems, chosen=chosen)
    except ChegaraError as exc:
        return render(request, "screening/form.html", http_status=exc.status, lists=lists,
                      result=None, person=fields, error=exc.message, chosen=chosen)
    return render(request, "screening/form.html", lists=lists, result=result, person=fields,
                  recorded=recorded, error=None, chosen=chosen)


@router.get("/screening/hits", response_class=HTMLResponse)
def hit_queue(request: Request, status: str = "NEW", mine: bool = False,
              offset: int = 0) -> HTMLResponse:
    principal = _principal(request, "hit.read")
    status = status if status in (*service.HIT_STATUSES, "") else "NEW"
    with writing(request, principal) as session:
        rows, total = service.hit_queue(session, principal, status=status or None, mine=mine,
                                        offset=max(offset, 0), limit=50)
        names = {w.id: w.name for w in service.visible_watchlists(session, None)}
        audit.append(session, action="read", resource_type="screening_hit",
                     resource_id=",".join(str(r.id) for r in rows)[:64] or "-",
                     note=f"hit queue page ({len(rows)} hits)")
    return render(request, "screening/hits.html", hits=rows, total=total, status=status,
                  mine=mine, offset=offset, list_names=names, statuses=service.HIT_STATUSES)


@router.get("/screening/hits/{hit_id}", response_class=HTMLResponse)
def hit_page(hit_id: int, request: Request) -> HTMLResponse:
    principal = _principal(request, "hit.read")
    with writing(request, principal) as session:
        hit = service.get_hit(session, principal, hit_id)
        watchlist = next(w for w in service.visible_watchlists(session, None)
                         if w.id == hit.watchlist_id)
        history = service.entry_history(session, watchlist, hit.entry_id)
        entry = next((e for e in history if e.content_hash == hit.entry_content_hash),
                     history[-1] if history else None)
        colleagues, _ = security.list_users(session, agency_id=principal.agency_id, limit=200)
    return render(request, "screening/hit.html", hit=hit, watchlist=watchlist, entry=entry,
                  colleagues=[u for u in colleagues if u.active],
                  transitions=sorted(service.HIT_TRANSITIONS.get(hit.status, set())),
                  can_review="hit.review" in principal.permissions)


@router.post("/screening/hits/{hit_id}/decision")
async def hit_decision(hit_id: int, request: Request) -> RedirectResponse:
    form, principal = await _form_principal(request, "hit.review")
    with writing(request, principal) as session:
        service.decide_hit(session, principal, hit_id, status=str(form.get("status", "")),
                           reason=str(form.get("reason", "")))
    return _see_other(f"/screening/hits/{hit_id}")


@router.post("/screening/hits/{hit_id}/assign")
async def hit_assign(hit_id: int, request: Request) -> RedirectResponse:
    form, principal = await _form_principal(request, "hit.assign")
    try:
        user_id = int(str(form.get("user_id", "")))
    except ValueError as exc:
        raise BadInput("choose an officer to assign the hit to") from exc
    with writing(request, principal) as session:
        service.assign_hit(session, principal, hit_id, user_id)
    return _see_other(f"/screening/hits/{hit_id}")


# --- watchlists -------------------------------------------------------------------------------

@router.get("/watchlists", response_class=HTMLResponse)
def watchlists_page(request: Request) -> HTMLResponse:
    principal = _principal(request, "watchlist.read")
    with reading(request) as session:
        lists = service.visible_watchlists(session, principal)
        agencies = {a.id: a for a in security.list_agencies(session)}
    return render(request, "screening/watchlists.html", lists=lists, agencies=agencies,
                  can_manage="watchlist.manage" in principal.permissions)


@router.get("/watchlists/{name}", response_class=HTMLResponse)
def watchlist_page(name: str, request: Request) -> HTMLResponse:
    return _watchlist_page(request, _principal(request, "watchlist.read"), name)


def _watchlist_page(request: Request, principal: Principal, name: str, *,
                    error: str | None = None, http_status: int = 200) -> HTMLResponse:
    with reading(request) as session:
        watchlist = service.get_watchlist(session, principal, name)
        versions = service.versions(session, watchlist)
    return render(request, "screening/watchlist.html", http_status=http_status,
                  watchlist=watchlist, versions=versions, error=error,
                  can_upload="watchlist.manage" in principal.permissions
                  and watchlist.owner_agency_id == principal.agency_id)


@router.post("/watchlists/{name}/versions", response_model=None)
async def watchlist_upload(name: str, request: Request) -> Response:
    form, principal = await _form_principal(request, "watchlist.manage")
    upload = form.get("file")
    try:
        if upload is None or isinstance(upload, str):
            raise BadInput("choose a list file to upload")
        uploaded = service.read_upload(upload.filename, await upload.read(),
                                       str(form.get("format", "auto")))
        with writing(request, principal) as session:
            number = service.import_upload(session, principal, name, uploaded).version.number
    except ChegaraError as exc:
        # The page again with the reason, answered like every other refused form (not 200).
        return _watchlist_page(request, principal, name, error=exc.message,
                               http_status=exc.status)
    return _see_other(f"/watchlists/{name}/versions/{number}")


@router.get("/watchlists/{name}/versions/{number}", response_class=HTMLResponse)
def version_page(name: str, number: int, request: Request) -> HTMLResponse:
    principal = _principal(request, "watchlist.read")
    with writing(request, principal) as session:
        watchlist = service.get_watchlist(session, principal, name)
        diff = service.version_diff(session, watchlist, number)
        version = next(v for v in service.versions(session, watchlist) if v.number == number)
        audit.record_read(session, resource_type="watchlist", resource_id=watchlist.id,
                          purpose=f"diff of version {number}")
    return render(request, "screening/version.html", watchlist=watchlist, diff=diff,
                  version=version)


@router.get("/watchlists/{name}/entries/{entry_id}", response_class=HTMLResponse)
def entry_page(name: str, entry_id: str, request: Request) -> HTMLResponse:
    principal = _principal(request, "watchlist.read")
    with writing(request, principal) as session:
        watchlist = service.get_watchlist(session, principal, name)
        history = service.entry_history(session, watchlist, entry_id)
        if not history:
            raise BadInput(f"{name} has no entry {entry_id!r}")
        audit.record_read(session, resource_type="watchlist_entry",
                          resource_id=f"{watchlist.id}:{entry_id}"[:64], purpose="entry opened")
    return render(request, "screening/entry.html", watchlist=watchlist, history=history,
                  entry=history[-1])


