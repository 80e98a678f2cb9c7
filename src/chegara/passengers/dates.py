"""Dates in passenger messages: EDIFACT DTM format codes, APIS ``DDMMMYY`` and two-digit years.

A birth date with a two-digit year is put in the latest century that keeps it on or before the
reference day (the flight, else today); other dates take the century nearest the reference day.
"""

from __future__ import annotations

from datetime import date, datetime

from chegara.documents.mrz import date_from_two_digit_year

_MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)}


def parse_day(text: str, reference: date, birth: bool = False) -> date | None:
    """``YYMMDD``, ``CCYYMMDD``, ``DDMMMYY``, ``DDMMMCCYY`` or ``DDMMYY`` as a date, else None."""
    text = text.strip().upper().replace(" ", "")
    try:
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        if len(text) == 6 and text.isdigit():
            return date_from_two_digit_year(int(text[:2]), int(text[2:4]), int(text[4:6]),
                                            reference, birth=birth)
        if len(text) in (7, 9) and text[2:5] in _MONTHS and text[:2].isdigit():
            month, day, year = _MONTHS[text[2:5]], int(text[:2]), text[5:]
            if not year.isdigit():
                return None
            if len(year) == 4:
                return date(int(year), month, day)
            return date_from_two_digit_year(int(year), month, day, reference, birth=birth)
    except ValueError:
        return None
    return None


def parse_dtm(value: str, format_code: str, reference: date) -> datetime | None:
    """A DTM value by its format code (101, 102, 201, 203, 204); unknown codes by length."""
    text = value.strip()
    if not text.isdigit():
        return None
    try:
        if format_code == "203" or (not format_code and len(text) == 12):
            return datetime.strptime(text, "%Y%m%d%H%M")
        if format_code == "201" or (not format_code and len(text) == 10):
            day = parse_day(text[:6], reference)
            if day is None:
                return None
            return datetime(day.year, day.month, day.day, int(text[6:8]), int(text[8:10]))
        if format_code == "204" and len(text) == 14:
            return datetime.strptime(text, "%Y%m%d%H%M%S")
        day = parse_day(text[:8] if format_code == "102" else text, reference)
        return datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        return None


def parse_day_time(day_text: str, time_text: str, reference: date) -> datetime | None:
    """PNRGOV ``DDMMYY`` + ``HHMM`` (TVL, RCI, DAT) as a datetime."""
    day_text = day_text.strip()
    if len(day_text) != 6 or not day_text.isdigit():
        return None
    # PNR dates are day-first, unlike EDIFACT DTM.
    reordered = day_text[4:6] + day_text[2:4] + day_text[0:2]
    day = parse_day(reordered, reference)
    if day is None:
        return None
    time_text = time_text.strip()
    hour, minute = 0, 0
    if len(time_text) == 4 and time_text.isdigit():
        hour, minute = int(time_text[:2]), int(time_text[2:])
        if hour > 23 or minute > 59:
            hour, minute = 0, 0
    return datetime(day.year, day.month, day.day, hour, minute)
