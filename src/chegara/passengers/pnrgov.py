"""PNRGOV (IATA/PADIS passenger name record push to governments) to a ``Manifest``.

Each SRC group is one booking: record locator and creation (RCI), travel agency (ORG), contacts
(ADD, IFT), payment (FOP), travellers (TIF) and their documents (SSR DOCS / DOCO), itinerary
(TVL), seats (SSR SEAT, SSD), bags (TBD, EBD). History groups (ABI, SAC, LTS) describe past states
of the booking and are not read as current data.

Reservation systems relay Type-B text, whose line wraps leave blanks inside names (``PA RK``).
A traveller's name is therefore taken from TIF, and the DOCS spelling is preferred only when it
agrees with TIF once blanks are ignored; titles glued to given names (``JOHNMR``) are removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from chegara import messages as wording
from chegara.passengers.dates import parse_day, parse_day_time
from chegara.passengers.edifact import EdifactError, Message, Segment
from chegara.passengers.manifest import Bag, Booking, Leg, Manifest, TravelDocument, Traveller

TITLES = ("MSTR", "MISS", "MRS", "MR", "MS", "DR", "PROF", "REV", "CHD", "INF")
INFANT_CODES = frozenset({"IN", "INF"})


def squash(text: str) -> str:
    """Letters only, no blanks: how names are compared across Type-B line wraps."""
    return "".join(c for c in text.upper() if c.isalnum())


def strip_title(given: str) -> str:
    """Given names without a trailing title, separated (``ISABELLE MRS``) or glued (``JOHNMR``)."""
    words = given.split()
    if len(words) > 1 and words[-1] in TITLES:
        return " ".join(words[:-1])
    if words:
        for title in TITLES[:5]:
            if words[-1].endswith(title) and len(words[-1]) > len(title) + 1:
                words[-1] = words[-1][: -len(title)]
                break
    return " ".join(words)


@dataclass
class _Docs:
    """One SSR DOCS (or DOCO) free text, APIS layout."""

    document_type: str
    issuing_state: str
    number: str
    nationality: str
    birth: str
    sex: str
    expiry: str
    surname: str
    given: str


def parse_docs(free_text: str) -> _Docs | None:
    """``/type/issuer/number/nationality/DDMMMYY/sex/DDMMMYY/surname/given/middle``."""
    parts = [p.strip() for p in free_text.split("/")]
    if len(parts) < 9:
        return None
    given = " ".join(p for p in parts[9:12] if p)
    return _Docs(parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], parts[7],
                 parts[8], given)  # fmt: skip


@dataclass
class _PnrState:
    booking: Booking
    tifs: list[Traveller] = field(default_factory=list)
    docs: list[_Docs] = field(default_factory=list)
    visas: list[tuple[str, str]] = field(default_factory=list)
    history: bool = False
    last_traveller: Traveller | None = None


def _leg_from_tvl(segment: Segment, reference: date) -> Leg | None:
    origin, destination = segment.value(2), segment.value(3)
    number = segment.value(5)
    if not origin or not destination or not number:
        return None
    dep_day, dep_time = segment.value(1, 0), segment.value(1, 1)
    arr_day, arr_time = segment.value(1, 2), segment.value(1, 3)
    if len(arr_day) == 4 and not arr_time:
        arr_day, arr_time = "", arr_day
    departure = parse_day_time(dep_day, dep_time, reference)
    arrival = parse_day_time(arr_day or dep_day, arr_time, reference) if arr_time else None
    return Leg(carrier=segment.value(4, 0), number=number, origin=origin,
               destination=destination, departure=departure, arrival=arrival,
               operating_carrier=segment.value(4, 1) or None)  # fmt: skip


class _PnrgovReader:
    def __init__(self, manifest: Manifest, today: date, strict: bool) -> None:
        self.manifest = manifest
        self.today = today
        self.strict = strict
        self.pnr: _PnrState | None = None
        self.declared: tuple[int, Segment] | None = None
        self.pnr_count = 0

    def read(self, segment: Segment) -> None:
        tag = segment.tag
        if tag == "SRC":
            self._close_pnr()
            self.pnr = _PnrState(Booking(record_locator=""))
            self.pnr_count += 1
            return
        if self.pnr is None:
            self._read_header(segment)
            return
        if tag in ("ABI", "SAC"):
            self.pnr.history = True
        if self.pnr.history and tag in ("TVL", "SSR", "TIF", "RPI", "DAT", "FOP"):
            return
        handler = getattr(self, f"on_{tag.lower()}", None)
        if handler is not None:
            handler(self.pnr, segment)

    def _read_header(self, segment: Segment) -> None:
        if segment.tag == "ORG" and self.manifest.sender is None:
            self.manifest.sender = ":".join(c for c in segment.element(1) if c) or None
        elif segment.tag == "TVL" and self.manifest.voyage is None:
            self.manifest.voyage = _leg_from_tvl(segment, self.today)
            if self.manifest.voyage:
                self.manifest.legs.append(self.manifest.voyage)
        elif segment.tag == "EQN" and segment.value(1).isdigit():
            self.declared = (int(segment.value(1)), segment)

    def reference(self) -> date:
        voyage = self.manifest.voyage
        return voyage.departure.date() if voyage and voyage.departure else self.today

    def on_rci(self, pnr: _PnrState, segment: Segment) -> None:
        if pnr.booking.record_locator:
            return
        parts = segment.element(1)
        pnr.booking.record_locator = segment.value(1, 1)
        days = [p for p in parts[2:] if len(p) == 6 and p.isdigit()]
        times = [p for p in parts[2:] if len(p) == 4 and p.isdigit()]
        if days:
            pnr.booking.created = parse_day_time(days[0], times[0] if times else "",
                                                 self.reference())  # fmt: skip

    def on_org(self, pnr: _PnrState, segment: Segment) -> None:
        agency = ":".join(c.strip() for c in segment.element(2) if c.strip())
        if agency and pnr.booking.travel_agency is None:
            pnr.booking.travel_agency = agency

    def on_add(self, pnr: _PnrState, segment: Segment) -> None:
        for index in range(2, len(segment.elements) + 1):
            text = " ".join(c.strip() for c in segment.element(index)[1:] if c.strip())
            if text:
                pnr.booking.contacts.append(text)

    def on_ift(self, pnr: _PnrState, segment: Segment) -> None:
        if segment.value(1, 1) in ("28", "43"):
            text = " ".join(" ".join(segment.element(i)) for i in range(2, len(segment.elements)
                                                                         + 1)).strip()
            if text:
                pnr.booking.contacts.append(text)

    def on_fop(self, pnr: _PnrState, segment: Segment) -> None:
        for index in range(1, len(segment.elements) + 1):
            code = segment.value(index, 0)
            if code and code not in pnr.booking.payment_forms:
                pnr.booking.payment_forms.append(code)

    def on_tif(self, pnr: _PnrState, segment: Segment) -> None:
        surname = segment.value(1, 0)
        given = strip_title(segment.value(2, 0))
        ptc = segment.value(2, 1)
        key = (squash(surname), squash(given))
        existing = next((t for t in pnr.tifs if (squash(t.surname), squash(t.given_names)) == key),
                        None)  # fmt: skip
        if existing is None:
            existing = Traveller(surname=surname, given_names=given,
                                 infant=ptc in INFANT_CODES,
                                 role="infant" if ptc in INFANT_CODES else "passenger")
            pnr.tifs.append(existing)
        pnr.last_traveller = existing

    def on_ssr(self, pnr: _PnrState, segment: Segment) -> None:
        code = segment.value(1, 0)
        free_text = ":".join(segment.element(1)[8:])
        if code == "DOCS":
            docs = parse_docs(free_text)
            if docs is not None:
                pnr.docs.append(docs)
        elif code == "DOCO":
            fields = [p.strip() for p in free_text.split("/")]
            if len(fields) > 2 and fields[2]:
                pnr.visas.append((fields[1] or "V", fields[2]))
        elif code in ("SEAT", "RQST", "NSST"):
            for index in range(2, len(segment.elements) + 1):
                seat = segment.value(index, 0)
                if seat and seat not in pnr.booking.seats:
                    pnr.booking.seats.append(seat)

    def on_tvl(self, pnr: _PnrState, segment: Segment) -> None:
        leg = _leg_from_tvl(segment, self.reference())
        if leg is None:
            return
        same = [(x.designator, x.origin, x.departure) for x in pnr.booking.itinerary]
        if (leg.designator, leg.origin, leg.departure) not in same:
            pnr.booking.itinerary.append(leg)

    def on_ssd(self, pnr: _PnrState, segment: Segment) -> None:
        seat = segment.value(1)
        if seat:
            if seat not in pnr.booking.seats:
                pnr.booking.seats.append(seat)
            if pnr.last_traveller is not None and seat not in pnr.last_traveller.seats:
                pnr.last_traveller.seats.append(seat)

    def on_tbd(self, pnr: _PnrState, segment: Segment) -> None:
        count, weight, unit = segment.value(2, 0), segment.value(2, 1), segment.value(2, 2)
        tags = [segment.value(i, 1) for i in range(4, len(segment.elements) + 1)
                if segment.value(i, 1)]  # fmt: skip
        unit_name = "KG" if unit == "700" else ("LB" if unit == "701" else unit)
        pnr.booking.bags.append(Bag(count=int(count) if count.isdigit() else None,
                                    weight=f"{weight} {unit_name}".strip() or None, tags=tags))

    def on_ebd(self, pnr: _PnrState, segment: Segment) -> None:
        count = segment.value(2, 0)
        pnr.booking.bags.append(Bag(count=int(count) if count.isdigit() else None))

    def _close_pnr(self) -> None:
        if self.pnr is None:
            return
        booking = self.pnr.booking
        booking.travellers = _resolve_travellers(self.pnr, self.reference())
        for traveller in booking.travellers:
            traveller.booking_reference = booking.record_locator or None
        self.manifest.bookings.append(booking)
        self.manifest.travellers.extend(booking.travellers)
        self.pnr = None

    def finish(self) -> None:
        self._close_pnr()
        if self.declared is not None and self.declared[0] != self.pnr_count:
            count, segment = self.declared
            message = wording.PNR_COUNT.format(count=count, held=self.pnr_count)
            if self.strict:
                raise EdifactError(message, segment.tag, segment.position, segment.line)
            self.manifest.warnings.append(
                wording.AT_SEGMENT_PROBLEM.format(where=segment.where(), problem=message))


def _docs_match(traveller: Traveller, docs: _Docs, alone: bool) -> bool:
    if squash(docs.surname) != squash(traveller.surname):
        return False
    tif_given, docs_given = squash(traveller.given_names), squash(docs.given)
    if alone or not tif_given or not docs_given:
        return True
    return tif_given.startswith(docs_given) or docs_given.startswith(tif_given)


def _drop_glued_titles(variant: str, tif_words: set[str]) -> str:
    """``MOLLYMRS ZARA`` -> ``MOLLY ZARA`` when TIF says the given name is MOLLY."""
    words = []
    for word in variant.split():
        for title in TITLES[:5]:
            if word.endswith(title) and word[: -len(title)] in tif_words:
                word = word[: -len(title)]
                break
        words.append(word)
    return " ".join(words)


def _choose_given(traveller: Traveller, variants: list[str]) -> str:
    """The DOCS spelling sharing most words with TIF; the most frequent on a tie."""
    tif_words = set(traveller.given_names.split())
    variants = [_drop_glued_titles(v, tif_words) for v in variants]

    def score(variant: str) -> tuple[int, int]:
        return (len(tif_words & set(variant.split())), variants.count(variant))

    return max(variants, key=score)


def _resolve_travellers(pnr: _PnrState, reference: date) -> list[Traveller]:
    travellers = list(pnr.tifs)
    matched: dict[int, list[_Docs]] = {}
    for docs in pnr.docs:
        same_surname = [t for t in travellers if squash(t.surname) == squash(docs.surname)]
        target = next((t for t in same_surname
                       if _docs_match(t, docs, alone=len(same_surname) == 1)), None)  # fmt: skip
        if target is None and docs.surname:
            target = Traveller(surname=docs.surname, given_names=docs.given)
            travellers.append(target)
        if target is not None:
            matched.setdefault(id(target), []).append(docs)
    for traveller in travellers:
        entries = matched.get(id(traveller), [])
        if not entries:
            continue
        variants = [d.given for d in entries if d.given]
        if variants:
            traveller.given_names = _choose_given(traveller, variants)
        _apply_docs(traveller, entries, reference)
    if len(travellers) == 1:
        for visa_type, number in pnr.visas:
            travellers[0].documents.append(TravelDocument(document_type=visa_type, number=number))
    return travellers


def _apply_docs(traveller: Traveller, entries: list[_Docs], reference: date) -> None:
    for docs in entries:
        if traveller.birth_date is None and docs.birth:
            traveller.birth_date = parse_day(docs.birth, reference, birth=True)
        if traveller.nationality is None and docs.nationality:
            traveller.nationality = docs.nationality
        if traveller.sex is None and docs.sex:
            traveller.sex = docs.sex[:1]
            traveller.infant = traveller.infant or docs.sex.endswith("I")
        known = {d.number for d in traveller.documents}
        if docs.number and docs.number not in known:
            traveller.documents.append(TravelDocument(
                document_type=docs.document_type or "P", number=docs.number,
                issuing_state=docs.issuing_state or None,
                expiry_date=parse_day(docs.expiry, reference) if docs.expiry else None))


def read_pnrgov(messages: list[Message], today: date | None = None,
                strict: bool = False) -> Manifest:  # fmt: skip
    """All bookings and travellers of the PNRGOV messages of one interchange."""
    manifest = Manifest(message_type="PNRGOV")
    for message in messages:
        reader = _PnrgovReader(manifest, today or date.today(), strict)
        for segment in message.segments:
            reader.read(segment)
        reader.finish()
    return manifest
