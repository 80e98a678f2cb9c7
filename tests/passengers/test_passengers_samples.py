"""PAXLST and PNRGOV parsing on the public GTAS test messages."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from chegara.passengers.edifact import EdifactError, read_interchange
from chegara.passengers.reader import parse_message

DATA = Path(os.environ["CHEGARA_SHARED_DATA"]) / "travel"
pytestmark = pytest.mark.shared_data
TODAY = date(2026, 11, 22)

EXPECTED = {
    "paxlst/gtas-loader_Test1.txt": ("PAXLST", "UA0989", 8),
    "paxlst/gtas-loader_Test3.txt": ("PAXLST", "UA0989", 260),
    "paxlst/gtas-loader_multiple_flight_leg_apis.txt": ("PAXLST", "QQ827", 2),
    "pnrgov/gtas-loader_codeshare.edi": ("PNRGOV", "SQ609", 2),
    "pnrgov/gtas-loader_infant.edi": ("PNRGOV", "SQ602", 2),
    "pnrgov/gtas-parsers_pnrBadFormat.txt": ("PNRGOV", "TZ0006", 2),
    "pnrgov/gtas-parsers_pnrMessage.txt": ("PNRGOV", "DL324", 2),
    "pnrgov/gtas-parsers_pnrMessagePg75.txt": ("PNRGOV", "SQ609", 2),
    "pnrgov/gtas-parsers_pnrSeatFormats.txt": ("PNRGOV", "UA988", 1),
    "pnrgov/gtas-parsers_pnrWithDoco.txt": ("PNRGOV", "UA988", 1),
}


def _read(name: str):  # type: ignore[no-untyped-def]
    return parse_message((DATA / name).read_bytes(), today=TODAY)


def test_every_sample_is_listed() -> None:
    found = {f"{p.parent.name}/{p.name}" for p in DATA.glob("*/*") if p.suffix in (".txt", ".edi")}
    assert found == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_parses_with_expected_travellers(name: str) -> None:
    kind, flight, count = EXPECTED[name]
    manifest = _read(name)
    assert manifest.message_type == kind
    assert manifest.flight == flight
    assert len(manifest.travellers) == count
    assert all(t.surname for t in manifest.travellers)


def test_crew_list_is_told_from_passengers() -> None:
    crew = _read("paxlst/gtas-loader_Test1.txt")
    assert crew.list_type == "crew"
    assert {t.role for t in crew.travellers} == {"crew"}
    passengers = _read("paxlst/gtas-loader_Test3.txt")
    assert passengers.list_type == "passengers"
    assert {t.role for t in passengers.travellers} == {"passenger"}


def test_cnt_mismatch_is_a_warning_and_strict_refuses_it() -> None:
    manifest = _read("paxlst/gtas-loader_Test3.txt")
    assert manifest.declared_count == 206
    assert any("CNT declares 206" in w for w in manifest.warnings)
    with pytest.raises(EdifactError, match="UNT"):
        parse_message((DATA / "paxlst/gtas-loader_Test3.txt").read_bytes(), strict=True)


def test_non_utf8_name_is_read() -> None:
    manifest = _read("paxlst/gtas-loader_Test3.txt")
    assert any(t.surname.startswith("Nov") and len(t.surname) == 5 for t in manifest.travellers)
    assert any("not UTF-8" in w for w in manifest.warnings)


def test_multi_leg_flight() -> None:
    manifest = _read("paxlst/gtas-loader_multiple_flight_leg_apis.txt")
    assert [(leg.designator, leg.origin, leg.destination) for leg in manifest.legs] == [
        ("QQ877", "MIA", "IAD"), ("QQ827", "IAD", "JFK"), ("QQ827", "JFK", "CDG")]
    assert manifest.voyage is manifest.legs[-1]
    assert manifest.legs[0].departure is not None
    assert manifest.legs[0].departure.isoformat() == "2008-07-10T15:00:00"
    barrett = manifest.travellers[0]
    assert (barrett.surname, barrett.given_names, barrett.sex) == ("BARRETT", "TODD", "M")
    assert barrett.birth_date == date(1968, 2, 23)
    assert barrett.documents[0].number == "YY3478621G"
    assert barrett.documents[0].issuing_state == "FRA"
    assert barrett.documents[0].expiry_date == date(2008, 12, 30)
    assert barrett.booking_reference == "GJIO3RT"
    assert any("after UNZ" in w for w in manifest.warnings)


def test_pnr_booking_details() -> None:
    manifest = _read("pnrgov/gtas-parsers_pnrMessage.txt")
    booking = manifest.bookings[0]
    assert booking.record_locator == "MFN4TI"
    assert booking.travel_agency == "52519950:LON"
    assert booking.payment_forms == ["CC"]
    assert any("CTCR" in c for c in booking.contacts)
    assert [(leg.designator, leg.origin, leg.destination) for leg in booking.itinerary] == [
        ("DL324", "LHR", "JFK"), ("DL330", "JFK", "YVR")]
    assert {"15A", "15B", "15E", "15F"} <= set(booking.seats)
    smith = manifest.travellers[0]
    assert (smith.surname, smith.nationality, smith.document_number) == ("SMITHJR", "GBR",
                                                                         "123456789")


def test_pnr_type_b_wraps_and_short_una() -> None:
    manifest = _read("pnrgov/gtas-loader_codeshare.edi")
    names = [(t.surname, t.given_names) for t in manifest.travellers]
    assert names == [("PARK", "SE JOON"), ("KIM", "KONG CHUN")]
    assert [b.record_locator for b in manifest.bookings] == ["2LS6KP", "X49V9U"]
    assert manifest.bookings[0].bags[0].count == 2
    assert manifest.bookings[0].created is not None
    assert any("service string advice" in w for w in manifest.warnings)


def test_pnr_infant_and_its_documents() -> None:
    manifest = _read("pnrgov/gtas-loader_infant.edi")
    by_name = {t.given_names: t for t in manifest.travellers}
    assert set(by_name) == {"ISABELLE RUTH", "SOPHY OLIVIA"}
    infant = by_name["SOPHY OLIVIA"]
    assert infant.infant and infant.sex == "F"
    assert infant.birth_date == date(2012, 9, 20)
    assert infant.document_number == "512731999"


def test_pnr_titles_are_removed_and_visa_kept() -> None:
    manifest = _read("pnrgov/gtas-parsers_pnrWithDoco.txt")
    traveller = manifest.travellers[0]
    assert traveller.given_names == "CHARLES MUHAMMAD"
    assert [d.document_type for d in traveller.documents] == ["P", "V"]
    assert len(manifest.bookings[0].itinerary) == 3


def test_release_character_backslash_and_glued_segments() -> None:
    manifest = _read("pnrgov/gtas-parsers_pnrMessagePg75.txt")
    assert [t.surname for t in manifest.travellers] == ["PARK", "KIM"]
    interchange = read_interchange((DATA / "pnrgov/gtas-parsers_pnrMessagePg75.txt").read_bytes())
    assert interchange.delimiters.release == "\\"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fast_and_careful_tokenizers_agree(name: str) -> None:
    from chegara.passengers.edifact import _read_una, decode, tokenize

    notes: list[str] = []
    text = decode((DATA / name).read_bytes(), notes)
    delimiters, offset = _read_una(text, notes)
    fast_notes: list[str] = []
    careful_notes: list[str] = []
    fast = tokenize(text, delimiters, offset, fast_notes)
    careful = tokenize(text, delimiters, offset, careful_notes, careful=True)
    assert fast == careful
    assert fast_notes == careful_notes
