"""PAXLST (UN/EDIFACT passenger and crew list, WCO/IATA/ICAO API guidelines) to a ``Manifest``.

Reads the segments advance passenger information actually carries: BGM (passenger or crew
list), RFF, NAD (reporting party, passengers, crew), ATT, DTM, LOC, NAT, DOC, TDT (one per leg of
a multi-leg flight), CNT. The declared CNT count is compared with the travellers found; a
difference is a warning (public test messages disagree often) unless the caller asks for strict.
"""

from __future__ import annotations

from datetime import date

from chegara import messages as wording
from chegara.passengers.dates import parse_day, parse_dtm
from chegara.passengers.edifact import EdifactError, Message, Segment
from chegara.passengers.manifest import Leg, Manifest, TravelDocument, Traveller

# BGM document name codes (UN/EDIFACT 1001 as used by the API guidelines).
LIST_TYPES = {"745": "passengers", "250": "crew", "336": "crew", "266": "passengers",
              "655": "passengers"}  # fmt: skip
# NAD party qualifiers for people on board.
PASSENGER_PARTIES = frozenset({"FL", "DDU"})
CREW_PARTIES = frozenset({"FM", "DDT"})
# CNT control qualifiers: 41 crew total, 42 passenger total.
COUNT_KINDS = {"41": "crew", "42": "passengers"}


def _last_value(segment: Segment, index: int) -> str:
    return next((c.strip() for c in reversed(segment.element(index)) if c.strip()), "")


class _PaxlstReader:
    def __init__(self, manifest: Manifest, today: date, strict: bool) -> None:
        self.manifest = manifest
        self.today = today
        self.strict = strict
        self.traveller: Traveller | None = None
        self.leg: Leg | None = None
        self.routing: list[str] = []
        self.reported_leg: Leg | None = None
        self.declared: list[tuple[str, int, Segment]] = []
        self.first_traveller = len(manifest.travellers)
        self.first_leg = len(manifest.legs)
        self.role_warned = False

    def reference_day(self) -> date:
        voyage = self.reported_leg or self.leg
        if voyage and voyage.departure:
            return voyage.departure.date()
        return self.today

    def read(self, segment: Segment) -> None:
        handler = getattr(self, f"on_{segment.tag.lower()}", None)
        if handler is not None:
            handler(segment)

    def on_bgm(self, segment: Segment) -> None:
        code = segment.value(1)
        kind = LIST_TYPES.get(code)
        if kind is None:
            self.manifest.warnings.append(wording.UNKNOWN_LIST_TYPE.format(code=code))
        self.manifest.list_type = kind

    def on_tdt(self, segment: Segment) -> None:
        self.traveller = None
        self.leg = Leg(carrier=segment.value(5), number=segment.value(2))
        self.routing = []
        self.manifest.legs.append(self.leg)

    def on_nad(self, segment: Segment) -> None:
        party = segment.value(1)
        if party not in PASSENGER_PARTIES | CREW_PARTIES:
            self.traveller = None
            if party != "MS":
                self.manifest.warnings.append(
                    wording.PARTY_SKIPPED.format(party=party, where=segment.where()))
            else:
                self.manifest.sender = _last_value(segment, 4) or _last_value(segment, 3)
            return
        names = [c.strip() for c in segment.element(4)] or [c.strip() for c in segment.element(3)]
        surname = names[0] if names else ""
        if not surname:
            self._problem(segment, wording.NO_SURNAME.text)
        role = "crew" if party in CREW_PARTIES else "passenger"
        listed = self.manifest.list_type
        if listed and (listed == "crew") != (role == "crew") and not self.role_warned:
            self.role_warned = True
            # The NAD qualifier is per person, BGM per list: trust the person, say so.
            self.manifest.warnings.append(wording.ROLE_UNLIKE_LIST.format(
                party=party, role=role, where=segment.where(), listed=listed))
        self.traveller = Traveller(surname=surname,
                                   given_names=" ".join(n for n in names[1:] if n), role=role)
        self.manifest.travellers.append(self.traveller)

    def on_att(self, segment: Segment) -> None:
        if self.traveller is not None and segment.value(1) == "2":
            self.traveller.sex = segment.value(3) or None

    def on_nat(self, segment: Segment) -> None:
        if self.traveller is not None:
            self.traveller.nationality = segment.value(2) or None

    def on_rff(self, segment: Segment) -> None:
        if self.traveller is None:
            return
        qualifier, value = segment.value(1, 0), segment.value(1, 1)
        if qualifier == "AVF":
            self.traveller.booking_reference = value or None
        elif qualifier == "SEA" and value:
            self.traveller.seats.append(value)

    def on_doc(self, segment: Segment) -> None:
        if self.traveller is None:
            self._problem(segment, wording.DOC_OUTSIDE_TRAVELLER.text)
            return
        document = TravelDocument(document_type=segment.value(1, 0), number=segment.value(2))
        self.traveller.documents.append(document)

    def on_dtm(self, segment: Segment) -> None:
        qualifier, value, fmt = segment.value(1, 0), segment.value(1, 1), segment.value(1, 2)
        if self.traveller is not None:
            documents = self.traveller.documents
            if qualifier == "329":
                self.traveller.birth_date = parse_day(value, self.reference_day(), birth=True)
            elif qualifier == "36" and documents:
                documents[-1].expiry_date = parse_day(value, self.reference_day())
            elif qualifier == "182" and documents:
                documents[-1].issue_date = parse_day(value, self.reference_day())
            return
        if self.leg is not None and qualifier in ("189", "232"):
            moment = parse_dtm(value, fmt, self.today)
            if qualifier == "189":
                self.leg.departure = moment
            else:
                self.leg.arrival = moment

    def on_loc(self, segment: Segment) -> None:
        qualifier, place = segment.value(1), segment.value(2)
        if self.traveller is not None:
            traveller = self.traveller
            if qualifier == "178":
                traveller.embarkation = place or None
            elif qualifier == "179":
                traveller.debarkation = place or None
            elif qualifier == "174":
                traveller.residence_country = place or None
            elif qualifier == "180":
                traveller.birth_place = _last_value(segment, 2) or None
            elif qualifier == "91" and traveller.documents:
                traveller.documents[-1].issuing_state = place or None
            return
        if self.leg is None:
            return
        if qualifier == "125":
            self.leg.origin = place
            self.reported_leg = self.leg
        elif qualifier == "87":
            self.leg.destination = place
            self.reported_leg = self.leg
        elif qualifier == "92":
            self.routing.append(place)
            if len(self.routing) == 1:
                self.leg.origin = place
            else:
                self.leg.destination = place

    def on_cnt(self, segment: Segment) -> None:
        qualifier = segment.value(1, 0)
        raw = segment.value(1, 1) or segment.value(2, 0)
        if not raw.isdigit():
            self._problem(segment, wording.COUNT_NOT_A_NUMBER.format(count=raw))
            return
        if not segment.value(1, 1):
            self.manifest.warnings.append(wording.AT_SEGMENT_PROBLEM.format(
                where=segment.where(), problem=wording.COUNT_AS_SEPARATE_ELEMENT.text))
        self.declared.append((qualifier, int(raw), segment))

    def _problem(self, segment: Segment, message: str) -> None:
        if self.strict:
            raise EdifactError(message, segment.tag, segment.position, segment.line)
        self.manifest.warnings.append(
            wording.AT_SEGMENT_PROBLEM.format(where=segment.where(), problem=message))

    def _merge_repeated_legs(self) -> None:
        """A list split over several messages repeats its flight legs in each: keep one."""
        def key(leg: Leg) -> tuple[object, ...]:
            return (leg.designator, leg.origin, leg.destination, leg.departure)

        earlier = {key(leg): leg for leg in self.manifest.legs[: self.first_leg]}
        fresh = []
        for leg in self.manifest.legs[self.first_leg :]:
            known = earlier.get(key(leg))
            if known is None:
                fresh.append(leg)
            elif leg is self.reported_leg:
                self.reported_leg = known
        self.manifest.legs[self.first_leg :] = fresh

    def finish(self) -> None:
        manifest = self.manifest
        self._merge_repeated_legs()
        manifest.voyage = self.reported_leg or (manifest.legs[-1] if manifest.legs else None)
        for qualifier, count, segment in self.declared:
            manifest.declared_count = count
            found = len(manifest.travellers) - self.first_traveller
            if count != found:
                self._problem(segment, wording.TRAVELLER_COUNT.format(count=count, held=found))
            kind = COUNT_KINDS.get(qualifier)
            if kind and manifest.list_type and kind != manifest.list_type:
                manifest.warnings.append(wording.AT_SEGMENT_PROBLEM.format(
                    where=segment.where(), problem=wording.COUNT_OF_OTHER_LIST.format(
                        qualifier=qualifier, kind=kind, listed=manifest.list_type)))
        if not self.declared:
            manifest.warnings.append(wording.NO_CONTROL_TOTAL.text)


def read_paxlst(messages: list[Message], today: date | None = None,
                strict: bool = False) -> Manifest:  # fmt: skip
    """All travellers of the PAXLST messages of one interchange as one manifest."""
    manifest = Manifest(message_type="PAXLST")
    for message in messages:
        reader = _PaxlstReader(manifest, today or date.today(), strict)
        for segment in message.segments:
            reader.read(segment)
        reader.finish()
    return manifest
