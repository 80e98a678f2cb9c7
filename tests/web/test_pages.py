"""The web shell through its forms, as a browser without JavaScript would use it: sign-in and
back-off, who may open which page, CSRF protection, and the admin, alert and four-eyes forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from chegara.db.session import Database
from chegara.demo.load import DEMO_PASSWORD
from chegara.exchange.models import RiskAlert
from chegara.security.deps import SESSION_COOKIE
from chegara.security.models import Agency, ApiToken, Approval, User
from chegara.security.policy import EVERYONE, ROLE_PERMISSIONS, Role
from chegara.web.i18n import catalogue
from chegara.web.render import NAVIGATION

HTML = {"Accept": "text/html"}
# One Border Service demo user per role.
BORDER_USERS = {Role.OFFICER: "border.officer", Role.ANALYST: "border.analyst",
                Role.SUPERVISOR: "border.supervisor", Role.ADMIN: "border.admin",
                Role.AUDITOR: "border.auditor"}
SignIn = Callable[[str], str]


def _count(db: Database, model: Any, *where: Any) -> int:
    with db.reader() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _login(client: Any, username: str, password: str) -> Any:
    return client.post("/login", data={"username": username, "password": password,
                                       "next": "/alerts"}, follow_redirects=False)


# --- sign in ----------------------------------------------------------------------------------

def test_the_login_form_is_served_to_anyone(client: Any, demo: Database) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="password"' in page.text
    assert SESSION_COOKIE not in page.cookies


def test_a_signed_out_visitor_is_sent_to_the_login_form(client: Any, demo: Database) -> None:
    response = client.get("/approvals", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/approvals")


def test_right_password_signs_in_with_a_session_cookie(client: Any, demo: Database) -> None:
    response = _login(client, "border.analyst", DEMO_PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/alerts"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(SESSION_COOKIE + "=")
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "Айгуль Осмонова" in dashboard.text


def test_wrong_password_gets_the_form_again_with_401(client: Any, demo: Database) -> None:
    response = _login(client, "border.analyst", "not-the-password")
    assert response.status_code == 401
    assert catalogue("ru")["Wrong user name or password."] in response.text
    assert SESSION_COOKIE not in response.cookies
    assert client.get("/", headers=HTML, follow_redirects=False).status_code == 303


def test_an_unknown_user_gets_the_same_answer(client: Any, demo: Database) -> None:
    response = _login(client, "nobody.here", DEMO_PASSWORD)
    assert response.status_code == 401
    assert catalogue("ru")["Wrong user name or password."] in response.text


def test_repeated_failures_back_off_even_for_the_right_password(
        client: Any, demo: Database) -> None:
    backoff_after = demo.settings.login_backoff_after
    for _ in range(backoff_after):
        assert _login(client, "border.officer", "guess-1234").status_code == 401
    # The last failure started the back-off: now even the right password is held back.
    refused = _login(client, "border.officer", DEMO_PASSWORD)
    assert refused.status_code == 401
    assert catalogue("ru")["Too many failed sign-ins. Try again later."] in refused.text
    assert SESSION_COOKIE not in refused.cookies
    # Another user is not affected.
    assert _login(client, "border.analyst", DEMO_PASSWORD).status_code == 303


def test_next_is_kept_local(client: Any, demo: Database) -> None:
    response = client.post("/login", data={"username": "border.analyst",
                                           "password": DEMO_PASSWORD,
                                           "next": "//evil.example/"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


# --- who sees which page ----------------------------------------------------------------------

def _allowed(role: Role, permission: str | None) -> bool:
    return permission is None or permission in EVERYONE | ROLE_PERMISSIONS[role]


NAV_PAGES = [(path, permission) for path, _label, permission, available in NAVIGATION
             if available]


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_navigation_page_opens_only_for_roles_allowed_to_see_it(
        client: Any, sign_in: SignIn, role: Role) -> None:
    # One signed-in user per role walks every page, so the demo is loaded once per role.
    sign_in(BORDER_USERS[role])
    expected, seen = {}, {}
    for path, permission in NAV_PAGES:
        response = client.get(path, headers=HTML, follow_redirects=False)
        expected[path] = 200 if _allowed(role, permission) else 403
        seen[path] = response.status_code
        marker = '<nav class="sidebar"' if expected[path] == 200 else "<h1>403</h1>"
        assert marker in response.text, path
    assert seen == expected
    assert 200 in seen.values()


def test_the_navigation_lists_only_what_the_user_may_open(client: Any, sign_in: SignIn) -> None:
    sign_in("border.officer")
    page = client.get("/").text
    assert 'href="/alerts"' in page
    assert 'href="/audit"' not in page
    assert 'href="/admin/users"' not in page


def test_the_dashboard_shows_and_links_only_what_the_user_may_open(
        client: Any, sign_in: SignIn, demo: Database) -> None:
    with demo.reader() as session:
        titles = list(session.scalars(select(RiskAlert.title)))
    assert titles
    # An administrator may not read alerts: no titles, no links that would answer 403.
    sign_in("border.admin")
    page = client.get("/").text
    assert 'href="/alerts' not in page
    assert not [title for title in titles if title in page]
    assert 'href="/approvals"' in page
    # An officer reads alerts but not the approvals inbox.
    sign_in("border.officer")
    page = client.get("/").text
    assert 'href="/alerts/' in page
    assert 'href="/approvals"' not in page
    for link in set(re.findall(r'href="(/[^"?]*)"', page)) - {"/logout"}:
        assert client.get(link, headers=HTML).status_code == 200, link


def test_the_audit_page_is_refused_to_an_officer(client: Any, sign_in: SignIn) -> None:
    sign_in("border.officer")
    assert client.get("/audit", headers=HTML).status_code == 403
    assert client.get("/audit/verify", headers=HTML).status_code == 403


# --- CSRF -------------------------------------------------------------------------------------

NEW_USER = {"username": "border.trainee", "full_name": "Асель Маматова",
            "email": "a.mamatova@example.kg", "password": "Trainee-pass-2026",
            "language": "ru", "roles": ["officer"]}


@pytest.mark.parametrize("token", ["", "0" * 64], ids=["missing", "wrong"])
def test_a_form_post_without_the_right_csrf_token_is_refused_and_changes_nothing(
        client: Any, sign_in: SignIn, demo: Database, token: str) -> None:
    sign_in("border.admin")
    users_before = _count(demo, User)
    response = client.post("/admin/users", data={**NEW_USER, "csrf_token": token},
                           headers=HTML, follow_redirects=False)
    assert response.status_code == 403
    assert _count(demo, User) == users_before

    sign_in("border.analyst")
    alerts_before = _count(demo, RiskAlert)
    response = client.post("/alerts", data={"title": "Forged stamps", "category": "other",
                                            "source_reliability": "B",
                                            "information_credibility": "2",
                                            "distribution": "agency", "tlp": "amber",
                                            "csrf_token": token},
                           headers=HTML, follow_redirects=False)
    assert response.status_code == 403
    assert _count(demo, RiskAlert) == alerts_before


def test_the_csrf_token_of_another_session_is_refused(client: Any, sign_in: SignIn,
                                                      demo: Database) -> None:
    other_token = sign_in("border.supervisor2")
    sign_in("border.supervisor")
    pending = _count(demo, Approval, Approval.status == "pending")
    approval_id = _pending_approval_ids(demo)[0]
    response = client.post(f"/approvals/{approval_id}/approve",
                           data={"csrf_token": other_token}, follow_redirects=False)
    assert response.status_code == 403
    assert _count(demo, Approval, Approval.status == "pending") == pending


def test_htmx_requests_may_send_the_token_as_a_header(client: Any, sign_in: SignIn,
                                                      demo: Database) -> None:
    token = sign_in("border.analyst")
    response = client.post("/alerts", data={"title": "Counterfeit tax stamps",
                                            "category": "concealment",
                                            "source_reliability": "C",
                                            "information_credibility": "3",
                                            "distribution": "agency", "tlp": "green"},
                           headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert response.status_code == 303


def test_logout_needs_the_csrf_token(client: Any, sign_in: SignIn) -> None:
    sign_in("border.officer")
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


# --- the forms --------------------------------------------------------------------------------

def test_an_admin_creates_a_user_who_can_then_sign_in(client: Any, sign_in: SignIn,
                                                      demo: Database) -> None:
    token = sign_in("border.admin")
    response = client.post("/admin/users", data={**NEW_USER, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/users"
    assert NEW_USER["full_name"] in client.get("/admin/users").text
    with demo.reader() as session:
        user = session.scalar(select(User).where(User.username == NEW_USER["username"]))
        assert user is not None
        admin = session.scalar(select(User).where(User.username == "border.admin"))
        assert admin is not None
        assert (user.agency_id, user.roles, user.email) == (
            admin.agency_id, ["officer"], NEW_USER["email"])
    client.cookies.clear()
    assert _login(client, NEW_USER["username"], NEW_USER["password"]).status_code == 303


@pytest.mark.parametrize("bad", [
    {"username": "border.officer"}, {"username": ""}, {"username": "../x y"},
    {"full_name": " "}, {"language": "xx"},
], ids=["taken", "no-name", "unsafe-name", "no-full-name", "language"])
def test_a_bad_user_form_shows_the_problem_and_creates_nothing(
        client: Any, sign_in: SignIn, demo: Database, bad: dict[str, str]) -> None:
    token = sign_in("border.admin")
    before = _count(demo, User)
    response = client.post("/admin/users", data={**NEW_USER, **bad, "csrf_token": token})
    assert 400 <= response.status_code < 500
    assert 'role="alert"' in response.text
    assert _count(demo, User) == before


def _user(db: Database, username: str) -> tuple[int, list[str], bool]:
    with db.reader() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return user.id, list(user.roles), user.active


@pytest.mark.parametrize("form, words", [
    ({"roles": ["analyst"], "active": "on"}, "own administrator role"),
    ({"roles": ["admin"]}, "own account"),
], ids=["own-admin-role", "own-account"])
def test_an_admin_cannot_lock_themselves_out_with_the_user_form(
        client: Any, sign_in: SignIn, demo: Database, form: dict[str, Any], words: str) -> None:
    token = sign_in("border.admin")
    own_id, roles, active = _user(demo, "border.admin")
    response = client.post(f"/admin/users/{own_id}", data={**form, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 409
    assert 'role="alert"' in response.text and words in response.text
    assert _user(demo, "border.admin") == (own_id, roles, active)
    assert client.get("/admin/users").status_code == 200


def test_unticking_every_role_is_refused_not_ignored(client: Any, sign_in: SignIn,
                                                     demo: Database) -> None:
    token = sign_in("border.admin")
    officer = _user(demo, "border.officer")
    response = client.post(f"/admin/users/{officer[0]}", data={"csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 422 and "at least one role" in response.text
    assert _user(demo, "border.officer") == officer


def test_an_analyst_creates_an_alert_through_the_form(client: Any, sign_in: SignIn,
                                                      demo: Database) -> None:
    token = sign_in("border.analyst")
    response = client.post("/alerts", data={
        "title": "Cash couriers on the Bishkek–Almaty bus", "body": "Undeclared USD in seat "
        "linings.", "category": "smuggling_route", "source_reliability": "B",
        "information_credibility": "2", "distribution": "national", "tlp": "amber",
        "sharing_group_id": "", "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    detail = client.get(response.headers["location"])
    assert detail.status_code == 200
    assert "Cash couriers on the Bishkek–Almaty bus" in detail.text
    assert catalogue("ru")["national"] in detail.text


def test_an_invalid_alert_form_gets_422_and_creates_nothing(client: Any, sign_in: SignIn,
                                                            demo: Database) -> None:
    token = sign_in("border.analyst")
    before = _count(demo, RiskAlert)
    response = client.post("/alerts", data={"title": "x", "category": "no-such-category",
                                            "source_reliability": "Z",
                                            "information_credibility": "9",
                                            "distribution": "agency", "tlp": "amber",
                                            "csrf_token": token})
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert _count(demo, RiskAlert) == before


def _pending_approval_ids(db: Database, agency_code: str = "KG-BS") -> list[int]:
    with db.reader() as session:
        return list(session.scalars(
            select(Approval.id).join(Agency, Agency.id == Approval.agency_id)
            .where(Approval.status == "pending", Agency.code == agency_code)
            .order_by(Approval.id)))


def test_a_partner_alert_waits_for_a_supervisor_who_approves_it_in_the_inbox(
        client: Any, sign_in: SignIn, demo: Database) -> None:
    token = sign_in("border.analyst")
    response = client.post("/alerts", data={
        "title": "Counterfeit veterinary certificates for sheep", "category": "sps_risk",
        "source_reliability": "B", "information_credibility": "2", "distribution": "partners",
        "tlp": "green", "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    alert_id = int(response.headers["location"].rsplit("/", 1)[1])
    with demo.reader() as session:
        alert = session.get(RiskAlert, alert_id)
        assert alert is not None and alert.distribution == "national"
        approval = session.scalar(select(Approval).where(
            Approval.resource_type == "risk_alert", Approval.resource_id == str(alert_id)))
        assert approval is not None and approval.status == "pending"
        approval_id = approval.id
    detail = client.get(f"/alerts/{alert_id}").text
    assert catalogue("ru")["Sharing with partner states is waiting for approval."] in detail

    # The analyst may not decide, not even through a hand-made form.
    refused = client.post(f"/approvals/{approval_id}/approve", data={"csrf_token": token},
                          headers=HTML)
    assert refused.status_code == 403

    token = sign_in("border.supervisor")
    inbox = client.get("/approvals").text
    assert f'action="/approvals/{approval_id}/approve"' in inbox
    assert "Counterfeit veterinary certificates" in inbox or str(approval_id) in inbox
    decided = client.post(f"/approvals/{approval_id}/approve", data={"csrf_token": token},
                          follow_redirects=False)
    assert decided.status_code == 303
    assert decided.headers["location"] == "/approvals?status=approved"
    with demo.reader() as session:
        approval = session.get(Approval, approval_id)
        alert = session.get(RiskAlert, alert_id)
        assert approval is not None and alert is not None
        assert approval.status == "approved"
        assert alert.distribution == "partners"
    approved_tab = client.get("/approvals?status=approved").text
    assert "Бакыт Токтогулов" in approved_tab


def test_a_rejection_needs_a_reason(client: Any, sign_in: SignIn, demo: Database) -> None:
    token = sign_in("border.supervisor")
    approval_id = _pending_approval_ids(demo)[0]
    response = client.post(f"/approvals/{approval_id}/reject",
                           data={"csrf_token": token, "reason": "  "}, headers=HTML)
    assert response.status_code == 422
    assert approval_id in _pending_approval_ids(demo)
    response = client.post(f"/approvals/{approval_id}/reject",
                           data={"csrf_token": token, "reason": "Source not confirmed"},
                           follow_redirects=False)
    assert response.status_code == 303
    assert approval_id not in _pending_approval_ids(demo)
    assert "Source not confirmed" in client.get("/approvals?status=rejected").text


def test_an_auditor_sees_the_audit_trail_and_verifies_it(client: Any, sign_in: SignIn) -> None:
    sign_in("border.auditor")
    audit_page = client.get("/audit")
    assert audit_page.status_code == 200
    assert "<code>login</code>" in audit_page.text
    verify = client.get("/audit/verify")
    assert verify.status_code == 200
    assert catalogue("ru")["The audit chain is intact."] in verify.text


def test_logout_ends_the_session_on_the_server(client: Any, sign_in: SignIn) -> None:
    token = sign_in("border.officer")
    secret = client.cookies.get(SESSION_COOKIE)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.get("/", headers=HTML, follow_redirects=False).status_code == 303
    # Replaying the old cookie does not bring the session back.
    client.cookies.set(SESSION_COOKIE, secret)
    assert client.get("/", headers=HTML, follow_redirects=False).status_code == 303


@pytest.mark.parametrize("form, words", [
    ({"name": ""}, "name"), ({"name": "   "}, "name"),
    ({"name": "nightly export", "days": "a month"}, "whole number of days"),
], ids=["blank-name", "spaces-only-name", "days-not-a-number"])
def test_a_bad_token_form_shows_the_problem_and_creates_no_token(
        client: Any, sign_in: SignIn, demo: Database, form: dict[str, str], words: str) -> None:
    token = sign_in("border.analyst")
    user_id = _user(demo, "border.analyst")[0]
    before = _count(demo, ApiToken, ApiToken.user_id == user_id)
    response = client.post("/account/tokens", data={**form, "csrf_token": token})
    assert response.status_code == 422
    assert 'role="alert"' in response.text and words in response.text
    assert 'id="new-token"' not in response.text
    assert _count(demo, ApiToken, ApiToken.user_id == user_id) == before
