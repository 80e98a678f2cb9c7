"""Machine readable zone checks to the letter of ICAO Doc 9303 (8th edition, 2021).

A first-line officer needs to know two different things about an MRZ: does it conform (layout,
characters, every check digit, real dates, known state codes), and is the document usable today
(expiry). Conformance failures are *errors*; expiry, specimen codes and deviations that real
issuers produce but that do not break the check-digit arithmetic are *warnings*, never silent.

Formats: TD1 (3 x 30, identity cards), TD2 (2 x 36), TD3 (2 x 44, passports), MRV-A (2 x 44)
and MRV-B (2 x 36) visas. Long document numbers of TD1 and TD2 (a ``<`` at the check-digit
position, the rest of the number and its check digit at the start of the optional data) are
reassembled. Two-digit years are resolved against ``today``: a birth date is never in the
future; an expiry date takes the century that puts it nearest to today.

This module has no database or web imports so that it can be tested and benchmarked alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat

from chegara import messages
from chegara.documents.codes import CodeKind, lookup_state

FILLER = "<"
MRZ_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_WEIGHTS = (7, 3, 1)
# Doc 9303 Part 3 §4.9: digits keep their value, A..Z are 10..35, the filler counts as 0.
_VALUES: dict[str, int] = {c: i for i, c in enumerate("0123456789")}
_VALUES.update({c: 10 + i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")})
_VALUES[FILLER] = 0
_WEIGHTED = tuple({c: v * w for c, v in _VALUES.items()} for w in _WEIGHTS)
_MRZ_LINE = re.compile(r"[A-Z0-9<]*")
_DIGIT = re.compile(r"[0-9]")

# Pairs that OCR engines and tired eyes confuse most often on OCR-B.
OCR_CONFUSIONS: dict[str, str] = {
    "0": "O", "O": "0", "1": "I", "I": "1", "8": "B", "B": "8",
    "5": "S", "S": "5", "2": "Z", "Z": "2", "6": "G", "G": "6",
}  # fmt: skip

FORMATS = ("TD1", "TD2", "TD3", "MRVA", "MRVB")


def check_digit(data: str) -> str:
    """The Doc 9303 check digit (weights 7-3-1, modulo 10) of ``data``.

    Characters outside the MRZ alphabet count as 0 so that a damaged MRZ still yields a
    comparison; the character error itself is reported separately.
    """
    # Three slices, one per weight, summed by map() in C: check digits are most of the work.
    total = (sum(map(_WEIGHTED[0].get, data[0::3], repeat(0)))
             + sum(map(_WEIGHTED[1].get, data[1::3], repeat(0)))
             + sum(map(_WEIGHTED[2].get, data[2::3], repeat(0))))  # fmt: skip
    return str(total % 10)


@dataclass(frozen=True)
class MrzIssue:
    """One finding about an MRZ: the field it concerns, a stable code, and words for people."""

    field: str
    code: str
    message: str
    suggestions: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}"
        if self.suggestions:
            text += " (possible OCR confusion: " + "; ".join(self.suggestions) + ")"
        return text


@dataclass
class MrzCheck:
    """Everything read from one MRZ and everything found wrong with it."""

    format: str
    lines: tuple[str, ...]
    document_code: str | None = None
    issuing_state: str | None = None
    document_number: str | None = None
    nationality: str | None = None
    surname: str | None = None
    given_names: str | None = None
    name_truncated: bool = False
    birth_date: date | None = None
    expiry_date: date | None = None
    sex: str | None = None
    optional_data: str | None = None
    optional_data_2: str | None = None
    errors: list[MrzIssue] = field(default_factory=list)
    warnings: list[MrzIssue] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when the MRZ conforms to Doc 9303; expiry does not count."""
        return self.format != "unknown" and not self.errors

    def error(self, field_name: str, code: str, message: str, *suggestions: str) -> None:
        self.errors.append(MrzIssue(field_name, code, message, tuple(suggestions)))

    def warn(self, field_name: str, code: str, message: str) -> None:
        self.warnings.append(MrzIssue(field_name, code, message))

    def fields(self) -> dict[str, str | None]:
        """The person and document fields in the output convention of ``chegara mrz check``."""
        return {
            "document_number": self.document_number,
            "issuing_state": self.issuing_state,
            "nationality": self.nationality,
            "surname": self.surname,
            "given_names": self.given_names,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
            "sex": self.sex,
        }

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict: valid, format, fields, errors and warnings as strings."""
        return {
            "valid": self.valid,
            "format": self.format,
            "fields": self.fields(),
            "optional_data": self.optional_data,
            "optional_data_2": self.optional_data_2,
            "errors": [str(e) for e in self.errors],
            "warnings": [str(w) for w in self.warnings],
        }


# A position in the MRZ: (line index, start, end) with end exclusive.
Span = tuple[int, int, int]


@dataclass(frozen=True)
class _Layout:
    name: str
    line_count: int
    width: int
    code_letters: str
    name_span: Span
    number: Span
    number_cd: Span
    nationality: Span
    birth: Span
    birth_cd: Span
    sex: Span
    expiry: Span
    expiry_cd: Span
    optional: Span
    optional_cd: Span | None
    optional_2: Span | None
    composite: Span | None
    composite_parts: tuple[Span, ...]
    long_numbers: bool


_LAYOUTS: dict[str, _Layout] = {
    "TD1": _Layout(
        "TD1", 3, 30, "ACI", (2, 0, 30), (0, 5, 14), (0, 14, 15), (1, 15, 18), (1, 0, 6),
        (1, 6, 7), (1, 7, 8), (1, 8, 14), (1, 14, 15), (0, 15, 30), None, (1, 18, 29),
        (1, 29, 30), ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)), True,
    ),
    "TD2": _Layout(
        "TD2", 2, 36, "ACI", (0, 5, 36), (1, 0, 9), (1, 9, 10), (1, 10, 13), (1, 13, 19),
        (1, 19, 20), (1, 20, 21), (1, 21, 27), (1, 27, 28), (1, 28, 35), None, None,
        (1, 35, 36), ((1, 0, 10), (1, 13, 20), (1, 21, 35)), True,
    ),
    "TD3": _Layout(
        "TD3", 2, 44, "P", (0, 5, 44), (1, 0, 9), (1, 9, 10), (1, 10, 13), (1, 13, 19),
        (1, 19, 20), (1, 20, 21), (1, 21, 27), (1, 27, 28), (1, 28, 42), (1, 42, 43), None,
        (1, 43, 44), ((1, 0, 10), (1, 13, 20), (1, 21, 43)), False,
    ),
    "MRVA": _Layout(
        "MRVA", 2, 44, "V", (0, 5, 44), (1, 0, 9), (1, 9, 10), (1, 10, 13), (1, 13, 19),
        (1, 19, 20), (1, 20, 21), (1, 21, 27), (1, 27, 28), (1, 28, 44), None, None, None, (),
        False,
    ),
    "MRVB": _Layout(
        "MRVB", 2, 36, "V", (0, 5, 36), (1, 0, 9), (1, 9, 10), (1, 10, 13), (1, 13, 19),
        (1, 19, 20), (1, 20, 21), (1, 21, 27), (1, 27, 28), (1, 28, 36), None, None, None, (),
        False,
    ),
}  # fmt: skip


def _cut(lines: tuple[str, ...], span: Span) -> str:
    line, start, end = span
    return lines[line][start:end]


def split_mrz_lines(text: str) -> tuple[list[str], list[MrzIssue]]:
    """The MRZ lines of ``text``, tolerant of blanks, CR and an MRZ given on one line."""
    notes: list[MrzIssue] = []
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    if any(" " in ln for ln in lines):
        # OCR engines and copy-paste insert blanks; an MRZ never holds one.
        lines = [ln.replace(" ", "") for ln in lines]
        notes.append(MrzIssue("layout", "blanks_removed", messages.MRZ_BLANKS_REMOVED.text))
    if len(lines) == 1:
        whole = lines[0]
        for count, width in ((3, 30), (2, 44), (2, 36)):
            if len(whole) == count * width:
                lines = [whole[i * width : (i + 1) * width] for i in range(count)]
                message = messages.MRZ_ON_ONE_LINE.format(count=count, width=width)
                notes.append(MrzIssue("layout", "one_line", message))
                break
    return lines, notes


def detect_format(lines: list[str]) -> str:
    """TD1, TD2, TD3, MRVA, MRVB from the line count, width and first letter, else 'unknown'."""
    widths = {len(ln) for ln in lines}
    if len(widths) != 1:
        return "unknown"
    width = widths.pop()
    is_visa = lines[0][:1] == "V"
    if len(lines) == 3 and width == 30:
        return "TD1"
    if len(lines) == 2 and width == 44:
        return "MRVA" if is_visa else "TD3"
    if len(lines) == 2 and width == 36:
        return "MRVB" if is_visa else "TD2"
    return "unknown"


def check_mrz(text: str, today: date | None = None, issue_date: date | None = None) -> MrzCheck:
    """Parse and validate one MRZ (lines separated by newlines) against Doc 9303.

    ``today`` fixes the reference day (birth and expiry centuries, expiry warning);
    ``issue_date`` (printed in the visual zone, absent from the MRZ) flags a document that is
    not yet valid.
    """
    today = today or date.today()
    lines, notes = split_mrz_lines(text)
    fmt = detect_format(lines)
    result = MrzCheck(format=fmt, lines=tuple(lines))
    result.warnings.extend(notes)
    if fmt == "unknown":
        shape = " x ".join(str(len(ln)) for ln in lines) or messages.NOTHING
        result.error("layout", "unknown_format",
                     messages.MRZ_UNKNOWN_FORMAT.format(count=len(lines), shape=shape))
        return result
    _check_characters(result)
    layout = _LAYOUTS[fmt]
    _read_document_code(result, layout)
    result.issuing_state = _read_state(result, "issuing_state", _cut(result.lines, (0, 2, 5)))
    _read_name(result, _cut(result.lines, layout.name_span))
    _read_document_number(result, layout)
    result.nationality = _read_state(result, "nationality", _cut(result.lines, layout.nationality))
    result.birth_date = _read_date(result, layout, "birth_date", today)
    result.expiry_date = _read_date(result, layout, "expiry_date", today)
    _read_sex(result, _cut(result.lines, layout.sex))
    _check_optional_data(result, layout)
    _check_composite(result, layout)
    _check_dates_in_time(result, today)
    if issue_date is not None and issue_date > today:
        result.warn("issue_date", "not_yet_valid",
                    messages.MRZ_NOT_YET_VALID.format(day=issue_date.isoformat()))
    return result


def _check_characters(result: MrzCheck) -> None:
    for number, line in enumerate(result.lines, start=1):
        if _MRZ_LINE.fullmatch(line):
            continue
        bad = sorted({c for c in line if c not in MRZ_ALPHABET})
        if bad:
            result.error("characters", "bad_character", messages.MRZ_BAD_CHARACTERS.format(
                line=number, characters="".join(bad)))


def _read_document_code(result: MrzCheck, layout: _Layout) -> None:
    code = result.lines[0][:2]
    result.document_code = code.rstrip(FILLER)
    if code[0] not in layout.code_letters:
        allowed = " or ".join(layout.code_letters)
        result.error("document_code", "document_code", messages.MRZ_DOCUMENT_CODE_LETTER.format(
            format=layout.name, allowed=allowed, found=code[0]))
    # Doc 9303 Part 5 and Part 6, note k: V never second; AI never on a TD1; AC only on a TD1
    # crew member certificate.
    if layout.name in ("TD1", "TD2") and code[1] == "V":
        result.error("document_code", "document_code", messages.MRZ_V_SECOND.text)
    elif code == "AI" and layout.name == "TD1":
        result.error("document_code", "document_code", messages.MRZ_AI_ON_TD1.text)
    elif code == "AC" and layout.name == "TD2":
        result.error("document_code", "document_code", messages.MRZ_AC_ON_TD2.text)
    elif code == "AC":
        result.warn("document_code", "crew_certificate", messages.MRZ_CREW_CERTIFICATE.text)


def _read_state(result: MrzCheck, field_name: str, raw: str) -> str:
    code = raw.rstrip(FILLER)
    if not code or not code.isalpha() or not code.isascii() or FILLER in code:
        result.error(field_name, "state_code", messages.MRZ_NOT_A_STATE_CODE.format(raw=raw))
        return code
    entry = lookup_state(code)
    if entry is None:
        result.error(field_name, "state_code", messages.MRZ_UNKNOWN_STATE.format(code=code))
    elif entry.kind is CodeKind.SPECIMEN:
        result.warn(field_name, "specimen_state", messages.MRZ_SPECIMEN_STATE.format(code=code))
    elif entry.kind is CodeKind.LEGACY:
        result.warn(field_name, "legacy_state",
                    messages.MRZ_LEGACY_STATE.format(code=code, name=entry.name))
    elif code == "DEU":
        result.warn(field_name, "state_code", messages.MRZ_GERMANY_AS_DEU.text)
    return code


def _read_name(result: MrzCheck, raw: str) -> None:
    if raw.startswith(FILLER):
        result.error("name", "name", messages.MRZ_NAME_STARTS_WITH_FILLER.text)
    if _DIGIT.search(raw):
        result.error("name", "name", messages.MRZ_NAME_DIGITS.text)
    # A name that fills the field to the last position may have been cut by the issuer.
    result.name_truncated = not raw.endswith(FILLER)
    if result.name_truncated:
        result.warn("name", "name_truncated", messages.MRZ_NAME_TRUNCATED.text)
    body = raw.rstrip(FILLER)
    primary, _, secondary = body.partition("<<")
    if "<<<" in body or "<<" in secondary:
        result.warn("name", "name_fillers", messages.MRZ_NAME_FILLERS.text)
    result.surname = " ".join(p for p in primary.split(FILLER) if p)
    result.given_names = " ".join(p for p in secondary.split(FILLER) if p)


def ocr_suggestions(data: str, digit: str, numeric: bool) -> list[str]:
    """Single OCR-confusion substitutions in ``data`` or ``digit`` that make the check pass.

    In a numeric field (dates, check digits) only a letter read for a digit is plausible; in an
    alphanumeric field both directions are.
    """
    found: list[str] = []
    text = data + digit
    for pos, char in enumerate(text):
        other = OCR_CONFUSIONS.get(char)
        if other is None:
            continue
        is_digit_position = numeric or pos == len(data)
        if is_digit_position and not other.isdigit():
            continue
        changed = text[:pos] + other + text[pos + 1 :]
        new_data, new_digit = changed[:-1], changed[-1]
        if new_digit.isdigit() and check_digit(new_data) == new_digit:
            found.append(messages.MRZ_OCR_READING.format(found=char, position=pos + 1,
                                                         other=other, changed=changed))
    return found


def _verify(
    result: MrzCheck, field_name: str, code: str, data: str, digit: str, numeric: bool
) -> bool:
    """Check ``digit`` against ``data``; an error with OCR suggestions when it fails."""
    expected = check_digit(data)
    if digit == expected:
        return True
    hints = ocr_suggestions(data, digit, numeric)
    if not digit.isdigit():
        message = messages.MRZ_CHECK_DIGIT_NOT_A_DIGIT.format(digit=digit, code=code,
                                                              expected=expected)
    else:
        message = messages.MRZ_CHECK_DIGIT_MISMATCH.format(digit=digit, code=code,
                                                           expected=expected)
    result.error(field_name, code, message, *hints)
    return False


def _read_document_number(result: MrzCheck, layout: _Layout) -> None:
    raw = _cut(result.lines, layout.number)
    digit = _cut(result.lines, layout.number_cd)
    optional = _cut(result.lines, layout.optional)
    if digit == FILLER and FILLER not in raw and layout.long_numbers:
        _read_long_number(result, layout, raw, optional)
        return
    if digit == FILLER and FILLER not in raw:
        result.error("document_number", "document_number_cd",
                     messages.MRZ_NO_LONG_NUMBER_RULE.format(format=layout.name))
    else:
        _verify(result, "document_number", "document_number_cd", raw, digit, numeric=False)
    number = raw.rstrip(FILLER)
    if FILLER in number:
        result.warn("document_number", "number_fillers", messages.MRZ_NUMBER_FILLERS.text)
    if not number:
        result.error("document_number", "document_number", messages.MRZ_NUMBER_EMPTY.text)
    result.document_number = number.replace(FILLER, "")
    result.optional_data = optional.rstrip(FILLER)


def _read_long_number(result: MrzCheck, layout: _Layout, raw: str, optional: str) -> None:
    """Doc 9303 Part 5 §4.2.2 note j / Part 6: number overflows into the optional data."""
    end = optional.find(FILLER)
    head = optional if end < 0 else optional[:end]
    if len(head) < 2:
        result.error("document_number", "document_number_cd",
                     messages.MRZ_NO_NUMBER_OVERFLOW.text)
        result.document_number = raw
        return
    overflow, digit = head[:-1], head[-1]
    full = raw + overflow
    _verify(result, "document_number", "document_number_cd", full, digit, numeric=False)
    result.document_number = full
    result.optional_data = optional[len(head) + 1 :].rstrip(FILLER) if end >= 0 else ""
    result.warn("document_number", "long_number",
                messages.MRZ_LONG_NUMBER.format(count=len(overflow)))


def _read_date(result: MrzCheck, layout: _Layout, which: str, today: date) -> date | None:
    span = layout.birth if which == "birth_date" else layout.expiry
    cd_span = layout.birth_cd if which == "birth_date" else layout.expiry_cd
    code = "birth_date_cd" if which == "birth_date" else "expiry_cd"
    raw = _cut(result.lines, span)
    _verify(result, which, code, raw, _cut(result.lines, cd_span), numeric=True)
    if (FILLER in raw and raw.replace(FILLER, "").isdigit()) or raw == FILLER * 6:
        if which == "birth_date":
            result.warn(which, "date_unknown", messages.MRZ_BIRTH_DATE_UNKNOWN.format(raw=raw))
        else:
            result.error(which, "date_format", messages.MRZ_EXPIRY_NOT_DIGITS.format(raw=raw))
        return None
    if not raw.isdigit():
        result.error(which, "date_format", messages.MRZ_NOT_YYMMDD.format(raw=raw))
        return None
    return _resolve_century(result, which, raw, today)


def _resolve_century(result: MrzCheck, which: str, raw: str, today: date) -> date | None:
    found = date_from_two_digit_year(int(raw[:2]), int(raw[2:4]), int(raw[4:6]), today,
                                     birth=which == "birth_date")
    if found is None:
        result.error(which, "date_format", messages.MRZ_NOT_A_CALENDAR_DATE.format(raw=raw))
    return found


def date_from_two_digit_year(yy: int, month: int, day: int, reference: date, *,
                             birth: bool) -> date | None:
    """The century of a ``YYMMDD`` date: a birth date takes the latest one that keeps it on or
    before the reference day, other dates the one nearest it. None: not a calendar date."""
    candidates: list[date] = []
    for century in (1900, 2000, 2100):
        try:
            candidates.append(date(century + yy, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    if birth:
        past = [d for d in candidates if d <= reference]
        return max(past) if past else min(candidates)
    return min(candidates, key=lambda d: abs((d - reference).days))


def _read_sex(result: MrzCheck, raw: str) -> None:
    result.sex = raw
    if raw == "X":
        # Doc 9303 prints X in the visual zone and < in the MRZ; several states print X in both.
        result.warn("sex", "sex_x", messages.MRZ_SEX_X.text)
    elif raw not in ("M", "F", FILLER):
        result.error("sex", "sex", messages.MRZ_SEX_UNKNOWN.format(raw=raw))


def _check_optional_data(result: MrzCheck, layout: _Layout) -> None:
    if layout.optional_2 is not None:
        result.optional_data_2 = _cut(result.lines, layout.optional_2).rstrip(FILLER)
    if layout.optional_cd is None:
        return
    raw = _cut(result.lines, layout.optional)
    digit = _cut(result.lines, layout.optional_cd)
    if raw == FILLER * len(raw) and digit == FILLER:
        result.warn("optional_data", "optional_data_cd",
                    messages.MRZ_EMPTY_OPTIONAL_DATA_FILLER.text)
        return
    _verify(result, "optional_data", "optional_data_cd", raw, digit, numeric=False)


def _check_composite(result: MrzCheck, layout: _Layout) -> None:
    if layout.composite is None:
        return
    data = "".join(_cut(result.lines, part) for part in layout.composite_parts)
    digit = _cut(result.lines, layout.composite)
    expected = check_digit(data)
    if digit != expected:
        result.error("composite", "composite_cd",
                     messages.MRZ_COMPOSITE_MISMATCH.format(digit=digit, expected=expected),
                     *_composite_suggestions(result, layout))


def _composite_suggestions(result: MrzCheck, layout: _Layout) -> list[str]:
    """Single OCR confusions anywhere under the composite that make every check digit pass.

    Only tried when the field check digits all pass: then the damage sits where only the
    composite sees it (TD1/TD2 optional data, the composite digit itself).
    """
    if any(e.code.endswith("_cd") for e in result.errors):
        return []
    spans = (*layout.composite_parts, layout.composite or (0, 0, 0))
    found: list[str] = []
    for line, start, end in spans:
        for pos in range(start, end):
            char = result.lines[line][pos]
            other = OCR_CONFUSIONS.get(char)
            if other is None:
                continue
            lines = list(result.lines)
            lines[line] = lines[line][:pos] + other + lines[line][pos + 1 :]
            data = "".join(_cut(tuple(lines), part) for part in layout.composite_parts)
            if check_digit(data) == _cut(tuple(lines), layout.composite or (0, 0, 0)):
                found.append(messages.MRZ_OCR_READING_AT_LINE.format(
                    found=char, line=line + 1, position=pos + 1, other=other))
    return found


def _check_dates_in_time(result: MrzCheck, today: date) -> None:
    if result.expiry_date is not None and result.expiry_date < today:
        result.warn("expiry_date", "expired",
                    messages.MRZ_EXPIRED.format(day=result.expiry_date.isoformat()))
    if (
        result.birth_date is not None
        and result.expiry_date is not None
        and result.expiry_date < result.birth_date
    ):
        result.warn("expiry_date", "expiry_before_birth", messages.MRZ_EXPIRY_BEFORE_BIRTH.text)


# --- Visual inspection zone ---------------------------------------------------------------

NamePredicate = Callable[[str, str], bool]

_EXPANSIONS = {
    "Ä": "AE", "Ö": "OE", "Ü": "UE", "Å": "AA", "Æ": "AE", "Ø": "OE", "ß": "SS", "Þ": "TH",
    "Œ": "OE", "Ĳ": "IJ", "Ð": "D", "Đ": "D", "Ł": "L", "Ħ": "H", "Ŀ": "L", "ı": "I",
}  # fmt: skip


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _latin_letters(text: str, expand: bool) -> str:
    upper = text.upper()
    if expand:
        upper = "".join(_EXPANSIONS.get(c, c) for c in upper)
    else:
        upper = "".join(_EXPANSIONS.get(c, c)[:1] if c in "ÆŒĲÞ" else c for c in upper)
        upper = upper.replace("ß", "SS").replace("ẞ", "SS")
    folded = _strip_marks(upper)
    folded = "".join(_EXPANSIONS.get(c, c) for c in folded)
    return "".join(c for c in folded if "A" <= c <= "Z")


def latin_fold_match(printed: str, mrz_name: str) -> bool:
    """Default name predicate: diacritics folded (Doc 9303 Part 3 style), Latin letters compared.

    ``Müller`` matches ``MUELLER`` and ``MULLER``. Names in other scripts are never judged
    plausible here: the screening capability's transliteration replaces this predicate.
    """
    target = "".join(c for c in mrz_name.upper() if "A" <= c <= "Z")
    if not target:
        return False
    return any(_latin_letters(printed, expand) == target for expand in (True, False))


@dataclass(frozen=True)
class VisualZone:
    """What the officer reads in the printed (visual inspection) zone of the document."""

    surname: str | None = None
    given_names: str | None = None
    document_number: str | None = None
    birth_date: date | None = None
    expiry_date: date | None = None
    issue_date: date | None = None
    nationality: str | None = None
    sex: str | None = None


def _name_matches(printed: str, mrz_name: str, truncated: bool, judge: NamePredicate) -> bool:
    if judge(printed, mrz_name):
        return True
    # A truncated MRZ name only has to be the beginning of the printed one.
    return truncated and _latin_letters(printed, True).startswith(mrz_name.replace(" ", ""))


def compare_visual_zone(
    check: MrzCheck,
    viz: VisualZone,
    plausible_transliteration: NamePredicate = latin_fold_match,
    today: date | None = None,
) -> list[MrzIssue]:
    """Disagreements between the MRZ and the printed zone; also not-yet-valid documents."""
    today = today or date.today()
    issues: list[MrzIssue] = []
    names = (("surname", viz.surname, check.surname), ("given_names", viz.given_names,
             check.given_names))  # fmt: skip
    for field_name, printed, mrz_name in names:
        if printed is None or mrz_name is None:
            continue
        if not _name_matches(printed, mrz_name, check.name_truncated, plausible_transliteration):
            issues.append(MrzIssue(field_name, "viz_name", messages.PRINTED_NAME_IMPLAUSIBLE.format(
                printed=printed, mrz=mrz_name)))
    if viz.document_number is not None and check.document_number is not None:
        printed_number = "".join(viz.document_number.upper().split()).replace("-", "")
        if printed_number != check.document_number:
            issues.append(MrzIssue("document_number", "viz_number", messages.PRINTED_DIFFERS.format(
                printed=viz.document_number, mrz=check.document_number)))
    for field_name, printed_date, mrz_date in (
        ("birth_date", viz.birth_date, check.birth_date),
        ("expiry_date", viz.expiry_date, check.expiry_date),
    ):
        if printed_date is not None and mrz_date is not None and printed_date != mrz_date:
            issues.append(MrzIssue(field_name, "viz_date", messages.PRINTED_DATE_DIFFERS.format(
                printed=printed_date.isoformat(), mrz=mrz_date.isoformat())))
    if viz.nationality and check.nationality and viz.nationality.upper() != check.nationality:
        issues.append(MrzIssue("nationality", "viz_code", messages.PRINTED_DIFFERS.format(
            printed=viz.nationality, mrz=check.nationality)))
    if viz.sex and check.sex and viz.sex.upper()[:1] != check.sex and check.sex != FILLER:
        issues.append(MrzIssue("sex", "viz_sex",
                               messages.PRINTED_DIFFERS.format(printed=viz.sex, mrz=check.sex)))
    if viz.issue_date is not None and viz.issue_date > today:
        issues.append(MrzIssue("issue_date", "not_yet_valid",
                               messages.MRZ_NOT_YET_VALID.format(day=viz.issue_date.isoformat())))
    return issues
