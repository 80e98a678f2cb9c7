"""Authorisation matrix: role x agency x distribution level, on list and detail routes.

The expected visibility is written out here independently of the code under test, so a wrong
rule in either the SQL filter or the policy fails the test.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select

from chegara.db.base import Distribution, Tlp
from chegara.exchange.models import RiskAlert
from chegara.security import audit
from chegara.security.models import Agency, SharingGroup, User
from chegara.security.policy import Principal, RecordMarking, Role, can, can_see
from chegara.security.scoping import visible_to

# Alerts owned by the Border Service, one per sharing situation.
MARKINGS = {
    "agency-amber": (Distribution.AGENCY, Tlp.AMBER),
    "group-amber": (Distribution.SHARING_GROUP, Tlp.AMBER),
    "group-red": (Distribution.SHARING_GROUP, Tlp.RED),
    "national-green": (Distribution.NATIONAL, Tlp.GREEN),
    "national-red": (Distribution.NATIONAL, Tlp.RED),
    "partners-clear": (Distribution.PARTNERS, Tlp.CLEAR),
}
# Which of those each agency may see. The demo sharing group "Southern border task force" has
# Customs (its owner), the Border Service and the Ministry of Internal Affairs.
ALL = set(MARKINGS)
SEES = {
    "KG-BS": ALL,
    "KG-CUSTOMS": {"group-amber", "group-red", "national-green", "partners-clear"},
    "KG-MVD": {"group-amber", "group-red", "national-green", "partners-clear"},
    "KG-MIGRATION": {"national-green", "partners-clear"},
    "KG-VPSI": {"national-green", "partners-clear"},
    "KG-NCC": {"national-green", "partners-clear"},
    "KZ-BS": {"partners-clear"},
}
READERS = {"officer", "analyst", "supervisor"}


@pytest.fixture
def marked_alerts(demo: Any) -> dict[str, int]:
    ids: dict[str, int] = {}
    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test"))
        bs = session.scalar(select(Agency).where(Agency.code == "KG-BS"))
        author = session.scalar(select(User).where(User.username == "border.analyst"))
        group = session.scalar(select(SharingGroup))
        assert bs and author and group
        for label, (level, tlp) in MARKINGS.items():
            alert = RiskAlert(title=f"matrix {label}", category="other", source_reliability="B",
                              information_credibility="2", distribution=level.value,
                              tlp=tlp.value, owner_agency_id=bs.id, created_by_id=author.id,
                              sharing_group_id=group.id if level == Distribution.SHARING_GROUP
                              else None)
            session.add(alert)
            session.flush()
            ids[label] = alert.id
    return ids


def _demo_users(demo: Any) -> list[tuple[str, str, list[str]]]:
    with demo.reader() as session:
        rows = session.execute(select(User.username, Agency.code, User.roles)
                               .join(Agency, Agency.id == User.agency_id))
        return [(u, a, list(r)) for u, a, r in rows]


def test_alert_visibility_matrix(client: Any, demo: Any, marked_alerts: dict[str, int],
                                 as_user: Any) -> None:
    checked = 0
    for username, agency_code, roles in _demo_users(demo):
        headers = as_user(username)
        can_read = bool(READERS & set(roles))
        listing = client.get("/api/v1/alerts?limit=200", headers=headers)
        if not can_read:
            assert listing.status_code == 403, (username, listing.text)
            assert listing.json()["error"]["code"] == "forbidden"
        else:
            assert listing.status_code == 200, (username, listing.text)
            titles = {a["title"] for a in listing.json()["items"]}
            seen = {label for label in MARKINGS if f"matrix {label}" in titles}
            assert seen == SEES[agency_code], (username, agency_code)
        for label, alert_id in marked_alerts.items():
            detail = client.get(f"/api/v1/alerts/{alert_id}", headers=headers)
            if not can_read:
                expected = 403
            else:
                expected = 200 if label in SEES[agency_code] else 404
            assert detail.status_code == expected, (username, label, detail.text)
            checked += 1
    assert checked >= 6 * 20


def test_only_the_owner_agency_may_ask_to_widen_sharing(client: Any, marked_alerts: Any,
                                                        as_user: Any) -> None:
    alert_id = marked_alerts["national-green"]
    foreign = client.post(f"/api/v1/alerts/{alert_id}/share-with-partners",
                          headers=as_user("customs.analyst"))
    assert foreign.status_code == 403
    assert "owning agency" in foreign.json()["error"]["message"]
    own = client.post(f"/api/v1/alerts/{alert_id}/share-with-partners",
                      headers=as_user("border.analyst"))
    assert own.status_code == 202, own.text


principals = st.builds(
    Principal, user_id=st.integers(1, 5), username=st.just("u"), agency_id=st.integers(1, 4),
    agency_is_partner=st.booleans(), roles=st.just(frozenset({Role.ANALYST})),
    group_ids=st.frozensets(st.integers(1, 3), max_size=3))
markings = st.builds(
    RecordMarking, owner_agency_id=st.integers(1, 4),
    distribution=st.sampled_from([d.value for d in Distribution]),
    sharing_group_id=st.one_of(st.none(), st.integers(1, 3)),
    tlp=st.sampled_from([t.value for t in Tlp]))


RECORDS = Table("record", MetaData(), Column("owner_agency_id", Integer),
                Column("distribution", String), Column("sharing_group_id", Integer),
                Column("tlp", String))


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(principal=principals, marking=markings)
def test_sql_filter_and_policy_agree(principal: Principal, marking: RecordMarking) -> None:
    """The SQL scoping filter and the Python policy express the same rule."""
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        RECORDS.create(conn)
        conn.execute(RECORDS.insert(), [{
            "owner_agency_id": marking.owner_agency_id, "distribution": marking.distribution,
            "sharing_group_id": marking.sharing_group_id, "tlp": marking.tlp}])
        visible = conn.execute(select(RECORDS).where(visible_to(RECORDS.c, principal))).first()
    assert (visible is not None) == can_see(principal, marking).allowed


def test_denials_carry_a_reason() -> None:
    officer = Principal(1, "o", 1, False, frozenset({Role.OFFICER}))
    decision = can(officer, "audit.read")
    assert not decision and "none of your roles" in decision.reason
    scoped = Principal(1, "o", 1, False, frozenset({Role.ANALYST}),
                       token_scopes=frozenset({"alert.read"}))
    assert can(scoped, "alert.read")
    narrowed = can(scoped, "alert.create")
    assert not narrowed and "token" in narrowed.reason
    assert not can(officer, "no.such.action")
