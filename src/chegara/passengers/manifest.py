"""The common shape of every passenger list Chegara reads: airline PAXLST and PNRGOV, bus and
train CSV manifests.

Screening, risk rules and the voyage page work on this one model, whatever the source, so a
traveller on a bus from Osh is screened exactly like one on a flight into Manas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class TravelDocument:
    """A document a traveller declared (passport, identity card, visa...)."""

    document_type: str
    number: str
    issuing_state: str | None = None
    expiry_date: date | None = None
    issue_date: date | None = None


@dataclass
class Leg:
    """One flight, bus or train leg of a voyage or of a booked itinerary."""

    carrier: str
    number: str
    origin: str | None = None
    destination: str | None = None
    departure: datetime | None = None
    arrival: datetime | None = None
    operating_carrier: str | None = None

    @property
    def designator(self) -> str:
        """Carrier and number as travellers read them (``SQ609``); a bus service as given."""
        airline_code = 2 <= len(self.carrier) <= 3 and self.carrier.isalnum()
        if airline_code and not self.number.startswith(self.carrier):
            return f"{self.carrier}{self.number}"
        return self.number or self.carrier


@dataclass
class Traveller:
    """One person on a manifest: passenger, crew member or infant."""

    surname: str
    given_names: str = ""
    birth_date: date | None = None
    sex: str | None = None
    nationality: str | None = None
    role: str = "passenger"
    documents: list[TravelDocument] = field(default_factory=list)
    residence_country: str | None = None
    birth_place: str | None = None
    embarkation: str | None = None
    debarkation: str | None = None
    booking_reference: str | None = None
    seats: list[str] = field(default_factory=list)
    infant: bool = False

    @property
    def document_number(self) -> str | None:
        """The number of the first travel document declared, visas coming last."""
        numbered = [d for d in self.documents if d.number]
        main = [d for d in numbered if d.document_type.upper() not in ("V", "VISA")]
        return (main or numbered)[0].number if numbered else None


@dataclass
class Bag:
    """Checked baggage as reported in a PNR."""

    count: int | None = None
    weight: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class Booking:
    """One passenger name record (PNRGOV): who booked, how, and for whom."""

    record_locator: str
    created: datetime | None = None
    travel_agency: str | None = None
    payment_forms: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    itinerary: list[Leg] = field(default_factory=list)
    bags: list[Bag] = field(default_factory=list)
    seats: list[str] = field(default_factory=list)
    travellers: list[Traveller] = field(default_factory=list)


@dataclass
class Manifest:
    """A voyage and its travellers, from one message or file."""

    message_type: str
    transport_mode: str = "air"
    voyage: Leg | None = None
    legs: list[Leg] = field(default_factory=list)
    travellers: list[Traveller] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    list_type: str | None = None
    declared_count: int | None = None
    sender: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def flight(self) -> str | None:
        """The voyage designator: flight number, bus or train service."""
        return self.voyage.designator if self.voyage else None

    def traveller_rows(self) -> list[dict[str, str | None]]:
        """One row per traveller in the output shape of ``chegara manifest import``."""
        return [
            {
                "message_type": self.message_type,
                "flight": self.flight,
                "surname": t.surname,
                "given_names": t.given_names,
                "birth_date": t.birth_date.isoformat() if t.birth_date else None,
                "nationality": t.nationality,
                "document_number": t.document_number,
            }
            for t in self.travellers
        ]
