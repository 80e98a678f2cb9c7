"""Server-rendered pages of the analyst interface (Jinja2, htmx where it helps)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from starlette.datastructures import FormData

from chegara.errors import BadInput, ChegaraError, Conflict, Forbidden, NotAuthenticated
from chegara.exchange import service as alerts
from chegara.exchange.models import RiskAlert
from chegara.exchange.schemas import ALERT_CATEGORIES, AlertIn
from chegara.security import approvals, audit, service
from chegara.security.deps import SESSION_COOKIE, current_principal, get_database, reading, writing
from chegara.security.models import Approval, User
from chegara.security.policy import Principal, Role
from chegara.security.schemas import (
    EMAIL_MAX_LENGTH,
    FULL_NAME_LENGTH,
    username_browser_pattern,
)
from chegara.security.scoping import scoped
from chegara.web.render import render

router = APIRouter(include_in_schema=False)


def _principal(request: Request, action: str | None = None) -> Principal:
    principal = current_principal(request)
    if action is not None:
        service.require(principal, action)
    return principal


async def _form_principal(request: Request, action: str | None = None
                          ) -> tuple[FormData, Principal]:
    form = await request.form()
    request.state.form_csrf = str(form.get("csrf_token", ""))
    return form, _principal(request, action)


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def whole_number(text: str) -> int | str | None:
    """A form field's digits as the number the strict body schemas want: blank is None, and
    anything that is not a whole number stays text so the schema refuses it by field name."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return text


def _safe_next(target: str) -> str:
    # Only local paths: an open redirect would help phishing.
    return target if target.startswith("/") and not target.startswith("//") else "/"


# --- sign in / out ----------------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login", response_model=None)
async def login(request: Request) -> Response:
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "/")))
    db = get_database(request)
    with db.unit_of_work() as session:
        outcome = service.attempt_login(session, db.settings, username, password)
        secret = service.start_web_session(session, db.settings, outcome.user) if (
            outcome.user is not None) else None
    if secret is None:
        message = "Wrong user name or password."
        if outcome.retry_after is not None:
            message = "Too many failed sign-ins. Try again later."
        return render(request, "login.html", http_status=401, next=target, error=message)
    response = _see_other(target)
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="strict",
                        secure=db.settings.secure_cookies,
                        max_age=db.settings.session_minutes * 60)
    return response


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    _form, principal = await _form_principal(request)
    with writing(request, principal) as session:
        service.end_web_session(session, request.cookies.get(SESSION_COOKIE, ""))
    response = _see_other("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/lang/{code}")
def choose_language(code: str, request: Request, next: str = "/") -> RedirectResponse:
    response = _see_other(_safe_next(next))
    if code in ("ru", "en"):
        response.set_cookie("chegara_lang", code, samesite="lax", max_age=365 * 24 * 3600)
    return response


# --- dashboard --------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    principal = _principal(request)
    # Deny by default here too: an administrator or auditor without alert.read saw the titles
    # of the latest alerts (links that then answered 403), and officers a link to the inbox.
    reads_alerts = "alert.read" in principal.permissions
    alert_count, recent, by_category = 0, [], {}
    with reading(request) as session:
        if reads_alerts:
            visible_alerts = scoped(select(RiskAlert), RiskAlert, principal)
            recent = list(session.scalars(visible_alerts.order_by(RiskAlert.created_at.desc())
                                          .limit(5)))
            by_category = dict(session.execute(
                select(RiskAlert.category, func.count()).where(
                    RiskAlert.id.in_(visible_alerts.with_only_columns(RiskAlert.id)))
                .group_by(RiskAlert.category)).all())
            alert_count = sum(by_category.values())
        pending = session.scalar(select(func.count()).select_from(Approval).where(
            Approval.agency_id == principal.agency_id, Approval.status == "pending")) or 0
        agency = service.get_agency(session, principal.agency_id)
        colleagues = session.scalar(select(func.count()).select_from(User).where(
            User.agency_id == principal.agency_id, User.active.is_(True))) or 0
    return render(request, "dashboard.html", agency=agency, alert_count=alert_count,
                  recent=recent, pending=pending, colleagues=colleagues,
                  reads_alerts=reads_alerts,
                  reads_approvals="approval.read" in principal.permissions,
                  by_category=sorted(by_category.items(), key=lambda kv: -kv[1]))


# --- risk alerts ------------------------------------------------------------------------------

@router.get("/alerts", response_class=HTMLResponse)
def alert_list(request: Request, offset: int = 0) -> HTMLResponse:
    principal = _principal(request, "alert.read")
    with reading(request) as session:
        rows, total = alerts.list_alerts(session, principal, offset=max(offset, 0), limit=50)
        groups = service.list_sharing_groups(session)
    return render(request, "alerts.html", alerts=rows, total=total, offset=offset,
                  categories=ALERT_CATEGORIES, groups=groups, error=None)


@router.post("/alerts", response_model=None)
async def alert_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "alert.create")
    fields: dict[str, Any] = {k: str(form.get(k, "")) for k in (
        "title", "body", "category", "source_reliability", "information_credibility",
        "distribution", "tlp")}
    if form.get("sharing_group_id"):
        fields["sharing_group_id"] = whole_number(str(form.get("sharing_group_id")))
    try:
        data = AlertIn.model_validate(fields)
        with writing(request, principal) as session:
            alert, _approval = alerts.create_alert(session, principal, data)
    except (ChegaraError, ValueError) as exc:
        with reading(request) as session:
            rows, total = alerts.list_alerts(session, principal, offset=0, limit=50)
            groups = service.list_sharing_groups(session)
        return render(request, "alerts.html", http_status=422, alerts=rows, total=total, offset=0,
                      categories=ALERT_CATEGORIES, groups=groups, error=str(exc))
    return _see_other(f"/alerts/{alert.id}")


@router.get("/alerts/{alert_id}", response_class=HTMLResponse)
def alert_detail(alert_id: int, request: Request) -> HTMLResponse:
    principal = _principal(request, "alert.read")
    with reading(request) as session:
        alert = alerts.get_alert(session, principal, alert_id)
        pending = alerts.pending_approval_ids(session, [alert.id]).get(alert.id)
        owner = service.get_agency(session, alert.owner_agency_id)
    return render(request, "alert.html", alert=alert, pending=pending, owner=owner)


@router.post("/alerts/{alert_id}/share")
async def alert_share(alert_id: int, request: Request) -> RedirectResponse:
    _form, principal = await _form_principal(request)
    with writing(request, principal) as session:
        alerts.request_partner_sharing(session, principal, alert_id)
    return _see_other(f"/alerts/{alert_id}")


# --- approvals inbox --------------------------------------------------------------------------

@router.get("/approvals", response_class=HTMLResponse)
def approvals_inbox(request: Request, status: str = "pending") -> HTMLResponse:
    principal = _principal(request, "approval.read")
    status = status if status in ("pending", "approved", "rejected", "withdrawn") else "pending"
    with reading(request) as session:
        rows, total = approvals.list_for_agency(session, principal.agency_id, status=status,
                                                limit=100)
    return render(request, "approvals.html", approvals=rows, total=total, status=status,
                  kind_title=approvals.kind_title,
                  can_decide="approval.decide" in principal.permissions)


@router.post("/approvals/{approval_id}/{verdict}")
async def approval_decide(approval_id: int, verdict: str, request: Request) -> RedirectResponse:
    form, principal = await _form_principal(request, "approval.decide")
    if verdict not in ("approve", "reject"):
        raise Forbidden("unknown decision")
    with writing(request, principal) as session:
        approvals.decide(session, principal, approval_id, approve=verdict == "approve",
                         reason=str(form.get("reason", "")))
    return _see_other("/approvals?status=" + ("approved" if verdict == "approve" else "rejected"))


# --- audit ------------------------------------------------------------------------------------

@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, offset: int = 0, action: str = "") -> HTMLResponse:
    principal = _principal(request, "audit.read")
    with reading(request) as session:
        rows, total = audit.list_events(session, agency_id=principal.agency_id,
                                        offset=max(offset, 0), limit=100,
                                        action=action or None)
    return render(request, "audit.html", events=rows, total=total, offset=offset,
                  action=action, can_verify="audit.verify" in principal.permissions)


@router.get("/audit/verify", response_class=HTMLResponse)
def audit_verify(request: Request) -> HTMLResponse:
    _principal(request, "audit.verify")
    with reading(request) as session:
        result = audit.verify_chain(session)
    return render(request, "audit_verify.html", result=result)


# --- administration ---------------------------------------------------------------------------

@router.get("/admin/agencies", response_class=HTMLResponse)
def agencies_page(request: Request) -> HTMLResponse:
    principal = _principal(request, "agency.read")
    with reading(request) as session:
        rows = service.list_agencies(session)
    return render(request, "admin/agencies.html", agencies=rows, error=None,
                  can_manage="agency.manage" in principal.permissions
                  and not principal.agency_is_partner)


@router.post("/admin/agencies", response_model=None)
async def agency_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "agency.manage")
    if principal.agency_is_partner:
        raise Forbidden("partner agencies cannot register agencies")
    try:
        with writing(request, principal) as session:
            service.create_agency(
                session, code=str(form.get("code", "")).strip(),
                name=str(form.get("name", "")).strip(),
                name_ru=str(form.get("name_ru", "")).strip(),
                country=str(form.get("country", "")).strip(),
                kind=str(form.get("kind", "")).strip(),
                is_partner=form.get("is_partner") == "on")
    except ChegaraError as exc:
        with reading(request) as session:
            rows = service.list_agencies(session)
        return render(request, "admin/agencies.html", http_status=exc.status, agencies=rows,
                      error=exc.message, can_manage=True)
    return _see_other("/admin/agencies")


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request) -> HTMLResponse:
    return _users_page(request, _principal(request, "user.read"))


def _users_page(request: Request, principal: Principal, *, error: str | None = None,
                http_status: int = 200) -> HTMLResponse:
    with reading(request) as session:
        rows, total = service.list_users(session, agency_id=principal.agency_id, limit=200)
    return render(request, "admin/users.html", http_status=http_status, users=rows, total=total,
                  roles=list(Role), error=error, username_pattern=username_browser_pattern(),
                  full_name_length=FULL_NAME_LENGTH, email_max_length=EMAIL_MAX_LENGTH,
                  can_manage="user.manage" in principal.permissions)


@router.post("/admin/users", response_model=None)
async def user_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "user.manage")
    db = get_database(request)
    try:
        with writing(request, principal) as session:
            service.create_user(
                session, db.settings, username=str(form.get("username", "")).strip(),
                full_name=str(form.get("full_name", "")).strip(),
                email=str(form.get("email", "")).strip(), agency_id=principal.agency_id,
                roles=[str(r) for r in form.getlist("roles")],
                password=str(form.get("password", "")),
                language=str(form.get("language", "ru")))
    except ChegaraError as exc:
        return _users_page(request, principal, error=exc.message, http_status=exc.status)
    return _see_other("/admin/users")


@router.post("/admin/users/{user_id}", response_model=None)
async def user_update(user_id: int, request: Request) -> Response:
    form, principal = await _form_principal(request, "user.manage")
    db = get_database(request)
    roles = [str(r) for r in form.getlist("roles")]
    try:
        if not roles:
            # Unticking every role used to leave the roles as they were, without a word.
            raise BadInput("a user needs at least one role")
        with writing(request, principal) as session:
            user = service.get_user(session, user_id)
            service.require(principal, "user.manage", user)
            service.update_user(session, db.settings, user, roles=roles,
                                active=form.get("active") == "on",
                                changed_by=principal.user_id)
    except (BadInput, Conflict) as exc:
        return _users_page(request, principal, error=exc.message, http_status=exc.status)
    return _see_other("/admin/users")


@router.get("/admin/sharing-groups", response_class=HTMLResponse)
def groups_page(request: Request) -> HTMLResponse:
    _principal(request, "sharing_group.manage")
    with reading(request) as session:
        groups = service.list_sharing_groups(session)
        agencies = {a.id: a for a in service.list_agencies(session)}
    return render(request, "admin/groups.html", groups=groups, agencies=agencies, error=None)


@router.post("/admin/sharing-groups", response_model=None)
async def group_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "sharing_group.manage")
    try:
        with writing(request, principal) as session:
            service.create_sharing_group(
                session, principal, name=str(form.get("name", "")).strip(),
                description=str(form.get("description", "")).strip(),
                member_agency_ids=[int(str(a)) for a in form.getlist("members")])
    except ChegaraError as exc:
        with reading(request) as session:
            groups = service.list_sharing_groups(session)
            agencies = {a.id: a for a in service.list_agencies(session)}
        return render(request, "admin/groups.html", http_status=exc.status, groups=groups,
                      agencies=agencies, error=exc.message)
    return _see_other("/admin/sharing-groups")


@router.get("/account/tokens", response_class=HTMLResponse)
def tokens_page(request: Request) -> HTMLResponse:
    principal = _principal(request, "token.own")
    with reading(request) as session:
        rows = service.list_tokens(session, principal.user_id)
    return render(request, "tokens.html", tokens=rows, new_secret=None, error=None,
                  actions=sorted(principal.permissions))


@router.post("/account/tokens", response_model=None)
async def token_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "token.own")
    db = get_database(request)
    secret, error = None, None
    try:
        days = _token_days(str(form.get("days", "")))
        with writing(request, principal) as session:
            _token, secret = service.create_token(
                session, db.settings, principal, name=str(form.get("name", "")), days=days,
                scopes=[str(s) for s in form.getlist("scopes")])
    except ChegaraError as exc:
        error = exc.message
    with reading(request) as session:
        rows = service.list_tokens(session, principal.user_id)
    return render(request, "tokens.html", http_status=422 if error else 200, tokens=rows,
                  new_secret=secret, error=error, actions=sorted(principal.permissions))


def _token_days(text: str) -> int:
    try:
        return int(text.strip() or "30")
    except ValueError as exc:
        raise BadInput("the validity must be a whole number of days") from exc


@router.post("/account/tokens/{token_id}/revoke")
async def token_revoke(token_id: int, request: Request) -> RedirectResponse:
    _form, principal = await _form_principal(request, "token.own")
    with writing(request, principal) as session:
        service.revoke_token(session, principal, token_id)
    return _see_other("/account/tokens")


def login_redirect(path: str) -> RedirectResponse:
    return _see_other("/login?next=" + quote(path))


__all__ = ["NotAuthenticated", "login_redirect", "router"]
