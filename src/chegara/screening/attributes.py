"""Dates of birth, nationalities, gender and document numbers as screening evidence.

Watchlists give dates of birth in full, as a year, or as a range; travellers' records carry a
birth date with clerical slips (year off by one, day and month swapped when one side writes
DD.MM and the other MM/DD).  Nationalities come as ISO 3166 alpha-2 from national lists and as
ICAO alpha-3 from the MRZ, so both are reduced to alpha-2 with the code table in ``data/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from chegara import messages

_DATE = re.compile(r"^\s*(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$")
_RANGE = re.compile(r"^\s*(\d{4})\s*(?:\.\.|–|/|-|to)\s*(\d{4})\s*$")


class InvalidAttributeError(ValueError):
    """A birth date, nationality or gender that cannot be read."""


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A full date (year, month, day), a year only, or a range of years."""

    year_from: int
    year_to: int
    month: int | None = None
    day: int | None = None

    @property
    def is_full(self) -> bool:
        return self.month is not None and self.day is not None and self.year_from == self.year_to

    def __str__(self) -> str:
        if self.is_full:
            return f"{self.year_from:04d}-{self.month:02d}-{self.day:02d}"
        if self.year_from == self.year_to:
            return f"{self.year_from:04d}"
        return f"{self.year_from:04d}..{self.year_to:04d}"


def parse_birth_date(text: str | None) -> BirthDate | None:
    """Read ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``DD.MM.YYYY`` or a range ``YYYY..YYYY``."""
    if text is None or not text.strip():
        return None
    m = _RANGE.match(text)
    if m and not _DATE.match(text):
        lo, hi = sorted((int(m.group(1)), int(m.group(2))))
        return BirthDate(lo, hi)
    m = _DATE.match(text)
    if m:
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
    else:
        m = _DMY.match(text)
        if not m:
            raise InvalidAttributeError(messages.UNREADABLE_BIRTH_DATE.format(text=text))
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if month is not None and not 1 <= month <= 12:
        raise InvalidAttributeError(messages.BIRTH_MONTH_OUT_OF_RANGE.format(text=text,
                                                                            month=month))
    if day is not None and not 1 <= day <= 31:
        raise InvalidAttributeError(messages.BIRTH_DAY_OUT_OF_RANGE.format(text=text, day=day))
    if not 1850 <= year <= 2200:
        raise InvalidAttributeError(messages.BIRTH_YEAR_OUT_OF_RANGE.format(text=text,
                                                                           year=year))
    return BirthDate(year, year, month, None if month is None else day)


# Outcome names of a birth-date comparison, in the words of the explanation.
DOB_EXACT: Final = "exact"
DOB_YEAR: Final = "same year (one side year only)"
DOB_IN_RANGE: Final = "within the listed range"
DOB_SWAPPED: Final = "day and month swapped"
DOB_YEAR_OFF: Final = "year off by one, same day and month"
DOB_SAME_YEAR_OTHER_DAY: Final = "same year, other day"
DOB_NEAR_YEAR: Final = "year off by one"
DOB_CONFLICT: Final = "conflict"


def compare_birth_dates(query: BirthDate, entry: BirthDate) -> str:
    """How a traveller's birth date relates to a listed one."""
    if query.is_full and entry.is_full:
        if (query.year_from, query.month, query.day) == (entry.year_from, entry.month, entry.day):
            return DOB_EXACT
        if query.year_from == entry.year_from:
            if (query.month, query.day) == (entry.day, entry.month):
                return DOB_SWAPPED
            return DOB_SAME_YEAR_OTHER_DAY
        if abs(query.year_from - entry.year_from) == 1:
            if (query.month, query.day) == (entry.month, entry.day):
                return DOB_YEAR_OFF
            return DOB_NEAR_YEAR
        return DOB_CONFLICT
    if query.year_from == query.year_to and entry.year_from == entry.year_to:
        if query.year_from == entry.year_from:
            return DOB_YEAR
        if abs(query.year_from - entry.year_from) == 1:
            return DOB_NEAR_YEAR
        return DOB_CONFLICT
    if query.year_to >= entry.year_from and query.year_from <= entry.year_to:
        return DOB_IN_RANGE
    gap = min(abs(query.year_from - entry.year_to), abs(entry.year_from - query.year_to))
    return DOB_NEAR_YEAR if gap == 1 else DOB_CONFLICT


@lru_cache(maxsize=1)
def _alpha3_to_alpha2() -> dict[str, str]:
    table: dict[str, str] = {}
    path = Path(__file__).with_name("data") / "country_codes.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        alpha3, alpha2 = line.split("\t")
        table[alpha3] = alpha2
    return table


def normalise_nationality(code: str | None) -> str | None:
    """ISO alpha-2 for an alpha-2, ISO alpha-3 or ICAO code (``KAZ`` and ``KZ`` -> ``KZ``)."""
    if code is None:
        return None
    c = code.strip().upper()
    if not c:
        return None
    if len(c) == 2 and c.isalpha():
        return c
    mapped = _alpha3_to_alpha2().get(c)
    if mapped is None:
        raise InvalidAttributeError(messages.UNKNOWN_NATIONALITY_CODE.format(code=code))
    return mapped


def normalise_gender(value: str | None) -> str | None:
    """``M``, ``F`` or None (unknown); ICAO ``X`` and ``<`` count as unknown."""
    if value is None:
        return None
    v = value.strip().upper()
    if v in ("", "X", "<", "U", "UNKNOWN"):
        return None
    if v in ("M", "MALE", "М"):
        return "M"
    if v in ("F", "FEMALE", "W", "Ж"):
        return "F"
    raise InvalidAttributeError(messages.UNKNOWN_GENDER.format(value=value))


def normalise_document_number(value: str | None) -> str | None:
    """Letters and digits only, upper case (MRZ fillers and spaces dropped)."""
    if value is None:
        return None
    v = "".join(c for c in value.upper() if c.isalnum())
    return v or None
