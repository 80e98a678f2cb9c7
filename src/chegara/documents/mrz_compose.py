"""Compose a Doc 9303 MRZ from document data.

Used to build demo documents, benchmark data and property tests: every MRZ composed here must
pass ``check_mrz`` and read back the same fields. Names must already be in MRZ letters (A-Z);
transliteration of printed names is the screening capability's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chegara.documents.mrz import FILLER, check_digit


@dataclass(frozen=True)
class MrzData:
    """The content of one MRZ, in MRZ letters (names as blank-separated components)."""

    format: str
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date
    sex: str
    expiry_date: date
    optional_data: str = ""
    optional_data_2: str = ""


def _pad(text: str, width: int) -> str:
    if len(text) > width:
        raise ValueError(f"{text!r} is longer than {width} characters")
    return text + FILLER * (width - len(text))


def compose_name(surname: str, given_names: str, width: int) -> str:
    """Primary and secondary identifiers joined by ``<<``, cut to the field width."""
    primary = FILLER.join(surname.split())
    secondary = FILLER.join(given_names.split())
    name = primary + ("<<" + secondary if secondary else "")
    return name[:width] + FILLER * max(0, width - len(name))


def _yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


def _number_fields(number: str, optional: str, optional_width: int) -> tuple[str, str]:
    """Document number field + check digit, and the optional data (long-number rule)."""
    if len(number) <= 9:
        return _pad(number, 9) + check_digit(_pad(number, 9)), _pad(optional, optional_width)
    head, overflow = number[:9], number[9:]
    moved = overflow + check_digit(number) + FILLER + optional
    return head + FILLER, _pad(moved, optional_width)


def compose_mrz(data: MrzData) -> str:
    """The MRZ lines (joined by newlines) for ``data`` in its format."""
    code = _pad(data.document_code, 2)
    state = _pad(data.issuing_state, 3)
    nationality = _pad(data.nationality, 3)
    birth = _yymmdd(data.birth_date)
    expiry = _yymmdd(data.expiry_date)
    birth_part = birth + check_digit(birth)
    expiry_part = expiry + check_digit(expiry)
    if data.format == "TD1":
        number, optional = _number_fields(data.document_number, data.optional_data, 15)
        line1 = code + state + number + optional
        opt2 = _pad(data.optional_data_2, 11)
        line2 = birth_part + data.sex + expiry_part + nationality + opt2
        composite = check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
        return "\n".join((line1, line2 + composite, compose_name(data.surname,
                                                                  data.given_names, 30)))
    if data.format == "TD2":
        number, optional = _number_fields(data.document_number, data.optional_data, 7)
        line1 = code + state + compose_name(data.surname, data.given_names, 31)
        body = number + nationality + birth_part + data.sex + expiry_part + optional
        composite = check_digit(body[0:10] + body[13:20] + body[21:35])
        return line1 + "\n" + body + composite
    width = {"TD3": 44, "MRVA": 44, "MRVB": 36}[data.format]
    line1 = code + state + compose_name(data.surname, data.given_names, width - 5)
    number = _pad(data.document_number, 9)
    body = number + check_digit(number) + nationality + birth_part + data.sex + expiry_part
    if data.format == "TD3":
        optional = _pad(data.optional_data, 14)
        body += optional + check_digit(optional)
        return line1 + "\n" + body + check_digit(body[0:10] + body[13:20] + body[21:43])
    return line1 + "\n" + _pad(body + data.optional_data, width)
