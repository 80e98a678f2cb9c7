"""Candidate index and scorer: hits, explanations, thresholds, upkeep and serialisation."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chegara.screening import attributes as attrs
from chegara.screening import names as nm
from chegara.screening import translit_tables as tt
from chegara.screening.matcher import (
    DEFAULT_THRESHOLD,
    Query,
    ScreeningIndex,
    ScreeningInputError,
    WatchlistEntry,
    check_entry,
)


def entry(entry_id: str, name: str, **kw: object) -> WatchlistEntry:
    return WatchlistEntry(list_name=str(kw.pop("list_name", "national")), entry_id=entry_id,
                          name=name, **kw)  # type: ignore[arg-type]


@pytest.fixture
def index() -> ScreeningIndex:
    return ScreeningIndex.build(
        [
            entry("T1", "Юсупов Рустам Алишерович", birth_dates=("1985-03-02",),
                  nationalities=("UZ",), gender="M", document_numbers=("AA1234567",)),
            # Close distractors: a brother (same surname and patronymic), a near surname.
            entry("D1", "Юсупов Тимур Алишерович", birth_dates=("1990-07-11",)),
            entry("D2", "Юнусов Рустам Алишерович", birth_dates=("1979-01-20",)),
            entry("T2", "Жақсылықұлы Азамат Жасұланович", nationalities=("KAZ",)),
            entry("T3", "Tokayev Kassym-Jomart", aliases=("Токаев Касым-Жомарт Кемелевич",)),
            entry("T4", "Mirzoyev Khasan Ibrokhim ugli", birth_dates=("1995",)),
        ]
    )


def top(index: ScreeningIndex, name: str, **kw: str) -> list[str]:
    return [h.entry_id for h in index.screen(Query(name, **kw))]


@pytest.mark.parametrize(
    "spelling",
    [
        "Yusupov Rustam",
        "Iusupov Rustam Alisherovich",
        "Jusupov Rustam Ališerovič",
        "Ioussoupov Roustam Alicherovitch",
        "RUSTAM YUSUPOV",
        "YUSUPOV, Rustam Alisherovich",
        "Юсупов Рустам",
        "Yusupov Rustan",  # typo
    ],
)
def test_spellings_hit_the_target_only(index: ScreeningIndex, spelling: str) -> None:
    assert top(index, spelling) == ["T1"]


def test_kazakh_filiation_and_clerk_cyrillic(index: ScreeningIndex) -> None:
    assert top(index, "Zhaksylykuly Azamat Zhasulanovich") == ["T2"]
    assert top(index, "Jaqsylyqūly Azamat") == ["T2"]
    assert top(index, "Жаксылыкулы Азамат") == ["T2"]


def test_patronymic_forms_of_one_father_agree(index: ScreeningIndex) -> None:
    # Russian-style -ovich in the list, Kazakh -uly on the document: same father.
    assert top(index, "Zhaksylykuly Azamat Zhasulanuly") == ["T2"]
    # A different father counts against the entry.
    assert top(index, "Yusupov Rustam Karimovich") == []


def test_hyphenated_given_name_and_alias(index: ScreeningIndex) -> None:
    hits = index.screen(Query("Kasym-Zhomart Kemelevich Tokayev"))
    assert [h.entry_id for h in hits] == ["T3"]
    assert hits[0].explanation.alias_index in (0, 1)
    assert top(index, "TOKAEV KASYM ZHOMART") == ["T3"]


def test_uzbek_filiation_spellings(index: ScreeningIndex) -> None:
    assert top(index, "Mirzoyev Hasan Ibrohim o'g'li") == ["T4"]
    assert top(index, "MIRZOYEV HASAN IBROHIM OGLI") == ["T4"]


def test_sibling_and_father_do_not_hit(index: ScreeningIndex) -> None:
    assert top(index, "Yusupov Bakhtiyor Alisherovich") == []
    # The father: his given name is the target's patronymic stem.
    assert top(index, "Yusupov Alisher Karimovich", birth_date="1958-04-01") == []
    assert top(index, "Yunusova Dilnoza") == []


def test_truncated_mrz_names_hit(index: ScreeningIndex) -> None:
    assert "T1" in top(index, "YUSUPOV R A")
    index.add(entry("T5", "Шоҳмаҳмадзода Парвиз Эмомалиевич"))
    # TD1 name field (30 characters) cut inside the patronymic, '<' read as spaces.
    assert top(index, "SHOHMAHMADZODA PARVIZ EMOMALI") == ["T5"]
    # Without the cut, a different patronymic counts against the entry.
    assert top(index, "SHOHMAHMADZODA PARVIZ RUSTAMOVICH") == []


def test_explanation_says_what_matched_and_why(index: ScreeningIndex) -> None:
    hit = index.screen(
        Query("Iusupov Rustam", birth_date="1985-03-02", nationality="UZB", gender="M")
    )[0]
    ex = hit.explanation
    assert ex.matched_name == "Юсупов Рустам Алишерович"
    pairs = {(a.query_part, a.entry_part): a.level for a in ex.alignment}
    assert pairs == {("Iusupov", "Юсупов"): "exact", ("Rustam", "Рустам"): "exact"}
    assert ex.unmatched_entry_parts == ("Алишерович",)
    labels = [f.label for f in ex.factors]
    assert "birth date exact" in labels
    assert "nationality UZ listed" in labels  # alpha-3 UZB read as UZ
    assert "gender same" in labels
    text = hit.to_json()["explanation"]
    assert "Iusupov->Юсупов exact" in text and "birth date exact (+1.2)" in text
    assert hit.to_json().keys() == {"list", "entry_id", "score", "matched_name", "explanation"}


def test_birth_date_evidence_raises_and_lowers(index: ScreeningIndex) -> None:
    def score(**kw: str) -> float:
        hits = index.screen(Query("Yusupov Rustam", **kw), threshold=0.0)
        return next(h.score for h in hits if h.entry_id == "T1")

    plain = score()
    exact = score(birth_date="1985-03-02")
    swapped = score(birth_date="1985-02-03")
    off_by_one = score(birth_date="1986-03-02")
    conflict = score(birth_date="1960-10-10")
    assert exact > swapped > plain
    assert off_by_one > plain > conflict
    assert conflict < DEFAULT_THRESHOLD < plain


def test_document_number_and_gender(index: ScreeningIndex) -> None:
    hits = index.screen(Query("Yusupov R", document_number="AA 1234567"), threshold=0.0)
    t1 = next(h for h in hits if h.entry_id == "T1")
    assert any(f.label == "document number listed" for f in t1.explanation.factors)
    other = index.screen(Query("Yusupov Rustam", gender="F"), threshold=0.0)
    assert next(h for h in other if h.entry_id == "T1").score < t1.score


def test_threshold_semantics(index: ScreeningIndex) -> None:
    low = index.screen(Query("Yusupov Rustam"), threshold=0.0, limit=10)
    assert all(0.0 < h.score < 1.0 for h in low)
    assert [h.score for h in low] == sorted((h.score for h in low), reverse=True)
    default = index.screen(Query("Yusupov Rustam"))
    assert all(h.score >= DEFAULT_THRESHOLD for h in default)
    assert {h.entry_id for h in default} <= {h.entry_id for h in low}
    assert index.screen(Query("Yusupov Rustam"), threshold=1.0) == []
    with pytest.raises(ScreeningInputError):
        index.screen(Query("Yusupov"), threshold=1.5)


def test_scores_rank_instead_of_piling_up(index: ScreeningIndex) -> None:
    exact = index.screen(Query("Юсупов Рустам Алишерович", birth_date="1985-03-02"))[0].score
    translit = index.screen(Query("Ioussoupov Roustam"))[0].score
    typo = index.screen(Query("Yusupov Rustan"))[0].score
    assert exact > translit > typo
    assert exact < 1.0


def test_lists_filter(index: ScreeningIndex) -> None:
    index.add(entry("U1", "Yusupov Rustam Alisherovich", list_name="un"))
    assert set(top(index, "Yusupov Rustam")) == {"T1", "U1"}
    assert [h.entry_id for h in index.screen(Query("Yusupov Rustam"), lists=["un"])] == ["U1"]


def test_incremental_add_replace_remove(index: ScreeningIndex) -> None:
    assert top(index, "Karimova Dilnoza") == []
    index.add(entry("N1", "Каримова Дилноза Бахтияровна"))
    assert top(index, "Karimova Dilnoza") == ["N1"]
    # Replacing an entry (same list and id) drops its old name.
    index.add(entry("N1", "Рахимова Дилноза"))
    assert top(index, "Karimova Dilnoza") == []
    assert top(index, "Rakhimova Dilnoza") == ["N1"]
    assert index.remove("national", "N1")
    assert not index.remove("national", "N1")
    assert top(index, "Rakhimova Dilnoza") == []
    assert len(index) == 6
    # Freed name slots are reused.
    index.add(entry("N2", "Рахимова Дилноза"))
    assert top(index, "Rakhimova Dilnoza") == ["N2"]


def test_serialisation_round_trip(index: ScreeningIndex) -> None:
    index.remove("national", "D2")
    copy = ScreeningIndex.from_bytes(index.to_bytes())
    assert len(copy) == len(index)
    for q in ("Yusupov Rustam", "Yunusov Rustam", "Mirzoev Khasan", "YUSUPOV R A"):
        assert [h.to_json() for h in copy.screen(Query(q))] == [
            h.to_json() for h in index.screen(Query(q))
        ]
    copy.add(entry("N3", "Ахмедов Бахром"))
    assert top(copy, "Akhmedov Bakhrom") == ["N3"]
    with pytest.raises(ValueError, match="format"):
        ScreeningIndex.from_bytes(b"\x80\x05K\x00.")


def test_bad_input_is_a_clear_error(index: ScreeningIndex) -> None:
    with pytest.raises(ScreeningInputError, match="no letters"):
        index.screen(Query("12345 --"))
    with pytest.raises(ScreeningInputError, match="birth date"):
        index.screen(Query("Yusupov Rustam", birth_date="1985-13-45"))
    with pytest.raises(ScreeningInputError, match="nationality"):
        index.screen(Query("Yusupov Rustam", nationality="XYZW"))
    with pytest.raises(ScreeningInputError, match="300"):
        index.screen(Query("Yusupov " * 60))
    with pytest.raises(ScreeningInputError, match="E9"):
        check_entry(entry("E9", "Yusupov", birth_dates=("someday",)))
    with pytest.raises(ScreeningInputError):
        index.add(entry("E8", "..."))


def test_birth_date_forms() -> None:
    assert attrs.parse_birth_date("1985") == attrs.BirthDate(1985, 1985)
    assert attrs.parse_birth_date("1980..1985") == attrs.BirthDate(1980, 1985)
    assert attrs.parse_birth_date("02.03.1985") == attrs.BirthDate(1985, 1985, 3, 2)
    full = attrs.parse_birth_date("1985-03-02")
    assert full is not None
    assert attrs.compare_birth_dates(full, attrs.BirthDate(1980, 1989)) == attrs.DOB_IN_RANGE
    assert attrs.compare_birth_dates(full, attrs.BirthDate(1984, 1984)) == attrs.DOB_NEAR_YEAR
    assert attrs.normalise_nationality("D") == "DE"
    assert attrs.normalise_nationality("kgz") == "KG"


_syllable = st.tuples(
    st.sampled_from("бвгдзклмнпрстфхчшқғҳ"), st.sampled_from("аеиоуәөүұ")
).map("".join)
_word = st.lists(_syllable, min_size=2, max_size=3).map("".join).map(str.capitalize)


@settings(max_examples=60, deadline=None)
@given(
    surname=_word, given_name=_word, scheme=st.sampled_from(sorted(tt.SCHEMES)),
    surname_first=st.booleans(),
)
def test_an_entry_is_found_under_any_scheme_and_order(
    surname: str, given_name: str, scheme: str, surname_first: bool
) -> None:
    assume(surname != given_name)
    listed = entry("P1", f"{surname}ов {given_name}")
    index = ScreeningIndex.build([listed, entry("P2", "Юсупов Рустам")])
    parts = [nm.transliterate(f"{surname}ов", scheme), nm.transliterate(given_name, scheme)]
    spelled = " ".join(parts if surname_first else parts[::-1])
    assert "P1" in top(index, spelled), (listed.name, spelled)
