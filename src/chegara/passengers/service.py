"""Stored voyages and their pre-arrival screening; traveller risk rules and their approval.

Loading a manifest stores the voyage and sends every traveller through four checks: watchlist
screening (hits go to the agency's review queue like any other), the document registry, the
document checks that need no MRZ (expiry against the arrival date, known state codes), and the
active traveller risk rules. The outcome is the voyage's pre-arrival list, worst hits first,
timed against the arrival. A manifest that cannot be read is refused whole: nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chegara import messages
from chegara.db.base import Distribution, Tlp, utcnow
from chegara.documents.codes import lookup_state
from chegara.documents.models import RegistryDocument
from chegara.documents.service import normalise_number
from chegara.errors import BadInput, Conflict, Forbidden, NotFound
from chegara.files import utf8_or_cp1251
from chegara.passengers import rules as rule_engine
from chegara.passengers.edifact import EdifactError
from chegara.passengers.manifest import Booking, Leg, Manifest, TravelDocument, Traveller
from chegara.passengers.manifest_csv import CsvManifestError, parse_csv_manifest
from chegara.passengers.models import TravellerHit, TravellerRule, Voyage, VoyageTraveller
from chegara.passengers.reader import looks_like_edifact, parse_message
from chegara.screening import service as screening
from chegara.screening.models import Watchlist
from chegara.security import approvals, audit
from chegara.security.models import Approval
from chegara.security.policy import Principal
from chegara.security.scoping import scoped
from chegara.security.service import require

HIGH, MEDIUM, LOW = 3, 2, 1
SEVERITY_WORDS = {HIGH: "high", MEDIUM: "medium", LOW: "low"}
REGISTRY_SEVERITY = {"stolen": HIGH, "lost": HIGH, "revoked": MEDIUM, "invalidated": MEDIUM}
URGENT_MINUTES = 60
ACTIVATE_RULE = "traveller_rule.activate"
CHUNK = 500


# --- reading the upload -----------------------------------------------------------------------

def _decode_csv(data: bytes) -> str:
    try:
        return utf8_or_cp1251(data)
    except UnicodeDecodeError:
        raise BadInput("manifest rejected, nothing stored: the file is neither UTF-8 nor "
                       "Windows-1251 text") from None


def read_manifest(data: bytes, today: dt.date | None = None) -> Manifest:
    """PAXLST or PNRGOV by content, else a bus or train CSV; a broken file is a 422 naming the
    segment (EDIFACT) or the row and column (CSV)."""
    if not data.strip():
        raise BadInput("the manifest file is empty")
    try:
        if looks_like_edifact(data[:64].decode("latin-1")):
            manifest = parse_message(data, today=today)
        else:
            manifest = parse_csv_manifest(_decode_csv(data))
    except (EdifactError, CsvManifestError) as exc:
        raise BadInput(f"manifest rejected, nothing stored: {exc}") from exc
    if not manifest.travellers:
        raise BadInput("manifest rejected, nothing stored: it lists no travellers")
    return manifest


# --- what rules read --------------------------------------------------------------------------

def _booking_of(manifest: Manifest, traveller: Traveller) -> Booking | None:
    for booking in manifest.bookings:
        if any(t is traveller for t in booking.travellers):
            return booking
    if traveller.booking_reference:
        for booking in manifest.bookings:
            if booking.record_locator == traveller.booking_reference:
                return booking
    return None


def _age(birth: dt.date | None, on: dt.date) -> float | None:
    if birth is None:
        return None
    return float(on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day)))


def _main_document(traveller: Traveller) -> TravelDocument | None:
    main = [d for d in traveller.documents if d.document_type.upper() not in ("V", "VISA")]
    chosen = main or traveller.documents
    return chosen[0] if chosen else None


def traveller_attributes(manifest: Manifest, traveller: Traveller, today: dt.date
                         ) -> dict[str, rule_engine.Value]:
    """The attributes traveller risk rules read (``rules.ATTRIBUTES``); unknown ones are None."""
    leg = manifest.voyage or (manifest.legs[0] if manifest.legs else None)
    origin = leg.origin if leg else None
    destination = leg.destination if leg else None
    departure = leg.departure if leg else None
    document = _main_document(traveller)
    booking = _booking_of(manifest, traveller)
    attributes: dict[str, rule_engine.Value] = {
        "origin": origin, "destination": destination,
        "route": f"{origin}-{destination}" if origin and destination else None,
        "transport_mode": manifest.transport_mode, "carrier": leg.carrier if leg else None,
        "voyage": manifest.flight, "embarkation": traveller.embarkation,
        "debarkation": traveller.debarkation, "role": traveller.role,
        "nationality": traveller.nationality, "sex": traveller.sex,
        "age": _age(traveller.birth_date, departure.date() if departure else today),
        "document_type": document.document_type if document else None,
        "document_issuing_state": document.issuing_state if document else None,
        "has_booking": booking is not None,
        "booking_lead_hours": None, "payment_forms": None, "travel_agency": None,
        "one_way": None, "bags": None, "co_travellers": None,
    }
    if booking is not None:
        if booking.created and departure:
            lead = (departure - booking.created).total_seconds() / 3600
            attributes["booking_lead_hours"] = round(lead, 1)
        attributes["payment_forms"] = list(booking.payment_forms) or None
        attributes["travel_agency"] = booking.travel_agency
        if booking.itinerary:
            first, last = booking.itinerary[0], booking.itinerary[-1]
            attributes["one_way"] = (first.origin or "") != (last.destination or "")
        counts = [b.count for b in booking.bags if b.count is not None]
        attributes["bags"] = float(sum(counts)) if counts else None
        attributes["co_travellers"] = float(max(len(booking.travellers) - 1, 0))
    return attributes


# --- findings ----------------------------------------------------------------------------------

@dataclass
class Finding:
    kind: str
    severity: int
    code: str
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    screening_hit_id: int | None = None
    rule_id: int | None = None
    registry_document_id: int | None = None


def document_findings(traveller: Traveller, arrival: dt.date) -> list[Finding]:
    """The document checks a manifest allows without the MRZ: expiry against the arrival date
    and ICAO codes for the issuing state and the nationality."""
    found: list[Finding] = []
    if not traveller.documents and traveller.role == "passenger":
        found.append(Finding("document", LOW, "no_document",
                             messages.NO_DOCUMENT_DECLARED.text))
    for document in traveller.documents:
        if document.expiry_date is not None and document.expiry_date < arrival:
            found.append(Finding("document", MEDIUM, "document_expired",
                                 messages.DOCUMENT_EXPIRED_BEFORE_ARRIVAL.format(
                                     document_type=document.document_type,
                                     number=document.number,
                                     expiry=document.expiry_date.isoformat(),
                                     arrival=arrival.isoformat()),
                                 {"number": document.number}))
        if document.issuing_state and lookup_state(document.issuing_state) is None:
            found.append(Finding("document", LOW, "unknown_issuing_state",
                                 messages.UNKNOWN_ISSUING_STATE.format(
                                     document_type=document.document_type,
                                     number=document.number, state=document.issuing_state),
                                 {"number": document.number}))
    if traveller.nationality and lookup_state(traveller.nationality) is None:
        found.append(Finding("document", LOW, "unknown_nationality",
                             messages.UNKNOWN_NATIONALITY.format(
                                 nationality=traveller.nationality)))
    return found


def _registry_index(session: Session, principal: Principal, numbers: Sequence[str]
                    ) -> dict[str, list[RegistryDocument]]:
    index: dict[str, list[RegistryDocument]] = {}
    unique = sorted(set(numbers))
    for start in range(0, len(unique), CHUNK):
        query = scoped(select(RegistryDocument).where(
            RegistryDocument.number.in_(unique[start:start + CHUNK])), RegistryDocument,
            principal)
        for doc in session.scalars(query):
            index.setdefault(doc.number, []).append(doc)
    return index


def registry_findings(traveller: Traveller, index: dict[str, list[RegistryDocument]]
                      ) -> list[Finding]:
    found: list[Finding] = []
    for document in traveller.documents:
        number = normalise_number(document.number or "")
        for report in index.get(number, []):
            state = document.issuing_state
            if state and report.issuing_state != state:
                continue  # the same number from another state is another document
            found.append(Finding(
                "registry", REGISTRY_SEVERITY.get(report.status, MEDIUM),
                f"registry_{report.status}", _reported(document, report),
                {"number": report.number, "status": report.status, "source": report.source},
                registry_document_id=report.id))
    return found


def _reported(document: TravelDocument, report: RegistryDocument) -> str:
    values = {"document_type": document.document_type, "number": document.number,
              "state": report.issuing_state, "status": report.status, "source": report.source}
    if report.reported_on is None:
        return messages.REPORTED_IN_REGISTRY_UNDATED.format(**values)
    return messages.REPORTED_IN_REGISTRY.format(reported_on=report.reported_on.isoformat(),
                                                **values)


def _person(traveller: Traveller) -> screening.Traveller:
    return screening.Traveller(
        name=f"{traveller.surname} {traveller.given_names}".strip(),
        birth_date=traveller.birth_date.isoformat() if traveller.birth_date else None,
        nationality=traveller.nationality, gender=traveller.sex if traveller.sex in ("M", "F")
        else None, document_number=traveller.document_number)


def _screening_findings(session: Session, cache: screening.IndexCache, principal: Principal,
                        traveller: Traveller, voyage_id: int,
                        lists: Sequence[Watchlist]) -> list[Finding]:
    person = _person(traveller)
    try:
        # A first pass without recording: most travellers match nothing, and this pass costs
        # no query. Only candidates go through screen_and_record, which records the hits (and
        # honours remembered false positives) exactly as an officer's screening does.
        ((_t, found),) = list(screening.screen_travellers(session, cache, [person],
                                                          watchlists=lists))
        if not found:
            return []
        result = screening.screen_and_record(session, cache, principal, person,
                                             source=f"manifest:{voyage_id}")
    except BadInput as exc:
        return [Finding("watchlist", LOW, "not_screened",
                        messages.NOT_SCREENED.format(reason=exc.message))]
    recorded = {(r.watchlist_id, r.entry_id): r.id for r in result.recorded}
    return [Finding("watchlist", HIGH, "watchlist_match",
                    messages.ON_WATCHLIST_SCORED.format(name=h.hit.matched_name,
                                                        title=h.watchlist.title,
                                                        score=h.hit.score),
                    {"list": h.watchlist.name, "entry_id": h.hit.entry_id,
                     "score": round(h.hit.score, 4),
                     "explanation": h.hit.explanation.to_text()},
                    screening_hit_id=recorded.get((h.watchlist.id, h.hit.entry_id)))
            for h in result.hits]


def rule_findings(active: Sequence[tuple[TravellerRule, rule_engine.Group, int]],
                  attributes: dict[str, rule_engine.Value]) -> list[Finding]:
    found: list[Finding] = []
    for rule, parsed, severity in active:
        outcome = rule_engine.evaluate(parsed, attributes)
        if outcome.matched:
            found.append(Finding("rule", severity, f"rule_{rule.id}",
                                 messages.TRAVELLER_RULE_MATCHED.format(
                                     name=rule.name, reasons="; ".join(outcome.reasons)),
                                 {"rule": rule.name, "version": rule.active_version,
                                  "reasons": outcome.reasons}, rule_id=rule.id))
    return found


# --- loading a voyage ---------------------------------------------------------------------------

def _leg_json(leg: Leg) -> dict[str, Any]:
    return {"designator": leg.designator, "carrier": leg.carrier, "origin": leg.origin,
            "destination": leg.destination,
            "departure": leg.departure.isoformat() if leg.departure else None,
            "arrival": leg.arrival.isoformat() if leg.arrival else None}


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    # Manifests give local times without a zone; they are stored as given, read as UTC.
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _document_json(document: TravelDocument) -> dict[str, Any]:
    return {"type": document.document_type, "number": document.number,
            "issuing_state": document.issuing_state,
            "expiry_date": document.expiry_date.isoformat() if document.expiry_date else None,
            "issue_date": document.issue_date.isoformat() if document.issue_date else None}


def active_rules(session: Session, principal: Principal
                 ) -> list[tuple[TravellerRule, rule_engine.Group, int]]:
    """Active rules visible to the principal, parsed; a rule that no longer parses is skipped
    (it could only have been stored before the attribute it names was withdrawn)."""
    rows = session.scalars(scoped(select(TravellerRule).where(
        TravellerRule.status == "active"), TravellerRule, principal).order_by(TravellerRule.id))
    active = []
    for rule in rows:
        try:
            parsed = rule_engine.parse_rule(rule.active_condition)
        except rule_engine.RuleError:
            continue
        active.append((rule, parsed, rule.active_severity or MEDIUM))
    return active


@dataclass(frozen=True)
class LoadOutcome:
    voyage: Voyage
    travellers: int
    hits_by_kind: dict[str, int]

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.hits_by_kind.items())) or "none"
        return (f"voyage {self.voyage.id} {self.voyage.designator}: {self.travellers} "
                f"traveller(s) screened; hits: {kinds}")


def load_voyage(
    session: Session, cache: screening.IndexCache, principal: Principal, data: bytes, *,
    source_name: str, distribution: Distribution = Distribution.AGENCY, tlp: Tlp = Tlp.AMBER,
    today: dt.date | None = None,
) -> LoadOutcome:
    """Store a manifest as a voyage and screen every traveller on it."""
    require(principal, "voyage.import")
    require(principal, "screening.run")
    if distribution == Distribution.SHARING_GROUP:
        raise BadInput("voyages are shared with agency, national or partners distribution",
                       details=[{"field": "distribution"}])
    today = today or dt.date.today()
    manifest = read_manifest(data, today=today)
    leg = manifest.voyage or (manifest.legs[0] if manifest.legs else None)
    voyage = Voyage(
        designator=(manifest.flight or "unknown")[:32], carrier=(leg.carrier if leg else "")[:32],
        transport_mode=manifest.transport_mode[:8], message_type=manifest.message_type[:8],
        origin=(leg.origin or None) if leg else None,
        destination=(leg.destination or None) if leg else None,
        departure=_utc(leg.departure if leg else None), arrival=_utc(leg.arrival if leg else None),
        legs=[_leg_json(x) for x in manifest.legs], source_name=source_name[:255],
        source_sha256=hashlib.sha256(data).hexdigest(), warnings=manifest.warnings[:100],
        traveller_count=len(manifest.travellers), owner_agency_id=principal.agency_id,
        distribution=distribution.value, tlp=tlp.value, created_by_id=principal.user_id)
    session.add(voyage)
    session.flush()
    arrival_day = voyage.arrival.date() if voyage.arrival else today
    stored: list[tuple[Traveller, VoyageTraveller]] = []
    for position, traveller in enumerate(manifest.travellers, start=1):
        row = VoyageTraveller(
            voyage_id=voyage.id, position=position, role=traveller.role[:16],
            surname=traveller.surname[:100], given_names=traveller.given_names[:150],
            birth_date=traveller.birth_date, sex=(traveller.sex or None) and traveller.sex[:1],
            nationality=(traveller.nationality or None) and traveller.nationality[:3],
            documents=[_document_json(d) for d in traveller.documents],
            attributes=traveller_attributes(manifest, traveller, today))
        session.add(row)
        stored.append((traveller, row))
    session.flush()
    registry = _registry_index(session, principal, [
        normalise_number(d.number) for t in manifest.travellers for d in t.documents if d.number])
    audit.append(session, action="registry.lookup", resource_type="voyage",
                 resource_id=voyage.id, change={"numbers": sorted(registry)},
                 note=f"{sum(len(t.documents) for t in manifest.travellers)} document(s) of "
                      f"voyage {voyage.designator} checked against the registry")
    rules = active_rules(session, principal)
    lists = [w for w in screening.visible_watchlists(session, principal) if w.active_version]
    hits_by_kind: dict[str, int] = {}
    for traveller, row in stored:
        findings = (_screening_findings(session, cache, principal, traveller, voyage.id, lists)
                    + registry_findings(traveller, registry)
                    + document_findings(traveller, arrival_day)
                    + rule_findings(rules, row.attributes))
        for finding in findings:
            session.add(TravellerHit(
                voyage_id=voyage.id, traveller_id=row.id, kind=finding.kind,
                severity=finding.severity, code=finding.code[:64],
                summary=finding.summary[:500], details=finding.details,
                screening_hit_id=finding.screening_hit_id, rule_id=finding.rule_id,
                registry_document_id=finding.registry_document_id))
            hits_by_kind[finding.kind] = hits_by_kind.get(finding.kind, 0) + 1
        row.hit_count = len(findings)
        row.severity = max((f.severity for f in findings), default=0)
    voyage.hit_count = sum(hits_by_kind.values())
    session.flush()
    audit.append(session, action="voyage.load", resource_type="voyage", resource_id=voyage.id,
                 fields=["travellers"], change={"sha256": voyage.source_sha256},
                 note=f"{source_name}: {voyage.traveller_count} travellers, "
                      f"{voyage.hit_count} hits")
    return LoadOutcome(voyage, len(stored), hits_by_kind)


# --- reading voyages ---------------------------------------------------------------------------

def minutes_until(moment: dt.datetime | None, now: dt.datetime) -> int | None:
    if moment is None:
        return None
    return int((moment - now).total_seconds() // 60)


def list_voyages(session: Session, principal: Principal, *, offset: int, limit: int
                 ) -> tuple[list[Voyage], int, dict[int, int]]:
    """Visible voyages, latest arrival first, with their count of travellers left to review."""
    require(principal, "voyage.read")
    query = scoped(select(Voyage), Voyage, principal)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(session.scalars(query.order_by(Voyage.arrival.desc(), Voyage.id.desc())
                                .offset(offset).limit(limit)))
    open_counts: dict[int, int] = {}
    if rows:
        counted = session.execute(select(VoyageTraveller.voyage_id, func.count()).where(
            VoyageTraveller.voyage_id.in_([v.id for v in rows]),
            VoyageTraveller.hit_count > 0, VoyageTraveller.reviewed.is_(False))
            .group_by(VoyageTraveller.voyage_id)).tuples()
        open_counts = {voyage_id: count for voyage_id, count in counted}
    return rows, total, open_counts


def get_voyage(session: Session, principal: Principal, voyage_id: int) -> Voyage:
    require(principal, "voyage.read")
    voyage = session.scalar(scoped(select(Voyage).where(Voyage.id == voyage_id), Voyage,
                                   principal))
    if voyage is None:
        raise NotFound(f"voyage {voyage_id} does not exist")
    return voyage


@dataclass
class ListedTraveller:
    traveller: VoyageTraveller
    hits: list[TravellerHit]


@dataclass
class PreArrival:
    voyage: Voyage
    travellers: list[ListedTraveller]
    minutes_until_arrival: int | None
    open_reviews: int

    @property
    def urgent(self) -> bool:
        """Arriving within the hour (or landed) with hits nobody has reviewed yet."""
        minutes = self.minutes_until_arrival
        return self.open_reviews > 0 and minutes is not None and minutes <= URGENT_MINUTES


def pre_arrival(session: Session, principal: Principal, voyage_id: int, *,
                everyone: bool = False, now: dt.datetime | None = None) -> PreArrival:
    """The voyage's travellers with hits, worst first (all travellers with ``everyone``);
    opening it is audited as a read of personal data."""
    voyage = get_voyage(session, principal, voyage_id)
    query = select(VoyageTraveller).where(VoyageTraveller.voyage_id == voyage.id)
    if not everyone:
        query = query.where(VoyageTraveller.hit_count > 0)
    travellers = list(session.scalars(query.order_by(
        VoyageTraveller.severity.desc(), VoyageTraveller.hit_count.desc(),
        VoyageTraveller.position)))
    hits: dict[int, list[TravellerHit]] = {}
    for hit in session.scalars(select(TravellerHit).where(TravellerHit.voyage_id == voyage.id)
                               .order_by(TravellerHit.severity.desc(), TravellerHit.id)):
        hits.setdefault(hit.traveller_id, []).append(hit)
    open_reviews = session.scalar(select(func.count()).where(
        VoyageTraveller.voyage_id == voyage.id, VoyageTraveller.hit_count > 0,
        VoyageTraveller.reviewed.is_(False))) or 0
    audit.record_read(session, resource_type="voyage", resource_id=voyage.id,
                      purpose="pre-arrival list" + (" (all travellers)" if everyone else ""))
    return PreArrival(voyage, [ListedTraveller(t, hits.get(t.id, [])) for t in travellers],
                      minutes_until(voyage.arrival, now or utcnow()), open_reviews)


def review_traveller(session: Session, principal: Principal, voyage_id: int,
                     traveller_id: int, note: str) -> VoyageTraveller:
    """Mark a listed traveller as reviewed (by the agency that loaded the voyage)."""
    require(principal, "voyage.review")
    voyage = get_voyage(session, principal, voyage_id)
    if voyage.owner_agency_id != principal.agency_id:
        raise Forbidden("only the agency that loaded the voyage reviews its travellers")
    traveller = session.scalar(select(VoyageTraveller).where(
        VoyageTraveller.id == traveller_id, VoyageTraveller.voyage_id == voyage.id))
    if traveller is None:
        raise NotFound(f"voyage {voyage_id} has no traveller {traveller_id}")
    if traveller.reviewed:
        raise Conflict("this traveller has been reviewed already")
    traveller.reviewed = True
    traveller.reviewed_by_id = principal.user_id
    traveller.reviewed_at = utcnow()
    traveller.review_note = note.strip()[:2000]
    session.flush()
    audit.append(session, action="voyage_traveller.review", resource_type="voyage_traveller",
                 resource_id=traveller.id, fields=["reviewed", "review_note"],
                 change={"note": traveller.review_note}, note=f"voyage {voyage.id}")
    return traveller


# --- traveller risk rules ------------------------------------------------------------------------

def _checked_condition(condition: Any) -> dict[str, Any]:
    try:
        rule_engine.parse_rule(condition)
    except rule_engine.RuleError as exc:
        raise BadInput("the rule cannot be used: " + "; ".join(exc.problems),
                       details=[{"field": "condition", "problem": p} for p in exc.problems[:20]]
                       ) from exc
    return dict(condition)


def create_rule(session: Session, principal: Principal, *, name: str, description: str,
                severity: int, condition: Any,
                distribution: Distribution = Distribution.AGENCY, tlp: Tlp = Tlp.AMBER
                ) -> TravellerRule:
    """A new rule, as a draft: it applies only after a supervisor approves its activation."""
    require(principal, "rule.manage")
    if severity not in SEVERITY_WORDS:
        raise BadInput("severity is 1 (low), 2 (medium) or 3 (high)")
    if distribution == Distribution.SHARING_GROUP:
        raise BadInput("rules are shared with agency, national or partners distribution",
                       details=[{"field": "distribution"}])
    rule = TravellerRule(name=name.strip()[:120], description=description[:5000],
                         severity=severity, condition=_checked_condition(condition),
                         owner_agency_id=principal.agency_id, distribution=distribution.value,
                         tlp=tlp.value, created_by_id=principal.user_id)
    session.add(rule)
    session.flush()
    return rule


def list_rules(session: Session, principal: Principal) -> list[TravellerRule]:
    require(principal, "rule.read")
    return list(session.scalars(scoped(select(TravellerRule), TravellerRule, principal)
                                .order_by(TravellerRule.status, TravellerRule.name)))


def get_rule(session: Session, principal: Principal, rule_id: int) -> TravellerRule:
    require(principal, "rule.read")
    rule = session.scalar(scoped(select(TravellerRule).where(TravellerRule.id == rule_id),
                                 TravellerRule, principal))
    if rule is None:
        raise NotFound(f"traveller rule {rule_id} does not exist")
    return rule


def _owned_rule(session: Session, principal: Principal, rule_id: int) -> TravellerRule:
    require(principal, "rule.manage")
    rule = get_rule(session, principal, rule_id)
    if rule.owner_agency_id != principal.agency_id:
        raise Forbidden("only the agency that owns a rule may change it")
    return rule


def update_rule(session: Session, principal: Principal, rule_id: int, *, name: str,
                description: str, severity: int, condition: Any) -> TravellerRule:
    """Edit the draft; an active rule keeps applying its approved version until the new one is
    approved."""
    rule = _owned_rule(session, principal, rule_id)
    if rule.status == "retired":
        raise Conflict("a retired rule cannot be edited; create a new one")
    if severity not in SEVERITY_WORDS:
        raise BadInput("severity is 1 (low), 2 (medium) or 3 (high)")
    rule.name, rule.description = name.strip()[:120], description[:5000]
    rule.severity = severity
    rule.condition = _checked_condition(condition)
    rule.version += 1
    session.flush()
    return rule


def request_activation(session: Session, principal: Principal, rule_id: int) -> Approval:
    """Ask a supervisor of the owning agency to activate the draft exactly as it is now."""
    rule = _owned_rule(session, principal, rule_id)
    if rule.status == "retired":
        raise Conflict("a retired rule cannot be activated")
    if rule.status == "active" and rule.active_version == rule.version:
        raise Conflict("this version of the rule is already active")
    return approvals.request_change(
        session, principal, kind=ACTIVATE_RULE, agency_id=rule.owner_agency_id,
        resource_type="traveller_rule", resource_id=rule.id,
        summary=messages.TRAVELLER_RULE_SUMMARY.format(name=rule.name, version=rule.version),
        payload={"condition": rule.condition, "severity": rule.severity,
                 "version": rule.version})


def _apply_activation(session: Session, approval: Approval) -> None:
    rule = session.get(TravellerRule, int(approval.resource_id))
    if rule is None or rule.status == "retired":
        raise Conflict("that traveller rule no longer exists or is retired")
    payload = approval.payload
    rule.active_condition = payload["condition"]
    rule.active_severity = int(payload["severity"])
    rule.active_version = int(payload["version"])
    rule.status = "active"
    session.flush()


approvals.register_kind(approvals.ApprovalKind(
    name=ACTIVATE_RULE, title="Activate a traveller risk rule", apply=_apply_activation))


def retire_rule(session: Session, principal: Principal, rule_id: int) -> TravellerRule:
    """Stop applying a rule at once: narrowing screening needs no second pair of eyes."""
    rule = _owned_rule(session, principal, rule_id)
    rule.status = "retired"
    session.flush()
    return rule


def pending_rule_approvals(session: Session, rule_ids: list[int]) -> dict[int, int]:
    if not rule_ids:
        return {}
    rows = session.execute(select(Approval.resource_id, Approval.id).where(
        Approval.resource_type == "traveller_rule", Approval.status == "pending",
        Approval.resource_id.in_([str(i) for i in rule_ids])))
    return {int(rid): aid for rid, aid in rows}
