"""Broken EDIFACT: refused with the segment named; quirks tolerated with a warning."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chegara.passengers.edifact import EdifactError, read_interchange
from chegara.passengers.manifest import Leg, Manifest, TravelDocument, Traveller
from chegara.passengers.paxlst_compose import compose_paxlst
from chegara.passengers.reader import parse_message

TODAY = date(2026, 11, 22)


def _manifest(names: list[tuple[str, str]]) -> Manifest:
    leg = Leg(carrier="KC", number="KC109", origin="ALA", destination="FRU",
              departure=datetime(2026, 11, 23, 8, 0), arrival=datetime(2026, 11, 23, 9, 10))
    travellers = [
        Traveller(surname=s, given_names=g, birth_date=date(1990, 1, 2), sex="F",
                  nationality="KAZ",
                  documents=[TravelDocument("P", f"N{i:07d}", "KAZ", date(2030, 1, 1))])
        for i, (s, g) in enumerate(names)
    ]
    return Manifest(message_type="PAXLST", legs=[leg], travellers=travellers,
                    list_type="passengers")


GOOD = compose_paxlst(_manifest([("ABDULLAEVA", "AIGUL"), ("O'BRIEN", "SEAN"),
                                 ("SMITH+JONES", "ANNA:MARIA")]))


def test_composed_message_reads_back_with_released_characters() -> None:
    manifest = parse_message(GOOD, today=TODAY)
    assert [t.surname for t in manifest.travellers] == ["ABDULLAEVA", "O'BRIEN", "SMITH+JONES"]
    assert manifest.travellers[2].given_names == "ANNA:MARIA"
    assert manifest.flight == "KC109"
    assert manifest.warnings == []


def _break(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "segment"),
    [
        (GOOD[: GOOD.index("CNT+")], "UNH"),  # truncated: message never closed
        (_break("UNT+", "UNH+2+PAXLST:D:05B:UN:IATA'\nUNT+"), "UNH"),  # UNH inside a message
        (_break("UNE+1+1'", "UNE+1+1'\nBGM+745'"), "BGM"),  # segment outside a message
        (_break("BGM+745'", "BG M+745'"), "BG M"),  # tag is not three letters
        (_break("UNT+", "UNT+x").replace("UNT+x", "UNT+").replace("+1'\nUNE", "+9'\nUNE"),
         "UNT"),  # UNT reference names another message
        (_break("UNH+1+PAXLST", "UNH+1+CUSRES"), "UNH"),  # not a passenger message
        (GOOD[: GOOD.index("UNZ")], "UNE"),  # interchange never closed
        (_break("UNH+", "UNT+2+1'\nUNH+"), "UNT"),  # UNT without UNH
        ("HELLO+WORLD'", "HELLO"),
    ],
)
def test_broken_structure_names_the_segment(text: str, segment: str) -> None:
    with pytest.raises(EdifactError) as caught:
        parse_message(text, today=TODAY)
    assert caught.value.segment == segment
    assert f"segment {segment}" in str(caught.value)


def test_empty_input_is_refused() -> None:
    with pytest.raises(EdifactError):
        parse_message("  \n", today=TODAY)


def test_cnt_mismatch_warns_or_refuses_when_strict() -> None:
    text = _break("CNT+42:3", "CNT+42:4")
    assert any("CNT declares 4" in w for w in parse_message(text, today=TODAY).warnings)
    with pytest.raises(EdifactError) as caught:
        parse_message(text, today=TODAY, strict=True)
    assert caught.value.segment == "CNT"


def test_quirks_are_tolerated_with_warnings() -> None:
    quirky = ("  " + GOOD.replace("'\n", "'  \r\n ").replace("NAD+FL", "NAD +FL")
              .replace("UNZ+1+1'", "UNZ+1+1") + "\ntrailing words")
    manifest = parse_message(quirky, today=TODAY)
    assert len(manifest.travellers) == 3
    assert any("after UNZ" in w for w in manifest.warnings)


def test_default_separators_without_una_and_missing_terminator_before_new_line() -> None:
    text = GOOD.split("'", 1)[1].lstrip()  # drop UNA
    text = text.replace("NAT+2+KAZ'\n", "NAT+2+KAZ\n", 1)
    manifest = parse_message(text, today=TODAY)
    assert manifest.travellers[0].nationality == "KAZ"
    assert any("no terminator" in w for w in manifest.warnings)


def test_other_una_delimiters() -> None:
    custom = GOOD.replace("UNA:+.? '", "UNA|*.\\ ~").replace("'", "~").replace("+", "*")
    custom = custom.replace(":", "|").replace("?~", "\\~").replace("?*", "\\*")
    custom = custom.replace("?|", "\\|").replace("O\\~BRIEN", "O'BRIEN")
    manifest = parse_message(custom, today=TODAY)
    assert [t.surname for t in manifest.travellers][1] == "O'BRIEN"


names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ '+:?-", min_size=1, max_size=20).map(
    lambda s: " ".join(s.split())).filter(bool)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(names, names), min_size=1, max_size=8))
def test_any_names_round_trip_through_edifact(pairs: list[tuple[str, str]]) -> None:
    pairs = [(s.replace(" ", "-"), g) for s, g in pairs]
    manifest = parse_message(compose_paxlst(_manifest(pairs)), today=TODAY)
    assert [(t.surname, t.given_names) for t in manifest.travellers] == pairs
    assert read_interchange(compose_paxlst(_manifest(pairs))).messages[0].message_type == "PAXLST"


def test_list_split_over_two_messages_is_one_voyage() -> None:
    first = compose_paxlst(_manifest([("ALIEVA", "ZARINA")]), reference="1")
    second = compose_paxlst(_manifest([("TOKTOGULOV", "ERMEK")]), reference="2")
    body_two = second[second.index("UNH+") : second.index("UNE+")]
    joined = first.replace("UNE+1+1'", body_two + "UNE+2+1'")
    manifest = parse_message(joined, today=TODAY)
    assert [t.surname for t in manifest.travellers] == ["ALIEVA", "TOKTOGULOV"]
    assert len(manifest.legs) == 1
    assert manifest.warnings == []


def test_message_without_envelope_is_refused_naming_the_segment(tmp_path: Path) -> None:
    from chegara.passengers.reader import read_manifest_file

    path = tmp_path / "bare.txt"
    path.write_text(GOOD[GOOD.index("BGM+") :])
    with pytest.raises(EdifactError) as caught:
        read_manifest_file(path)
    assert caught.value.segment == "BGM"


def test_blank_inside_unt_reference_is_a_warning_not_a_mismatch() -> None:
    text = GOOD.replace("UNH+1+", "UNH+1402111800+").replace("UNT+", "UNT+X").replace(
        "+1'\nUNE", "+140211180 0'\nUNE")
    text = text.replace("UNT+X", "UNT+")
    manifest = parse_message(text, today=TODAY)
    assert any("blanks inside the reference" in w for w in manifest.warnings)


edifact_like = st.lists(st.sampled_from(["UNA:+.? '", "UNB+UNOA:4+A+B+1+1'", "UNH+1+PAXLST'",
                                         "UNH+1+PNRGOV:11:1:IA'", "BGM+745'", "NAD+FL+++A:B'",
                                         "TIF+A+B:A:1'", "SRC'", "SSR+DOCS:HK::::::::/P/X/1'",
                                         "UNT+3+1'", "UNZ+1+1'", "CNT+42:1'", "?", "'", "+", ":",
                                         "\n", " ", "TDT+20+X1'", "DTM+329:991399'", "UNG+X'",
                                         "UNE+1+1'", "\u2019"]), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(edifact_like, st.text(max_size=200)))
def test_any_input_parses_or_raises_edifact_error(text: str) -> None:
    try:
        manifest = parse_message(text, today=TODAY)
    except EdifactError as exc:
        assert str(exc)
    else:
        assert manifest.message_type in ("PAXLST", "PNRGOV")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(names, names), min_size=1, max_size=5),
       st.sampled_from(["", "  ", "\n", "\r\n ", "'''"]))
def test_fast_and_careful_tokenizers_agree_on_released_text(pairs: list[tuple[str, str]],
                                                            gap: str) -> None:
    from chegara.passengers.edifact import Delimiters, tokenize

    text = compose_paxlst(_manifest([(s.replace(" ", "-"), g) for s, g in pairs]))
    text = text.replace("'\n", "'" + gap)
    offset = len("UNA:+.? '")
    fast_notes: list[str] = []
    careful_notes: list[str] = []
    fast = tokenize(text, Delimiters(), offset, fast_notes)
    careful = tokenize(text, Delimiters(), offset, careful_notes, careful=True)
    assert fast == careful
    assert fast_notes == careful_notes


def test_crew_member_in_a_passenger_list_is_kept_as_crew_with_a_warning() -> None:
    text = GOOD.replace("NAD+FL+++ABDULLAEVA", "NAD+FM+++ABDULLAEVA")
    manifest = parse_message(text, today=TODAY)
    assert [t.role for t in manifest.travellers] == ["crew", "passenger", "passenger"]
    assert sum("in a passengers list" in w for w in manifest.warnings) == 1
