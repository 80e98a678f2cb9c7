"""Watchlists, their versions and the screening of travellers with hits to review.

Services take a keyword ``session`` and never commit. Entries are written with bulk SQL and
audited once per version; everything else goes through the ORM and its row-level audit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from chegara import messages
from chegara.db.base import Distribution, Tlp, utcnow
from chegara.errors import BadInput, Conflict, Forbidden, NotFound
from chegara.screening import matcher
from chegara.screening.importers import ListedPerson, read_list, safe_filename
from chegara.screening.lookup import IndexCache as IndexCache  # re-exported for callers
from chegara.screening.lookup import Traveller as Traveller
from chegara.screening.lookup import _active
from chegara.screening.lookup import screen_travellers as screen_travellers
from chegara.screening.models import (
    FalsePositiveMemory,
    ScreeningHit,
    Watchlist,
    WatchlistEntry,
    WatchlistVersion,
)
from chegara.screening.schemas import WatchlistName
from chegara.security import approvals, audit
from chegara.security.models import Approval
from chegara.security.policy import Principal
from chegara.security.scoping import scoped
from chegara.security.service import require
from chegara.text import control_character_problem

LIST_KINDS = ("wanted", "interpol", "sanctions", "other")
HIT_STATUSES = ("NEW", "IN_REVIEW", "CONFIRMED", "FALSE_POSITIVE", "ESCALATED")
HIT_TRANSITIONS = {
    "NEW": {"IN_REVIEW", "CONFIRMED", "FALSE_POSITIVE", "ESCALATED"},
    "IN_REVIEW": {"CONFIRMED", "FALSE_POSITIVE", "ESCALATED"},
    "ESCALATED": {"IN_REVIEW", "CONFIRMED", "FALSE_POSITIVE"},
    "CONFIRMED": set(),
    "FALSE_POSITIVE": set(),
}
NEW_VERSION = "watchlist.version"
CHUNK = 1000


# --- watchlists -------------------------------------------------------------------------------

_WATCHLIST_NAME = TypeAdapter(WatchlistName)


def create_watchlist(
    session: Session, *, owner_agency_id: int, name: str, title: str, kind: str,
    maintained_here: bool, distribution: Distribution = Distribution.NATIONAL,
    tlp: Tlp = Tlp.AMBER, sharing_group_id: int | None = None, threshold: float | None = None,
) -> Watchlist:
    try:
        _WATCHLIST_NAME.validate_python(name)
    except ValidationError:
        # The name is part of the index file's name: no path separators, nothing unprintable.
        raise BadInput("a watchlist name is 2-64 letters, digits, '_', '.' or '-'",
                       details=[{"field": "name", "problem": "2-64 letters, digits, _ . -"}]
                       ) from None
    if not 2 <= len(title.strip()) <= 200:
        raise BadInput("a watchlist title has 2-200 characters",
                       details=[{"field": "title", "problem": "2-200 characters"}])
    title_problem = control_character_problem(title)
    if title_problem:
        raise BadInput(f"the watchlist title {title_problem}",
                       details=[{"field": "title", "problem": title_problem}])
    if kind not in LIST_KINDS:
        raise BadInput(f"list kind must be one of {', '.join(LIST_KINDS)}")
    if threshold is not None and not 0 < threshold < 1:
        raise BadInput("a list threshold lies strictly between 0 and 1")
    if session.scalar(select(Watchlist.id).where(Watchlist.name == name)) is not None:
        raise Conflict(f"a watchlist named {name!r} exists")
    watchlist = Watchlist(name=name, title=title, kind=kind, maintained_here=maintained_here,
                          owner_agency_id=owner_agency_id, distribution=distribution.value,
                          tlp=tlp.value, sharing_group_id=sharing_group_id,
                          threshold=threshold)
    session.add(watchlist)
    session.flush()
    return watchlist


def visible_watchlists(session: Session, principal: Principal | None) -> list[Watchlist]:
    query = select(Watchlist).order_by(Watchlist.name)
    if principal is not None:
        require(principal, "watchlist.read")
        query = scoped(query, Watchlist, principal)
    return list(session.scalars(query))


def get_watchlist(session: Session, principal: Principal | None, name: str) -> Watchlist:
    query = select(Watchlist).where(Watchlist.name == name)
    if principal is not None:
        require(principal, "watchlist.read")
        query = scoped(query, Watchlist, principal)
    found = session.scalar(query)
    if found is None:
        raise NotFound(f"no watchlist named {name!r}")
    return found


# --- versions ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportOutcome:
    watchlist: Watchlist
    version: WatchlistVersion
    approval_id: int | None

    def summary(self) -> str:
        v = self.version
        state = ("waiting for four-eyes approval (request "
                 f"{self.approval_id})" if self.approval_id else "active")
        return (f"{self.watchlist.name} version {v.number}: {v.entry_count} entries, "
                f"+{v.added} added, -{v.removed} removed, ~{v.changed} changed; {state}")


def _active_hashes(session: Session, watchlist: Watchlist) -> dict[str, str]:
    rows = session.execute(select(WatchlistEntry.entry_id, WatchlistEntry.content_hash)
                           .where(*_active(watchlist)))
    return {entry_id: content_hash for entry_id, content_hash in rows}


def import_version(
    session: Session, *, watchlist: Watchlist, people: Sequence[ListedPerson], source_name: str,
    source_format: str, source_sha256: str, requester: Principal | None,
) -> ImportOutcome:
    """Store a new version of a list with its diff against the active one.

    Lists maintained by the owning agency itself need a supervisor's approval before the version
    becomes active; imported external lists (UN, OFAC …) are active at once.
    """
    if requester is not None:
        require(requester, "watchlist.manage", watchlist)
        if requester.agency_id != watchlist.owner_agency_id:
            raise Forbidden("only the agency that owns a watchlist may import into it")
    pending = session.scalar(select(WatchlistVersion.number).where(
        WatchlistVersion.watchlist_id == watchlist.id, WatchlistVersion.status == "pending"))
    if pending is not None:
        raise Conflict(f"version {pending} of {watchlist.name} is still waiting for approval")
    if watchlist.maintained_here and requester is None:
        raise BadInput(f"{watchlist.name} is maintained by its agency: a new version needs "
                       "four-eyes approval, so import it as a user (--as USER)")
    _check_entries(watchlist.name, people, source_name)
    current = _active_hashes(session, watchlist)
    incoming = {p.entry_id: (p, p.content_hash()) for p in people}
    added = [p for eid, (p, _h) in incoming.items() if eid not in current]
    changed = [p for eid, (p, h) in incoming.items() if eid in current and current[eid] != h]
    removed = sorted(set(current) - set(incoming))
    number = (session.scalar(select(func.max(WatchlistVersion.number)).where(
        WatchlistVersion.watchlist_id == watchlist.id)) or 0) + 1
    version = WatchlistVersion(
        watchlist_id=watchlist.id, number=number, status="pending", source_name=source_name,
        source_format=source_format, source_sha256=source_sha256, entry_count=len(incoming),
        added=len(added), removed=len(removed), changed=len(changed), removed_ids=removed,
        created_by=requester.username if requester else audit.current_actor(session).username)
    session.add(version)
    session.flush()
    _insert_entries(session, watchlist.id, number,
                    ((p, incoming[p.entry_id][1]) for p in [*added, *changed]))
    audit.append(session, action="watchlist_version.import", resource_type="watchlist",
                 resource_id=watchlist.id, fields=["entries"],
                 change={"sha256": source_sha256, "added": [p.entry_id for p in added],
                         "changed": [p.entry_id for p in changed], "removed": removed},
                 note=f"{source_name}: +{len(added)} -{len(removed)} ~{len(changed)}")
    approval_id = None
    if watchlist.maintained_here:
        assert requester is not None
        approval = approvals.request_change(
            session, requester, kind=NEW_VERSION, agency_id=watchlist.owner_agency_id,
            resource_type="watchlist_version", resource_id=version.id,
            summary=messages.WATCHLIST_VERSION_SUMMARY.format(
                number=number, title=watchlist.title, added=len(added), removed=len(removed),
                changed=len(changed)))
        approval_id = approval.id
    else:
        activate_version(session, version)
    return ImportOutcome(watchlist, version, approval_id)


@dataclass(frozen=True)
class UploadedList:
    source_name: str
    source_format: str
    source_sha256: str
    people: list[ListedPerson]


def read_upload(filename: str | None, data: bytes, fmt: str = "auto") -> UploadedList:
    """Read a list file uploaded through the API or the web page (before any transaction:
    a large list should not hold the write lock while it is parsed)."""
    source_name = safe_filename(filename, "upload.csv")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / source_name
        path.write_bytes(data)
        people = read_list(path, fmt)
    return UploadedList(source_name, fmt, hashlib.sha256(data).hexdigest(), people)


def import_upload(session: Session, principal: Principal, name: str, upload: UploadedList
                  ) -> ImportOutcome:
    return import_version(session, watchlist=get_watchlist(session, principal, name),
                          people=upload.people, source_name=upload.source_name,
                          source_format=upload.source_format,
                          source_sha256=upload.source_sha256, requester=principal)


def _check_entries(list_name: str, people: Sequence[ListedPerson], source_name: str) -> None:
    """Every entry must be readable by the matcher (which reads attributes only at a hit)."""
    problems = []
    for person in people:
        try:
            matcher.check_entry(matcher.WatchlistEntry(
                list_name, person.entry_id, person.name, person.aliases, person.birth_dates,
                person.nationalities, person.gender, person.document_numbers))
        except (matcher.ScreeningInputError, ValueError) as exc:
            problems.append(f"entry {person.entry_id}: {exc}")
    if problems:
        shown = "; ".join(problems[:20])
        raise BadInput(f"{source_name} rejected, nothing imported: {shown}"
                       + (f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""))


def _insert_entries(session: Session, watchlist_id: int, number: int,
                    people: Iterable[tuple[ListedPerson, str]]) -> None:
    batch: list[dict[str, Any]] = []
    conn = session.connection()
    for person, content_hash in people:
        batch.append({
            "watchlist_id": watchlist_id, "entry_id": person.entry_id, "valid_from": number,
            "valid_to": None, "content_hash": content_hash, "name": person.name[:500],
            "data": {"aliases": list(person.aliases), "birth_dates": list(person.birth_dates),
                     "nationalities": list(person.nationalities), "gender": person.gender,
                     "document_numbers": list(person.document_numbers),
                     "programme": person.programme, "remarks": person.remarks}})
        if len(batch) >= CHUNK:
            conn.execute(insert(WatchlistEntry), batch)
            batch = []
    if batch:
        conn.execute(insert(WatchlistEntry), batch)


def activate_version(session: Session, version: WatchlistVersion) -> None:
    watchlist = session.get(Watchlist, version.watchlist_id)
    assert watchlist is not None
    replaced = list(session.scalars(select(WatchlistEntry.entry_id).where(
        WatchlistEntry.watchlist_id == watchlist.id,
        WatchlistEntry.valid_from == version.number)))
    closing = sorted(set(replaced) | set(version.removed_ids))
    conn = session.connection()
    for start in range(0, len(closing), CHUNK):
        conn.execute(update(WatchlistEntry).where(
            WatchlistEntry.watchlist_id == watchlist.id, WatchlistEntry.valid_to.is_(None),
            WatchlistEntry.valid_from < version.number,
            WatchlistEntry.entry_id.in_(closing[start:start + CHUNK])
        ).values(valid_to=version.number))
    session.execute(update(WatchlistVersion).where(
        WatchlistVersion.watchlist_id == watchlist.id, WatchlistVersion.status == "active"
    ).values(status="superseded"))
    version.status = "active"
    version.activated_at = utcnow()
    watchlist.active_version = version.number
    session.flush()


def _approve_version(session: Session, approval: Approval) -> None:
    version = session.get(WatchlistVersion, int(approval.resource_id))
    if version is None or version.status != "pending":
        raise Conflict("that watchlist version is no longer pending")
    activate_version(session, version)


def _reject_version(session: Session, approval: Approval) -> None:
    version = session.get(WatchlistVersion, int(approval.resource_id))
    if version is None or version.status != "pending":
        return
    version.status = "rejected"
    session.connection().execute(delete(WatchlistEntry).where(
        WatchlistEntry.watchlist_id == version.watchlist_id,
        WatchlistEntry.valid_from == version.number))
    session.flush()


approvals.register_kind(approvals.ApprovalKind(
    name=NEW_VERSION, title="Activate a new watchlist version", apply=_approve_version,
    on_reject=_reject_version))


def versions(session: Session, watchlist: Watchlist) -> list[WatchlistVersion]:
    return list(session.scalars(select(WatchlistVersion).where(
        WatchlistVersion.watchlist_id == watchlist.id).order_by(WatchlistVersion.number.desc())))


@dataclass
class VersionDiff:
    number: int
    added: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


def version_diff(session: Session, watchlist: Watchlist, number: int) -> VersionDiff:
    version = session.scalar(select(WatchlistVersion).where(
        WatchlistVersion.watchlist_id == watchlist.id, WatchlistVersion.number == number))
    if version is None:
        raise NotFound(f"{watchlist.name} has no version {number}")
    new_rows = {e: n for e, n in session.execute(
        select(WatchlistEntry.entry_id, WatchlistEntry.name).where(
            WatchlistEntry.watchlist_id == watchlist.id, WatchlistEntry.valid_from == number))}
    before = {e: n for e, n in session.execute(
        select(WatchlistEntry.entry_id, WatchlistEntry.name).where(
            WatchlistEntry.watchlist_id == watchlist.id, WatchlistEntry.valid_from < number,
            WatchlistEntry.entry_id.in_(list(new_rows) + list(version.removed_ids)),
            or_(WatchlistEntry.valid_to.is_(None), WatchlistEntry.valid_to >= number)))}
    diff = VersionDiff(number)
    for entry_id, name in sorted(new_rows.items()):
        (diff.changed if entry_id in before else diff.added).append((entry_id, name))
    diff.removed = [(e, before.get(e, "")) for e in version.removed_ids]
    return diff


def get_entry(session: Session, watchlist: Watchlist, entry_id: str) -> WatchlistEntry:
    entry = session.scalar(select(WatchlistEntry).where(
        *_active(watchlist), WatchlistEntry.entry_id == entry_id))
    if entry is None:
        raise NotFound(f"{watchlist.name} has no active entry {entry_id!r}")
    return entry


def entry_history(session: Session, watchlist: Watchlist, entry_id: str
                  ) -> list[WatchlistEntry]:
    return list(session.scalars(select(WatchlistEntry).where(
        WatchlistEntry.watchlist_id == watchlist.id, WatchlistEntry.entry_id == entry_id)
        .order_by(WatchlistEntry.valid_from)))


# --- screening --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListHit:
    watchlist: Watchlist
    hit: matcher.Hit
    entry_content_hash: str
    suppressed_by: int | None = None  # the hit that cleared this pair before


@dataclass
class ScreeningResult:
    traveller: Traveller
    hits: list[ListHit]
    suppressed: list[ListHit]
    recorded: list[ScreeningHit] = field(default_factory=list)


def screen_and_record(
    session: Session, cache: IndexCache, principal: Principal, traveller: Traveller, *,
    list_names: Sequence[str] | None = None, threshold: float | None = None, source: str = "api",
) -> ScreeningResult:
    """Screen one traveller for a user; new hits go to the review queue of their agency."""
    require(principal, "screening.run")
    lists = _lists_for(session, principal, list_names)
    ((_t, found),) = list(screen_travellers(session, cache, [traveller], watchlists=lists,
                                            threshold=threshold))
    key = traveller.key()
    result = ScreeningResult(traveller, [], [])
    for watchlist, hit in found:
        content_hash = session.scalar(select(WatchlistEntry.content_hash).where(
            *_active(watchlist), WatchlistEntry.entry_id == hit.entry_id)) or ""
        remembered = session.scalar(select(FalsePositiveMemory.hit_id).where(
            FalsePositiveMemory.traveller_key == key,
            FalsePositiveMemory.watchlist_id == watchlist.id,
            FalsePositiveMemory.entry_id == hit.entry_id,
            FalsePositiveMemory.entry_content_hash == content_hash,
            FalsePositiveMemory.owner_agency_id == principal.agency_id))
        list_hit = ListHit(watchlist, hit, content_hash, remembered)
        (result.suppressed if remembered else result.hits).append(list_hit)
    for list_hit in result.hits:
        record = ScreeningHit(
            traveller_key=key, traveller=traveller.as_dict(), source=source[:64],
            watchlist_id=list_hit.watchlist.id, entry_id=list_hit.hit.entry_id,
            entry_content_hash=list_hit.entry_content_hash, score=list_hit.hit.score,
            matched_name=list_hit.hit.matched_name[:500],
            explanation=list_hit.hit.explanation.to_dict(), owner_agency_id=principal.agency_id,
            distribution=Distribution.AGENCY.value, tlp=Tlp.AMBER.value,
            created_by_id=principal.user_id)
        session.add(record)
        result.recorded.append(record)
    session.flush()
    return result


def _lists_for(session: Session, principal: Principal, names: Sequence[str] | None
               ) -> list[Watchlist]:
    visible = {w.name: w for w in visible_watchlists(session, principal)}
    if names:
        unknown = [n for n in names if n not in visible]
        if unknown:
            raise BadInput(messages.UNKNOWN_WATCHLISTS.format(names=", ".join(unknown)))
        chosen = [visible[n] for n in names]
    else:
        chosen = list(visible.values())
    return [w for w in chosen if w.active_version > 0]


# --- hit review -------------------------------------------------------------------------------

def hit_queue(session: Session, principal: Principal, *, status: str | None, mine: bool,
              offset: int, limit: int) -> tuple[list[ScreeningHit], int]:
    require(principal, "hit.read")
    query = scoped(select(ScreeningHit), ScreeningHit, principal)
    if status:
        if status not in HIT_STATUSES:
            raise BadInput(f"status must be one of {', '.join(HIT_STATUSES)}")
        query = query.where(ScreeningHit.status == status)
    if mine:
        query = query.where(ScreeningHit.assigned_to_id == principal.user_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(ScreeningHit.created_at.desc(),
                                          ScreeningHit.score.desc()).offset(offset).limit(limit))
    return list(rows), total


def get_hit(session: Session, principal: Principal, hit_id: int, *, audit_read: bool = True
            ) -> ScreeningHit:
    require(principal, "hit.read")
    hit = session.scalar(scoped(select(ScreeningHit).where(ScreeningHit.id == hit_id),
                                ScreeningHit, principal))
    if hit is None:
        raise NotFound(f"hit {hit_id} does not exist")
    if audit_read:
        audit.record_read(session, resource_type="screening_hit", resource_id=hit_id,
                          purpose="hit opened for review")
    return hit


def assign_hit(session: Session, principal: Principal, hit_id: int, user_id: int
               ) -> ScreeningHit:
    require(principal, "hit.assign")
    hit = get_hit(session, principal, hit_id, audit_read=False)
    from chegara.security.service import get_user

    assignee = get_user(session, user_id)
    if assignee.agency_id != hit.owner_agency_id or not assignee.active:
        raise BadInput("hits are assigned to active officers of the agency that owns them")
    hit.assigned_to_id = assignee.id
    if hit.status == "NEW":
        hit.status = "IN_REVIEW"
    session.flush()
    return hit


def decide_hit(session: Session, principal: Principal, hit_id: int, *, status: str,
               reason: str) -> ScreeningHit:
    require(principal, "hit.review")
    hit = get_hit(session, principal, hit_id, audit_read=False)
    if hit.owner_agency_id != principal.agency_id:
        raise Forbidden("only the agency that owns a hit reviews it")
    if status not in HIT_TRANSITIONS.get(hit.status, set()):
        raise BadInput(f"a {hit.status} hit cannot become {status}")
    if status in ("FALSE_POSITIVE", "ESCALATED") and not reason.strip():
        raise BadInput(f"{status} needs a reason", details=[{"field": "reason"}])
    hit.status = status
    hit.decision_reason = reason.strip()
    if hit.assigned_to_id is None:
        hit.assigned_to_id = principal.user_id
    if status == "FALSE_POSITIVE":
        exists = session.scalar(select(FalsePositiveMemory.id).where(
            FalsePositiveMemory.traveller_key == hit.traveller_key,
            FalsePositiveMemory.watchlist_id == hit.watchlist_id,
            FalsePositiveMemory.entry_id == hit.entry_id,
            FalsePositiveMemory.entry_content_hash == hit.entry_content_hash))
        if exists is None:
            session.add(FalsePositiveMemory(
                traveller_key=hit.traveller_key, watchlist_id=hit.watchlist_id,
                entry_id=hit.entry_id, entry_content_hash=hit.entry_content_hash,
                owner_agency_id=hit.owner_agency_id, hit_id=hit.id,
                decided_by_id=principal.user_id))
    session.flush()
    return hit


def purge_expired_hits(session: Session, *, older_than: dt.timedelta) -> int:
    """Retention: delete closed hits (and their remembered decisions) past the retention."""
    cutoff = utcnow() - older_than
    stale = list(session.scalars(select(ScreeningHit).where(
        ScreeningHit.created_at < cutoff,
        ScreeningHit.status.in_(("CONFIRMED", "FALSE_POSITIVE")))))
    for hit in stale:
        for memory in session.scalars(select(FalsePositiveMemory).where(
                FalsePositiveMemory.hit_id == hit.id)):
            session.delete(memory)
        session.delete(hit)
    session.flush()
    return len(stale)
