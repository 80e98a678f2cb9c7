"""Watchlist versions, diffs, four-eyes activation, the hit queue and remembered decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from chegara.db.session import Database
from chegara.errors import BadInput, Conflict
from chegara.screening import service
from chegara.screening.importers import read_list
from chegara.screening.models import WatchlistVersion
from chegara.security import approvals, audit
from chegara.security import service as security
from chegara.security.models import AuditEvent, User

HEADER = "id,name,aliases,birth_date,nationality,gender,document_number\n"
V1 = HEADER + (
    "w1,Юсупов Рустам Алишерович,,1980-05-12,UZ,M,\n"
    "w2,Асанова Айгерим Серікқызы,,1991,KZ,F,N1234567\n"
    "w3,Petrov Ivan Sergeevich,,1975-01-02,RU,M,\n")
V2 = HEADER + (
    "w1,Юсупов Рустам Алишерович,Yusupov Rustam,1980-05-12,UZ,M,\n"  # changed: an alias
    "w2,Асанова Айгерим Серікқызы,,1991,KZ,F,N1234567\n"  # unchanged
    "w4,Токтогулов Бакыт Асанович,,1969-11-30,KG,M,\n")  # added; w3 removed


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _import(db: Database, path: Path, *, list_name: str = "wanted",
            requester: str | None = None, maintained_here: bool = False) -> Any:
    with db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test"))
        principal = None
        if requester:
            principal = security.principal_for(session, security.find_user(session, requester))
            audit.set_actor(session, security.actor_of(principal))
        try:
            watchlist = service.get_watchlist(session, None, list_name)
        except Exception:
            owner = principal.agency_id if principal else security.resolve_owner_agency(
                session, "KG-MVD")
            watchlist = service.create_watchlist(
                session, owner_agency_id=owner, name=list_name, title="National wanted list",
                kind="wanted", maintained_here=maintained_here)
        return service.import_version(session, watchlist=watchlist,
                                      people=read_list(path, "csv"), source_name=path.name,
                                      source_format="csv", source_sha256="x",
                                      requester=principal)


def _screen(db: Database, cache: service.IndexCache, name: str, list_name: str = "wanted"
            ) -> list[str]:
    with db.reader() as session:
        watchlist = service.get_watchlist(session, None, list_name)
        ((_t, hits),) = list(service.screen_travellers(
            session, cache, [service.Traveller(name)], watchlists=[watchlist]))
    return [h.entry_id for _w, h in hits]


def test_versions_diff_and_index_kept_in_step(demo: Database, tmp_path: Path) -> None:
    cache = service.IndexCache(tmp_path / "index")
    first = _import(demo, _write(tmp_path, "v1.csv", V1))
    assert (first.version.number, first.version.added, first.version.status) == (1, 3, "active")
    assert _screen(demo, cache, "Petrov Ivan") == ["w3"]
    assert _screen(demo, cache, "Toktogulov Bakyt") == []
    second = _import(demo, _write(tmp_path, "v2.csv", V2))
    v = second.version
    assert (v.number, v.added, v.removed, v.changed, v.entry_count) == (2, 1, 1, 1, 3)
    with demo.reader() as session:
        watchlist = service.get_watchlist(session, None, "wanted")
        diff = service.version_diff(session, watchlist, 2)
        history = service.entry_history(session, watchlist, "w1")
    assert [e for e, _n in diff.added] == ["w4"]
    assert [e for e, _n in diff.changed] == ["w1"]
    assert [e for e, _n in diff.removed] == ["w3"]
    assert [(h.valid_from, h.valid_to) for h in history] == [(1, 2), (2, None)]
    # The same cache object steps from version 1 to 2 by the diff alone.
    assert _screen(demo, cache, "Toktogulov Bakyt Asanovich") == ["w4"]
    assert _screen(demo, cache, "Petrov Ivan") == []
    fresh = service.IndexCache(tmp_path / "index")  # a new process reads the saved file
    assert _screen(demo, fresh, "Yusupov Rustam") == ["w1"]


def test_a_malformed_file_changes_nothing(demo: Database, tmp_path: Path) -> None:
    _import(demo, _write(tmp_path, "v1.csv", V1))
    broken = _write(tmp_path, "broken.csv", V2 + "w9,,,,,,\nw10,Name,,31.02.1990,,,\n")
    with pytest.raises(BadInput) as error:
        _import(demo, broken)
    assert "line 5" in error.value.message and "line 6" in error.value.message
    assert "nothing imported" in error.value.message
    with demo.reader() as session:
        watchlist = service.get_watchlist(session, None, "wanted")
        assert watchlist.active_version == 1
        assert session.scalar(select(func.count()).select_from(WatchlistVersion)) == 1


def test_own_lists_wait_for_four_eyes(demo: Database, tmp_path: Path) -> None:
    cache = service.IndexCache(None)
    _import(demo, _write(tmp_path, "v1.csv", V1), requester="mvd.analyst", maintained_here=True)
    with demo.reader() as session:
        assert service.get_watchlist(session, None, "wanted").active_version == 0
    with demo.unit_of_work() as session:
        supervisor = security.principal_for(session, security.find_user(session,
                                                                        "mvd.supervisor"))
        audit.set_actor(session, security.actor_of(supervisor))
        pending, _ = approvals.list_for_agency(session, supervisor.agency_id)
        approvals.decide(session, supervisor, pending[0].id, approve=True, reason="")
    assert _screen(demo, cache, "Petrov Ivan") == ["w3"]
    outcome = _import(demo, _write(tmp_path, "v2.csv", V2), requester="mvd.analyst")
    with pytest.raises(Conflict):
        _import(demo, _write(tmp_path, "v2b.csv", V2), requester="mvd.analyst")
    assert _screen(demo, cache, "Petrov Ivan") == ["w3"]  # v2 is not active yet
    with demo.unit_of_work() as session:
        supervisor = security.principal_for(session, security.find_user(session,
                                                                        "mvd.supervisor"))
        audit.set_actor(session, security.actor_of(supervisor))
        approvals.decide(session, supervisor, outcome.approval_id, approve=False,
                         reason="wrong file")
    with demo.reader() as session:
        version = session.get(WatchlistVersion, outcome.version.id)
        assert version is not None and version.status == "rejected"
        watchlist = service.get_watchlist(session, None, "wanted")
        assert watchlist.active_version == 1
        assert service.version_diff(session, watchlist, 2).added == []


def test_cyrillic_national_list_from_a_russian_spreadsheet(tmp_path: Path) -> None:
    text = ("№;ФИО;Дата рождения;Гражданство;Пол;Паспорт\n"
            "17;ЖУМАБЕКОВ Алихан Серикович;12.03.1985;KAZ;М;N0123456\n"
            "18;Садыров Өмүрзак;1950;KG;;\n")
    people = read_list(_write(tmp_path, "розыск.csv", text, "cp1251"
                              if "Ө" not in text else "utf-8"), "csv")
    assert [p.entry_id for p in people] == ["17", "18"]
    assert people[0].birth_dates == ("1985-03-12",)
    assert people[0].document_numbers == ("N0123456",)
    cp1251 = ("№;ФИО;Дата рождения\n" "5;Иванов Иван;01.02.1970\n")
    assert read_list(_write(tmp_path, "list.csv", cp1251, "cp1251"), "csv")[0].name == (
        "Иванов Иван")


def test_hit_review_and_remembered_false_positives(demo: Database, tmp_path: Path) -> None:
    _import(demo, _write(tmp_path, "v1.csv", V1))
    cache = service.IndexCache(None)
    traveller = service.Traveller("IUSUPOV RUSTAM", "1980-05-12", "UZB", "M", "FA1234567")

    def screen_as(username: str) -> service.ScreeningResult:
        with demo.unit_of_work() as session:
            principal = security.principal_for(session, security.find_user(session, username))
            audit.set_actor(session, security.actor_of(principal))
            return service.screen_and_record(session, cache, principal, traveller)

    first = screen_as("border.officer")
    assert [h.hit.entry_id for h in first.hits] == ["w1"] and first.recorded
    hit_id = first.recorded[0].id
    with demo.unit_of_work() as session:
        analyst = security.principal_for(session, security.find_user(session,
                                                                     "border.analyst"))
        audit.set_actor(session, security.actor_of(analyst))
        with pytest.raises(BadInput, match="reason"):
            service.decide_hit(session, analyst, hit_id, status="FALSE_POSITIVE", reason=" ")
    with demo.unit_of_work() as session:
        analyst = security.principal_for(session, security.find_user(session,
                                                                     "border.analyst"))
        audit.set_actor(session, security.actor_of(analyst))
        officer = session.scalar(select(User.id).where(User.username == "border.officer"))
        assert service.assign_hit(session, analyst, hit_id, officer).status == "IN_REVIEW"
        service.decide_hit(session, analyst, hit_id, status="FALSE_POSITIVE",
                           reason="different person: other father's name, photo")
    again = screen_as("border.officer")
    assert again.hits == [] and again.suppressed[0].suppressed_by == hit_id
    other_agency = screen_as("customs.officer")  # decisions are remembered per agency
    assert [h.hit.entry_id for h in other_agency.hits] == ["w1"]
    _import(demo, _write(tmp_path, "v2.csv", V2))  # the entry w1 changes: alert again
    after_change = screen_as("border.officer")
    assert [h.hit.entry_id for h in after_change.hits] == ["w1"]
    with demo.reader() as session:
        actions = set(session.scalars(select(AuditEvent.action).where(
            AuditEvent.resource_type == "screening_hit")))
    assert {"screening_hit.insert", "screening_hit.update"} <= actions


def test_retention_purges_only_closed_old_hits(demo: Database, tmp_path: Path) -> None:
    import datetime as dt

    from sqlalchemy import update

    from chegara.screening.models import ScreeningHit

    _import(demo, _write(tmp_path, "v1.csv", V1))
    cache = service.IndexCache(None)
    with demo.unit_of_work() as session:
        officer = security.principal_for(session, security.find_user(session,
                                                                     "border.officer"))
        audit.set_actor(session, security.actor_of(officer))
        for name in ("Yusupov Rustam", "Petrov Ivan"):
            service.screen_and_record(session, cache, officer, service.Traveller(name))
        analyst = security.principal_for(session, security.find_user(session,
                                                                     "border.analyst"))
        audit.set_actor(session, security.actor_of(analyst))
        first = session.scalar(select(ScreeningHit.id).order_by(ScreeningHit.id))
        service.decide_hit(session, analyst, first, status="FALSE_POSITIVE", reason="other")
        session.execute(update(ScreeningHit).values(
            created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=400)))
    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test"))
        assert service.purge_expired_hits(session, older_than=dt.timedelta(days=365)) == 1
    with demo.reader() as session:
        assert [h.status for h in session.scalars(select(ScreeningHit))] == ["NEW"]
        assert audit.verify_chain(session).ok


@pytest.mark.parametrize("name", ["../../escape", "a\x07b", "x", "n" * 65, "with space"])
def test_a_watchlist_name_cannot_leave_the_index_folder(db: Database, name: str) -> None:
    with pytest.raises(BadInput, match="watchlist name"), db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test"))
        service.create_watchlist(session, owner_agency_id=security.resolve_owner_agency(
            session, None), name=name, title="A list", kind="other", maintained_here=False)
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
