"""Bus and train passenger manifests as CSV: most travellers in Central Asia cross by road or rail.

One file is one voyage (one bus or train service crossing the border). Columns, first line =
header, names case-insensitive, in any order; delimiter ``,`` ``;`` or tab (sniffed from the
header); encoding UTF-8 (with or without BOM), else Windows-1251 as exported by Cyrillic Excel.

Required per traveller: ``surname``, ``given_names``, ``birth_date``, ``nationality``,
``document_number``.
Optional per traveller: ``sex`` (M/F/X), ``document_type`` (default P), ``document_issuing_state``,
``document_expiry``, ``seat``, ``role`` (passenger, crew, driver), ``boarding_place``,
``alighting_place``.
Optional per voyage (same value on every row, or empty): ``voyage`` (service number), ``carrier``,
``transport_mode`` (bus or train, default bus), ``origin``, ``destination``, ``departure``,
``arrival`` (ISO 8601 date-time).
Dates: ``YYYY-MM-DD``, ``DD.MM.YYYY`` or ``DD/MM/YYYY``.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from chegara import messages as wording
from chegara.files import utf8_or_cp1251
from chegara.passengers.manifest import Leg, Manifest, TravelDocument, Traveller

REQUIRED = ("surname", "given_names", "birth_date", "nationality", "document_number")
TRAVELLER_OPTIONAL = ("sex", "document_type", "document_issuing_state", "document_expiry", "seat",
                      "role", "boarding_place", "alighting_place")  # fmt: skip
VOYAGE_COLUMNS = ("voyage", "carrier", "transport_mode", "origin", "destination", "departure",
                  "arrival")  # fmt: skip
COLUMNS = REQUIRED + TRAVELLER_OPTIONAL + VOYAGE_COLUMNS
ROLES = {"passenger": "passenger", "crew": "crew", "driver": "crew"}


class CsvManifestError(ValueError):
    """A CSV manifest that cannot be read, naming the row and column."""


def parse_csv_date(text: str) -> date:
    """``YYYY-MM-DD``, ``DD.MM.YYYY`` or ``DD/MM/YYYY``."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)")


def _voyage(rows: list[dict[str, str]]) -> tuple[Leg | None, str]:
    values: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        for column in VOYAGE_COLUMNS:
            value = row.get(column, "").strip()
            if not value:
                continue
            if values.setdefault(column, value) != value:
                raise CsvManifestError(f"row {number}, column {column}: {value!r} differs from "
                                       f"{values[column]!r}: one file is one voyage")
    mode = values.get("transport_mode", "bus").lower()
    if mode not in ("bus", "train"):
        raise CsvManifestError(f"column transport_mode: {mode!r} is not bus or train")
    if not any(k in values for k in ("voyage", "carrier", "origin", "destination")):
        return None, mode
    moments: dict[str, datetime | None] = {}
    for column in ("departure", "arrival"):
        try:
            moments[column] = datetime.fromisoformat(values[column]) if column in values else None
        except ValueError:
            raise CsvManifestError(f"column {column}: {values[column]!r} is not an ISO date-time"
                                   ) from None  # fmt: skip
    leg = Leg(carrier=values.get("carrier", ""), number=values.get("voyage", ""),
              origin=values.get("origin"), destination=values.get("destination"),
              departure=moments["departure"], arrival=moments["arrival"])  # fmt: skip
    return leg, mode


def _traveller(number: int, row: dict[str, str]) -> Traveller:
    for column in REQUIRED:
        if not row.get(column, "").strip() and column not in ("given_names",):
            raise CsvManifestError(f"row {number}, column {column}: empty")

    def day(column: str) -> date | None:
        value = row.get(column, "").strip()
        if not value:
            return None
        try:
            return parse_csv_date(value)
        except ValueError as exc:
            raise CsvManifestError(f"row {number}, column {column}: {exc}") from None

    role_text = row.get("role", "").strip().lower() or "passenger"
    if role_text not in ROLES:
        raise CsvManifestError(f"row {number}, column role: {role_text!r} is not passenger, crew "
                               "or driver")  # fmt: skip
    sex = row.get("sex", "").strip().upper() or None
    if sex is not None and sex not in ("M", "F", "X"):
        raise CsvManifestError(f"row {number}, column sex: {sex!r} is not M, F or X")
    document = TravelDocument(
        document_type=row.get("document_type", "").strip().upper() or "P",
        number=row["document_number"].strip().upper(),
        issuing_state=row.get("document_issuing_state", "").strip().upper() or None,
        expiry_date=day("document_expiry"),
    )
    seat = row.get("seat", "").strip()
    return Traveller(
        surname=row["surname"].strip(), given_names=row.get("given_names", "").strip(),
        birth_date=day("birth_date"), sex=sex,
        nationality=row["nationality"].strip().upper(), role=ROLES[role_text],
        documents=[document], embarkation=row.get("boarding_place", "").strip() or None,
        debarkation=row.get("alighting_place", "").strip() or None,
        seats=[seat] if seat else [],
    )  # fmt: skip


def parse_csv_manifest(text: str) -> Manifest:
    """A CSV manifest (see the module docstring for the columns) from its text."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CsvManifestError("empty file: a header line is needed")
    header_line = lines[0]
    delimiter = max((";", ",", "\t"), key=header_line.count)
    try:
        return _parse_rows(text, delimiter)
    except csv.Error as exc:
        raise CsvManifestError(f"not a readable CSV file: {exc}") from None


def _parse_rows(text: str, delimiter: str) -> Manifest:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in fieldnames]
    if missing:
        raise CsvManifestError(f"header: missing column(s) {', '.join(missing)}")
    unknown = [c for c in fieldnames if c and c not in COLUMNS]
    reader.fieldnames = fieldnames
    rows = [{k: (v or "") for k, v in row.items() if k} for row in reader]
    rows = [row for row in rows if any(v.strip() for v in row.values())]
    leg, mode = _voyage(rows)
    manifest = Manifest(message_type="CSV", transport_mode=mode, voyage=leg,
                        legs=[leg] if leg else [])  # fmt: skip
    if unknown:
        manifest.warnings.append(wording.COLUMNS_IGNORED.format(columns=", ".join(unknown)))
    manifest.travellers = [_traveller(n, row) for n, row in enumerate(rows, start=2)]
    if not manifest.travellers:
        raise CsvManifestError("no traveller rows")
    return manifest


def read_csv_manifest(path: Path) -> Manifest:
    """Read a CSV manifest file (UTF-8 or Windows-1251)."""
    return parse_csv_manifest(utf8_or_cp1251(path.read_bytes(), errors="replace"))
