"""The API's promises: one error body, bad input refused with nothing changed, bounded pages,
size and rate limits, tokens that expire, narrow and can be revoked, login back-off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select, update

from chegara.db.session import Database
from chegara.errors import AdminLockout
from chegara.exchange.models import RiskAlert
from chegara.security import audit
from chegara.security import service as security
from chegara.security.models import ApiToken, AuditEvent, User

GOOD_ALERT = {"title": "Fuel-tank concealment", "category": "concealment",
              "source_reliability": "B", "information_credibility": "2"}


def _counts(db: Database) -> tuple[int, int]:
    with db.reader() as session:
        return (session.scalar(select(func.count()).select_from(RiskAlert)) or 0,
                session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def _assert_error_body(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_health_and_readiness(client: Any) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


@pytest.mark.parametrize("payload, field", [
    (GOOD_ALERT | {"owner_agency_id": 1}, "owner_agency_id"),
    (GOOD_ALERT | {"title": 42}, "title"),
    (GOOD_ALERT | {"source_reliability": "Z"}, "source_reliability"),
    (GOOD_ALERT | {"distribution": "everyone"}, "distribution"),
    ({k: v for k, v in GOOD_ALERT.items() if k != "category"}, "category"),
    (GOOD_ALERT | {"title": "x" * 201}, "title"),
    (GOOD_ALERT | {"title": "'; DROP TABLE risk_alert; --", "sharing_group_id": "1 OR 1=1"},
     "sharing_group_id"),
])
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
        client: Any, demo: Database, as_user: Any, payload: dict[str, Any], field: str) -> None:
    headers = as_user("border.analyst")
    before = _counts(demo)
    error = _assert_error_body(client.post("/api/v1/alerts", json=payload, headers=headers),
                               422, "bad_input")
    assert any(field in d["field"] for d in error["details"]), error
    assert field in error["message"]
    assert _counts(demo) == before


def test_malformed_json_and_wrong_content(client: Any, demo: Database, as_user: Any) -> None:
    headers = as_user("border.analyst") | {"content-type": "application/json"}
    before = _counts(demo)
    _assert_error_body(client.post("/api/v1/alerts", content=b"{not json", headers=headers),
                       422, "bad_input")
    _assert_error_body(client.post("/api/v1/alerts", content=b"[1, 2]", headers=headers),
                       422, "bad_input")
    assert _counts(demo) == before


def test_oversize_body_is_refused(client: Any, demo: Database, as_user: Any) -> None:
    headers = as_user("border.analyst")
    before = _counts(demo)
    huge = GOOD_ALERT | {"body": "x" * (demo.settings.max_body_bytes + 10)}
    _assert_error_body(client.post("/api/v1/alerts", json=huge, headers=headers), 413,
                       "payload_too_large")
    assert _counts(demo) == before


def test_every_failure_has_the_same_error_body(client: Any, as_user: Any) -> None:
    _assert_error_body(client.get("/api/v1/alerts"), 401, "not_authenticated")
    _assert_error_body(client.get("/api/v1/alerts",
                                  headers={"Authorization": "Bearer chg_nonsense"}), 401)
    _assert_error_body(client.get("/api/v1/audit/events", headers=as_user("border.officer")),
                       403, "forbidden")
    _assert_error_body(client.get("/api/v1/alerts/999999", headers=as_user("border.officer")),
                       404, "not_found")
    _assert_error_body(client.delete("/api/v1/alerts", headers=as_user("border.officer")), 405)
    _assert_error_body(client.get("/api/v1/no-such-route"), 404)


def test_pages_are_bounded(client: Any, as_user: Any) -> None:
    headers = as_user("border.analyst")
    page = client.get("/api/v1/alerts?limit=2&offset=1", headers=headers).json()
    assert len(page["items"]) == 2 and page["limit"] == 2 and page["offset"] == 1
    assert page["total"] >= 3
    _assert_error_body(client.get("/api/v1/alerts?limit=201", headers=headers), 422)
    _assert_error_body(client.get("/api/v1/alerts?limit=0", headers=headers), 422)
    _assert_error_body(client.get("/api/v1/alerts?offset=-1", headers=headers), 422)


def test_tokens_are_hashed_scoped_revocable_and_expire(client: Any, demo: Database,
                                                       as_user: Any) -> None:
    headers = as_user("border.analyst")
    made = client.post("/api/v1/tokens", headers=headers,
                       json={"name": "read only", "days": 7, "scopes": ["alert.read"]})
    assert made.status_code == 201
    secret, token_id = made.json()["token"], made.json()["id"]
    narrow = {"Authorization": f"Bearer {secret}"}
    with demo.reader() as session:
        stored = session.get(ApiToken, token_id)
        assert stored is not None and secret not in (stored.token_hash, stored.prefix)
    assert client.get("/api/v1/alerts", headers=narrow).status_code == 200
    refused = _assert_error_body(client.post("/api/v1/alerts", json=GOOD_ALERT, headers=narrow),
                                 403)
    assert "token" in refused["message"]
    wider = client.post("/api/v1/tokens", headers=headers,
                        json={"name": "too wide", "scopes": ["audit.read"]})
    _assert_error_body(wider, 403)
    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test"))
        session.execute(update(ApiToken).where(ApiToken.id == token_id).values(
            expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert "expired" in _assert_error_body(client.get("/api/v1/alerts", headers=narrow),
                                           401)["message"]
    other = client.post("/api/v1/tokens", headers=headers, json={"name": "to revoke"}).json()
    assert client.delete(f"/api/v1/tokens/{other['id']}", headers=headers).status_code == 200
    _assert_error_body(client.get("/api/v1/alerts",
                                  headers={"Authorization": f"Bearer {other['token']}"}), 401)


def test_failed_logins_back_off(client: Any, demo: Database) -> None:
    body = {"username": "border.officer", "password": "wrong-password-1"}
    for _ in range(demo.settings.login_backoff_after):
        _assert_error_body(client.post("/api/v1/auth/token", json=body), 401)
    good = body | {"password": "Chegara-demo-2026"}
    blocked = client.post("/api/v1/auth/token", json=good)
    _assert_error_body(blocked, 429, "login_throttled")
    assert int(blocked.headers["retry-after"]) >= 1
    unknown = {"username": "no.such.user", "password": "whatever-123"}
    for _ in range(demo.settings.login_backoff_after + 1):
        last = client.post("/api/v1/auth/token", json=unknown)
    _assert_error_body(last, 429)


def test_rate_limit_per_token(demo: Database, sign_in: Any) -> None:
    from fastapi.testclient import TestClient

    from chegara.app import create_app

    limited = demo.settings.model_copy(update={"rate_limit_per_minute": 5})
    with TestClient(create_app(limited, demo)) as client:
        headers = sign_in(client, "border.officer")
        statuses = [client.get("/api/v1/me", headers=headers).status_code for _ in range(7)]
        assert statuses[:5] == [200] * 5 and statuses[-1] == 429
        other = sign_in(client, "border.analyst")
        assert client.get("/api/v1/me", headers=other).status_code == 200


def test_four_eyes_through_the_api(client: Any, demo: Database, as_user: Any) -> None:
    created = client.post("/api/v1/alerts", headers=as_user("border.analyst"),
                          json=GOOD_ALERT | {"distribution": "partners"}).json()
    assert created["distribution"] == "national" and created["pending_approval_id"]
    approval_id = created["pending_approval_id"]
    kz = as_user("kz.liaison")
    assert client.get(f"/api/v1/alerts/{created['id']}", headers=kz).status_code == 404
    wrong_agency = client.post(f"/api/v1/approvals/{approval_id}/approve", json={},
                               headers=as_user("customs.supervisor"))
    assert "owning agency" in _assert_error_body(wrong_agency, 403)["message"]
    not_supervisor = client.post(f"/api/v1/approvals/{approval_id}/approve", json={},
                                 headers=as_user("border.officer"))
    _assert_error_body(not_supervisor, 403)
    no_reason = client.post(f"/api/v1/approvals/{approval_id}/reject", json={},
                            headers=as_user("border.supervisor"))
    _assert_error_body(no_reason, 422)
    approved = client.post(f"/api/v1/approvals/{approval_id}/approve",
                           json={"reason": "checked"}, headers=as_user("border.supervisor"))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert client.get(f"/api/v1/alerts/{created['id']}", headers=kz).json()[
        "distribution"] == "partners"
    again = client.post(f"/api/v1/approvals/{approval_id}/approve", json={},
                        headers=as_user("border.supervisor2"))
    assert "already approved" in _assert_error_body(again, 403)["message"]


def test_requester_cannot_approve_own_change(client: Any, as_user: Any) -> None:
    # A supervisor who is also the requester: use the withdraw/approve rules on their own.
    created = client.post("/api/v1/alerts", headers=as_user("kz.liaison"),
                          json=GOOD_ALERT | {"distribution": "agency"}).json()
    request = client.post(f"/api/v1/alerts/{created['id']}/share-with-partners",
                          headers=as_user("border.analyst"))
    assert request.status_code == 404  # not visible to the Border Service at all
    own = client.post("/api/v1/alerts", headers=as_user("border.analyst"),
                      json=GOOD_ALERT | {"distribution": "partners"}).json()
    approval_id = own["pending_approval_id"]
    withdrawn = client.post(f"/api/v1/approvals/{approval_id}/withdraw",
                            headers=as_user("border.analyst"))
    assert withdrawn.json()["status"] == "withdrawn"


def test_out_of_range_numbers_are_bad_input(client: Any, as_user: Any) -> None:
    headers = as_user("border.analyst")
    for path in ("/api/v1/alerts/99999999999999999999999", "/api/v1/users/4294967296000000"):
        response = client.get(path, headers=headers)
        assert response.status_code in (403, 404, 422), (path, response.text)
        assert response.status_code != 500
    huge = client.get("/api/v1/alerts/" + "9" * 30, headers=headers)
    _assert_error_body(huge, 422)


def _admin_state(db: Database, username: str) -> tuple[list[str], bool, bool]:
    with db.reader() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return list(user.roles), user.active, user.agency.active


def test_an_administrator_cannot_lock_their_agency_out(client: Any, demo: Database,
                                                       as_user: Any, sign_in: Any) -> None:
    headers = as_user("border.admin")
    me = client.get("/api/v1/me", headers=headers).json()
    own = f"/api/v1/users/{me['user_id']}"
    before = _counts(demo)
    for change, words in (({"roles": ["analyst"]}, "own administrator role"),
                          ({"roles": ["admin"], "active": False}, "own account")):
        refused = _assert_error_body(client.patch(own, json=change, headers=headers), 409,
                                     "admin_lockout")
        assert words in refused["message"]
    refused = _assert_error_body(client.patch(f"/api/v1/agencies/{me['agency_id']}",
                                              json={"active": False}, headers=headers),
                                 409, "admin_lockout")
    assert "own agency" in refused["message"]
    assert _admin_state(demo, "border.admin") == (["admin"], True, True)
    assert _counts(demo) == before
    # Anything else about oneself may change, and another administrator may take over.
    renamed = client.patch(own, json={"full_name": "Нурлан Абдрахманов-уулу"}, headers=headers)
    assert renamed.status_code == 200, renamed.text
    second = client.post("/api/v1/users", headers=headers, json={
        "username": "border.admin2", "full_name": "Second Administrator", "roles": ["admin"],
        "password": "Second-admin-2026"})
    assert second.status_code == 201, second.text
    colleague = sign_in(client, "border.admin2", "Second-admin-2026")
    stepped_down = client.patch(own, json={"roles": ["analyst"]}, headers=colleague)
    assert stepped_down.status_code == 200 and stepped_down.json()["roles"] == ["analyst"]


def test_two_administrators_demoting_each_other_keep_one(demo: Database) -> None:
    # The second request was authorised while its sender was still an administrator, and is
    # applied after the first one demoted them: the agency must not end up with none.
    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test"))
        admin = security.find_user(session, "border.admin")
        second = security.create_user(session, demo.settings, username="border.admin2",
                                      full_name="Second Administrator", agency_id=admin.agency_id,
                                      roles=["admin"], password="Second-admin-2026")
        security.update_user(session, demo.settings, second, roles=["analyst"],
                             changed_by=admin.id)
        with pytest.raises(AdminLockout, match="last active administrator"):
            security.update_user(session, demo.settings, admin, active=False,
                                 changed_by=second.id)
        assert admin.active and admin.roles == ["admin"]
