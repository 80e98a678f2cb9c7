"""Readers for the watchlist formats agencies receive, into one entry shape.

- ``csv``: the Chegara contract ``id,name,aliases,birth_date,nationality,gender,document_number``,
  and national lists exported from Russian-language spreadsheets: headers in Russian
  (``ФИО``, ``Дата рождения``, ``Гражданство`` …), ``;`` as delimiter, Windows-1251,
  dates as ``ДД.ММ.ГГГГ``.
- ``un-xml``: the UN Security Council consolidated list (``CONSOLIDATED_LIST`` XML).
- ``ofac-csv``: OFAC's SDN files ``sdn.csv`` with ``alt.csv`` and ``add.csv`` beside it.
- ``ftm-json``: FollowTheMoney entities, one JSON object per line (OpenSanctions exports).

A file that cannot be read is rejected whole with the line or element named: a watchlist that
is silently half-imported would let a listed person through.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException

from chegara.errors import BadInput
from chegara.files import not_utf8, utf8_or_cp1251
from chegara.screening.attributes import InvalidAttributeError, parse_birth_date

FORMATS = ("csv", "un-xml", "ofac-csv", "ftm-json")
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ERRORS_SHOWN = 20


@dataclass(frozen=True)
class ListedPerson:
    """One watchlist entry as every importer delivers it."""

    entry_id: str
    name: str
    aliases: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    gender: str | None = None
    document_numbers: tuple[str, ...] = ()
    programme: str = ""
    remarks: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def content_hash(self) -> str:
        data = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def safe_filename(name: str | None, default: str = "upload") -> str:
    """The last path component of an uploaded file's name, never a path of its own."""
    base = Path(name or "").name.strip()
    return base if base not in ("", ".", "..") else default


def detect_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "ftm-json"
    if name.endswith(".xml"):
        return "un-xml"
    if name == "sdn.csv" or (path.is_dir() and (path / "sdn.csv").exists()):
        return "ofac-csv"
    if name.endswith((".csv", ".txt", ".tsv")):
        return "csv"
    raise BadInput(f"cannot tell the format of {path.name}; pass --format "
                   f"({', '.join(FORMATS)})")


def read_list(path: Path, fmt: str = "auto") -> list[ListedPerson]:
    if not path.exists():
        raise BadInput(f"no such file: {path}")
    if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
        raise BadInput(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MiB")
    fmt = detect_format(path) if fmt == "auto" else fmt
    readers = {"csv": read_csv, "un-xml": read_un_xml, "ofac-csv": read_ofac,
               "ftm-json": read_ftm}
    if fmt not in readers:
        raise BadInput(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    # Only an OFAC export is read from a folder (sdn.csv with alt.csv beside it).
    if path.is_dir() and (fmt != "ofac-csv" or not (path / "sdn.csv").is_file()):
        raise BadInput(f"{path} is a directory, not a {fmt} file")
    people = readers[fmt](path)
    _check_unique(people, path)
    if not people:
        raise BadInput(f"{path.name} holds no persons")
    return people


def _check_unique(people: list[ListedPerson], path: Path) -> None:
    seen: set[str] = set()
    for person in people:
        if person.entry_id in seen:
            raise BadInput(f"{path.name}: entry id {person.entry_id!r} appears twice")
        seen.add(person.entry_id)


def _fail(path: Path, problems: list[str]) -> BadInput:
    shown = problems[:MAX_ERRORS_SHOWN]
    more = f" (and {len(problems) - len(shown)} more)" if len(problems) > len(shown) else ""
    return BadInput(f"{path.name} rejected, nothing imported: " + "; ".join(shown) + more,
                    details=[{"problem": p} for p in shown])


def _birth_date(text: str, where: str, problems: list[str]) -> str | None:
    try:
        parsed = parse_birth_date(text)
    except InvalidAttributeError as exc:
        problems.append(f"{where}: birth date {text!r}: {exc}")
        return None
    if parsed is not None and parsed.is_full:
        try:
            dt.date(parsed.year_from, parsed.month or 0, parsed.day or 0)
        except ValueError:
            problems.append(f"{where}: birth date {text!r} is not a calendar date")
            return None
    return str(parsed) if parsed else None


def _split(value: str | None, sep: str = ";") -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(sep) if v.strip())


# --- CSV, including Russian-language national lists -------------------------------------------

HEADER_ALIASES = {
    "id": ("id", "№", "номер", "идентификатор", "код"),
    "name": ("name", "фио", "ф.и.о.", "имя", "полное имя", "фамилия имя отчество"),
    "aliases": ("aliases", "alias", "псевдонимы", "другие имена", "иные имена"),
    "birth_date": ("birth_date", "dob", "дата рождения", "д.р.", "год рождения"),
    "nationality": ("nationality", "гражданство", "национальность", "страна"),
    "gender": ("gender", "sex", "пол"),
    "document_number": ("document_number", "passport", "паспорт", "документ",
                        "номер документа", "номер паспорта"),
    "programme": ("programme", "program", "notice", "основание", "тип розыска", "статья"),
}


def _decode(raw: bytes, path: Path) -> str:
    # Windows-1251 decodes any bytes, so UTF-16 (NUL in every other byte of Cyrillic-free
    # text) would pass as garbage and be refused for a header it seems to lack.
    if b"\x00" in raw[:4096]:
        raise BadInput(f"{path.name} holds NUL bytes (UTF-16 or binary); save it as UTF-8 or "
                       "Windows-1251 text")
    try:
        return utf8_or_cp1251(raw)
    except UnicodeDecodeError:
        raise BadInput(f"{path.name} is neither UTF-8 nor Windows-1251 text") from None


def _header_map(header: list[str], path: Path) -> dict[str, int]:
    wanted = {alias: canonical for canonical, aliases in HEADER_ALIASES.items()
              for alias in aliases}
    mapping: dict[str, int] = {}
    for position, title in enumerate(header):
        canonical = wanted.get(title.strip().lower())
        if canonical and canonical not in mapping:
            mapping[canonical] = position
    missing = {"id", "name"} - set(mapping)
    if missing:
        raise BadInput(f"{path.name}: the header lacks {', '.join(sorted(missing))} "
                       f"(found: {', '.join(header)})")
    return mapping


def read_csv(path: Path) -> list[ListedPerson]:
    text = _decode(path.read_bytes(), path)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(rows)
    except StopIteration as exc:
        raise BadInput(f"{path.name} is empty") from exc
    columns = _header_map(header, path)
    people: list[ListedPerson] = []
    problems: list[str] = []
    try:
        for line, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            person = _csv_person(row, columns, f"line {line}", problems)
            if person is not None:
                people.append(person)
    except csv.Error as exc:
        problems.append(f"line {rows.line_num}: {exc}")
    if problems:
        raise _fail(path, problems)
    return people


def _csv_person(row: list[str], columns: dict[str, int], where: str, problems: list[str]
                ) -> ListedPerson | None:
    if len(row) > len(columns) + 20 or any(len(cell) > 2000 for cell in row):
        problems.append(f"{where}: the row is malformed (too many or too long cells)")
        return None

    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    entry_id, name = cell("id"), cell("name")
    if not entry_id or not name:
        problems.append(f"{where}: id and name are required")
        return None
    dates = []
    for text in _split(cell("birth_date")):
        parsed = _birth_date(text, where, problems)
        if parsed:
            dates.append(parsed)
    return ListedPerson(entry_id=entry_id, name=name, aliases=_split(cell("aliases")),
                        birth_dates=tuple(dates), nationalities=_split(cell("nationality")),
                        gender=cell("gender") or None,
                        document_numbers=_split(cell("document_number")),
                        programme=cell("programme"))


# --- UN Security Council consolidated list ----------------------------------------------------

def _text(element: ElementTree.Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None and found.text else ""


def read_un_xml(path: Path) -> list[ListedPerson]:
    try:
        # defusedxml refuses entity expansion and external references in a received file.
        tree = SafeElementTree.parse(path)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise BadInput(f"{path.name} is not well-formed XML at line {line}, column {column}"
                       ) from exc
    except DefusedXmlException as exc:
        raise BadInput(f"{path.name} uses XML entities or external references, which are "
                       f"refused: {exc}") from exc
    root = tree.getroot()
    if root.tag != "CONSOLIDATED_LIST":
        raise BadInput(f"{path.name}: root element is <{root.tag}>, expected "
                       "<CONSOLIDATED_LIST> (UN Security Council list)")
    people: list[ListedPerson] = []
    problems: list[str] = []
    for position, element in enumerate(root.iter("INDIVIDUAL"), start=1):
        person = _un_individual(element, position, problems)
        if person is not None:
            people.append(person)
    if problems:
        raise _fail(path, problems)
    return people


def _un_individual(element: ElementTree.Element, position: int, problems: list[str]
                   ) -> ListedPerson | None:
    reference = _text(element, "REFERENCE_NUMBER") or _text(element, "DATAID")
    where = f"<INDIVIDUAL> #{position}" + (f" ({reference})" if reference else "")
    parts = [_text(element, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                         "FOURTH_NAME")]
    name = " ".join(p for p in parts if p)
    if not reference or not parts[0]:
        problems.append(f"{where}: REFERENCE_NUMBER and FIRST_NAME are required")
        return None
    aliases = [_text(a, "ALIAS_NAME") for a in element.iter("INDIVIDUAL_ALIAS")]
    original = _text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        aliases.append(original)
    dates: list[str] = []
    for dob in element.iter("INDIVIDUAL_DATE_OF_BIRTH"):
        text = _text(dob, "DATE") or _text(dob, "YEAR")
        if _text(dob, "FROM_YEAR") and _text(dob, "TO_YEAR"):
            text = f"{_text(dob, 'FROM_YEAR')}..{_text(dob, 'TO_YEAR')}"
        if text:
            parsed = _birth_date(text[:10], where, problems)
            if parsed:
                dates.append(parsed)
    nationalities = [country_code(v.text or "") for n in element.iter("NATIONALITY")
                     for v in n.iter("VALUE") if v.text]
    documents = [_text(d, "NUMBER") for d in element.iter("INDIVIDUAL_DOCUMENT")
                 if _text(d, "NUMBER")]
    gender = _text(element, "GENDER") or None
    return ListedPerson(
        entry_id=reference, name=name, aliases=tuple(a for a in aliases if a),
        birth_dates=tuple(dates), nationalities=tuple(n for n in nationalities if n),
        gender=gender, document_numbers=tuple(documents),
        programme=_text(element, "UN_LIST_TYPE"), remarks=_text(element, "COMMENTS1")[:2000])


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    table: dict[str, str] = {}
    data = resources.files("chegara.documents") / "data" / "icao_codes.tsv"
    for line in data.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _kind, name = [*line.split("\t"), "", ""][:3]
        table[_country_key(name)] = code
    return table


def _country_key(name: str) -> str:
    name = re.sub(r"\(.*?\)", " ", name.lower())
    name = re.sub(r"\b(the|of|republic|islamic|federation|state|plurinational)\b", " ", name)
    return re.sub(r"[^a-z]+", "", name)


def country_code(value: str) -> str:
    """ISO/ICAO code for a country code or English country name; empty when unknown (the
    source text stays in the entry's remarks)."""
    value = value.strip()
    if re.fullmatch(r"[A-Za-z]{2,3}", value):
        return value.upper()
    return _country_names().get(_country_key(value), "")


# --- OFAC SDN ---------------------------------------------------------------------------------

OFAC_NULL = "-0-"
_REMARK = re.compile(r"(DOB|POB|nationality|Passport|Gender|Citizen|National ID No\.)\s+"
                     r"([^;]+)", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"), start=1)}


def _ofac_cells(path: Path, width: int) -> Iterator[tuple[int, list[str]]]:
    text = _decode(path.read_bytes(), path)
    for line, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or (len(row) == 1 and row[0].strip() in ("", "\x1a")):
            continue
        if len(row) < width:
            raise BadInput(f"{path.name}: line {line} has {len(row)} fields, expected {width}")
        yield line, [c.strip() for c in row]


def _ofac_date(text: str) -> str:
    """OFAC writes ``12 Jan 1970``, ``Jan 1970``, ``1970`` or ``1968 to 1970``."""
    text = text.strip()
    if m := re.fullmatch(r"(\d{4}) to (\d{4})", text):
        return f"{m.group(1)}..{m.group(2)}"
    if m := re.fullmatch(r"(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})", text):
        month = _MONTHS.get(m.group(2).lower())
        if month:
            return f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
    if m := re.search(r"(\d{4})", text):
        return m.group(1)
    return text


def read_ofac(path: Path) -> list[ListedPerson]:
    folder = path if path.is_dir() else path.parent
    sdn = folder / "sdn.csv" if path.is_dir() else path
    aliases: dict[str, list[str]] = {}
    alt = folder / "alt.csv"
    if alt.exists():
        for _line, row in _ofac_cells(alt, 4):
            if row[3] and row[3] != OFAC_NULL:
                aliases.setdefault(row[0], []).append(_ofac_name(row[3]))
    people: list[ListedPerson] = []
    problems: list[str] = []
    for line, row in _ofac_cells(sdn, 12):
        entry_id, name, kind = row[0], row[1], row[2].lower()
        if not entry_id.isdigit() or not name:
            problems.append(f"sdn.csv line {line}: ent_num and SDN_Name are required")
            continue
        if kind != "individual":
            continue  # vessels, aircraft and companies are not travellers
        facts = _ofac_remarks(row[11])
        dates = []
        for text in facts.get("dob", []):
            parsed = _birth_date(_ofac_date(text), f"sdn.csv line {line}", problems)
            if parsed:
                dates.append(parsed)
        people.append(ListedPerson(
            entry_id=entry_id, name=_ofac_name(name), aliases=tuple(aliases.get(entry_id, [])),
            birth_dates=tuple(dates),
            nationalities=tuple(c for c in (country_code(n) for n in facts.get(
                "nationality", []) + facts.get("citizen", [])) if c),
            gender=next(iter(facts.get("gender", [])), None),
            document_numbers=tuple(p.split(" ")[0] for p in facts.get("passport", [])
                                   + facts.get("national id no.", [])),
            programme=row[3], remarks=row[11][:2000] if row[11] != OFAC_NULL else ""))
    if problems:
        raise _fail(sdn, problems)
    return people


def _ofac_name(name: str) -> str:
    # "YUSUPOV, Rustam Alisherovich" -> surname first, as the matcher reads either order.
    return " ".join(part.strip() for part in name.split(",") if part.strip())


def _ofac_remarks(remarks: str) -> dict[str, list[str]]:
    facts: dict[str, list[str]] = {}
    if remarks == OFAC_NULL:
        return facts
    for key, value in _REMARK.findall(remarks):
        facts.setdefault(key.lower(), []).append(value.strip().rstrip("."))
    return facts


# --- FollowTheMoney JSON lines ----------------------------------------------------------------

def read_ftm(path: Path) -> list[ListedPerson]:
    people: list[ListedPerson] = []
    problems: list[str] = []
    try:
        with path.open(encoding="utf-8") as handle:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    entity = json.loads(line)
                except json.JSONDecodeError as exc:
                    problems.append(f"line {line_number}: not JSON ({exc.msg})")
                    continue
                person = _ftm_person(entity, f"line {line_number}", problems)
                if person is not None:
                    people.append(person)
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path.name}: {not_utf8(exc)}") from exc
    if problems:
        raise _fail(path, problems)
    return people


def _ftm_person(entity: Any, where: str, problems: list[str]) -> ListedPerson | None:
    if not isinstance(entity, dict) or not isinstance(entity.get("properties", {}), dict):
        problems.append(f"{where}: not a FollowTheMoney entity")
        return None
    if entity.get("schema") != "Person":
        return None
    props: dict[str, Any] = entity.get("properties", {})

    def values(name: str) -> list[str]:
        found = props.get(name, [])
        return [str(v) for v in found] if isinstance(found, list) else [str(found)]

    names = values("name")
    if not entity.get("id") or not names:
        problems.append(f"{where}: a Person needs an id and a name")
        return None
    dates = []
    for text in values("birthDate"):
        parsed = _birth_date(text[:10], where, problems)
        if parsed:
            dates.append(parsed)
    return ListedPerson(
        entry_id=str(entity["id"]), name=names[0],
        aliases=tuple(dict.fromkeys(names[1:] + values("alias") + values("weakAlias"))),
        birth_dates=tuple(dates),
        nationalities=tuple(code for code in (country_code(c) for c in values("nationality")
                            + values("citizenship")) if code),
        gender=next(iter(values("gender")), None),
        document_numbers=tuple(values("passportNumber") + values("idNumber")),
        programme=", ".join(values("program") or values("topics")),
        remarks=" ".join(values("notes"))[:2000])


def as_rows(people: Iterable[ListedPerson]) -> Iterator[dict[str, Any]]:
    for person in people:
        yield asdict(person)
