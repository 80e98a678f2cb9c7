"""The document registry and the document check an officer runs at the counter.

Registry rows are matched on the number as normalised here (upper case, no blanks, dashes or
MRZ fillers), because the same passport reaches us as ``AB 123-456`` from a police report and
``AB123456<`` from an MRZ. Every lookup is an audit event naming the document (by digest: the
audit trail must stay free of the number itself, which is personal data).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from chegara.db.base import Distribution, Tlp
from chegara.documents.codes import lookup_state
from chegara.documents.models import RegistryDocument
from chegara.documents.mrz import (
    MrzCheck,
    MrzIssue,
    VisualZone,
    check_mrz,
    compare_visual_zone,
    latin_fold_match,
)
from chegara.errors import BadInput
from chegara.screening.names import plausible_transliteration
from chegara.security import audit
from chegara.security.policy import Principal
from chegara.security.scoping import scoped, visible_to
from chegara.security.service import require

STATUSES = ("lost", "stolen", "invalidated", "revoked")
SOURCES = ("national", "sltd")
REGISTRY_COLUMNS = ("document_number", "document_type", "issuing_state", "status", "reported_on",
                    "source")
MAX_PROBLEMS = 20
CHUNK = 500
_NOT_PART_OF_NUMBER = re.compile(r"[\s\-<./]+")


def normalise_number(text: str) -> str:
    """The number as registers compare it: upper case, no blanks, dashes, dots or fillers."""
    return _NOT_PART_OF_NUMBER.sub("", text.upper())


# --- import -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegistryRow:
    number: str
    number_as_given: str
    document_type: str
    issuing_state: str
    status: str
    reported_on: dt.date | None
    source: str


def _row_problems(row: dict[str, str]) -> tuple[RegistryRow | None, list[str]]:
    problems: list[str] = []
    given = row.get("document_number", "").strip()
    number = normalise_number(given)
    if not number or not number.isalnum() or len(number) > 40:
        problems.append("document_number must be 1-40 letters or digits")
    doc_type = row.get("document_type", "").strip().upper() or "P"
    if not doc_type.isalpha() or len(doc_type) > 2:
        problems.append("document_type must be one or two letters (P, ID, I, A, C, V ...)")
    state = row.get("issuing_state", "").strip().upper()
    if lookup_state(state) is None:
        problems.append(f"issuing_state {state!r} is not an ICAO Doc 9303 code")
    status = row.get("status", "").strip().lower()
    if status not in STATUSES:
        problems.append(f"status must be one of {', '.join(STATUSES)}")
    source = row.get("source", "").strip().lower() or "national"
    if source not in SOURCES:
        problems.append(f"source must be one of {', '.join(SOURCES)}")
    reported: dt.date | None = None
    reported_text = row.get("reported_on", "").strip()
    if reported_text:
        try:
            reported = dt.date.fromisoformat(reported_text)
        except ValueError:
            problems.append(f"reported_on {reported_text!r} is not a YYYY-MM-DD date")
    if problems:
        return None, problems
    return RegistryRow(number, given[:64], doc_type, state, status, reported, source), []


def parse_registry_csv(data: bytes | str) -> list[RegistryRow]:
    """Read a registry CSV; any bad row rejects the whole file, naming each line at fault."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise BadInput(f"the registry file is not UTF-8 ({exc.reason})") from exc
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _registry_rows(reader)
    except csv.Error as exc:
        # DictReader.line_num stays at the last good row; its inner reader's is current.
        raise BadInput("registry file rejected, nothing imported: "
                       f"line {reader.reader.line_num}: {exc}") from exc


def _registry_rows(reader: csv.DictReader[str]) -> list[RegistryRow]:
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("document_number", "issuing_state", "status") if c not in header]
    if missing:
        raise BadInput(f"the registry file lacks the column(s) {', '.join(missing)}; expected "
                       f"{','.join(REGISTRY_COLUMNS)}")
    reader.fieldnames = header
    rows: list[RegistryRow] = []
    problems: list[str] = []
    for line, raw in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in raw.items() if isinstance(k, str)
                  and isinstance(v, str)}
        parsed, wrong = _row_problems(values)
        if wrong:
            problems.append(f"line {line}: " + "; ".join(wrong))
        elif parsed is not None:
            rows.append(parsed)
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        raise BadInput("registry file rejected, nothing imported: " + " | ".join(shown)
                       + (f" | and {more} more" if more else ""),
                       details=[{"line": p.split(":", 1)[0]} for p in shown])
    if not rows:
        raise BadInput("the registry file has no rows")
    return rows


@dataclass(frozen=True)
class RegistryImport:
    import_id: str
    rows: int
    added: int
    updated: int
    unchanged: int

    def summary(self) -> str:
        return (f"{self.rows} rows: {self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged (import {self.import_id})")


def _key(number: str, doc_type: str, state: str, source: str) -> tuple[str, str, str, str]:
    return number, doc_type, state, source


def import_registry(
    session: Session, *, rows: Sequence[RegistryRow], owner_agency_id: int, source_name: str,
    source_sha256: str, requester: Principal | None,
    distribution: Distribution = Distribution.NATIONAL, tlp: Tlp = Tlp.AMBER,
    sharing_group_id: int | None = None,
) -> RegistryImport:
    """Add new reports and update the status of documents the agency reported before."""
    if requester is not None:
        require(requester, "registry.manage")
        owner_agency_id = requester.agency_id
    if distribution == Distribution.SHARING_GROUP and sharing_group_id is None:
        raise BadInput("sharing_group distribution needs a sharing_group_id")
    import_id = uuid.uuid4().hex[:16]
    existing: dict[tuple[str, str, str, str], RegistryDocument] = {}
    numbers = sorted({r.number for r in rows})
    for start in range(0, len(numbers), CHUNK):
        for doc in session.scalars(select(RegistryDocument).where(
                RegistryDocument.owner_agency_id == owner_agency_id,
                RegistryDocument.number.in_(numbers[start:start + CHUNK]))):
            existing[_key(doc.number, doc.document_type, doc.issuing_state, doc.source)] = doc
    fresh: dict[tuple[str, str, str, str], dict[str, object]] = {}
    updated = unchanged = 0
    for row in rows:
        key = _key(row.number, row.document_type, row.issuing_state, row.source)
        known = existing.get(key)
        if known is not None:
            if (known.status, known.reported_on) == (row.status, row.reported_on):
                unchanged += 1
            else:
                known.status, known.reported_on = row.status, row.reported_on
                known.import_id = import_id
                updated += 1
            continue
        fresh[key] = {
            "number": row.number, "number_as_given": row.number_as_given,
            "document_type": row.document_type, "issuing_state": row.issuing_state,
            "status": row.status, "reported_on": row.reported_on, "source": row.source,
            "import_id": import_id, "owner_agency_id": owner_agency_id,
            "distribution": distribution.value, "tlp": tlp.value,
            "sharing_group_id": sharing_group_id,
            "created_by_id": requester.user_id if requester else None,
        }
    batch = list(fresh.values())
    for start in range(0, len(batch), CHUNK):
        session.execute(insert(RegistryDocument), batch[start:start + CHUNK])
    session.flush()
    audit.append(session, action="registry.import", resource_type="registry_document",
                 resource_id=import_id, fields=["rows"],
                 change={"sha256": source_sha256, "numbers": numbers},
                 note=f"{source_name}: +{len(batch)} ~{updated} ={unchanged}")
    return RegistryImport(import_id, len(rows), len(batch), updated, unchanged)


# --- lookup -----------------------------------------------------------------------------------

def lookup(
    session: Session, principal: Principal | None, number: str, *,
    document_type: str | None = None, issuing_state: str | None = None, purpose: str = "lookup",
) -> list[RegistryDocument]:
    """Reports on a document visible to the principal; the lookup itself is audited."""
    normalised = normalise_number(number)
    if not normalised or len(normalised) > 40:
        raise BadInput("a document number has 1-40 letters or digits",
                       details=[{"field": "number"}])
    query = select(RegistryDocument).where(RegistryDocument.number == normalised)
    if principal is not None:
        require(principal, "registry.read")
        query = scoped(query, RegistryDocument, principal)
    if issuing_state:
        query = query.where(RegistryDocument.issuing_state == issuing_state.strip().upper())
    if document_type:
        # Registers and manifests disagree on type letters (P vs PP, I vs ID): compare the first.
        query = query.where(func.substr(RegistryDocument.document_type, 1, 1)
                            == document_type.strip().upper()[:1])
    found = list(session.scalars(query.order_by(RegistryDocument.reported_on.desc(),
                                                RegistryDocument.id)))
    digest = hashlib.sha256(normalised.encode()).hexdigest()[:16]
    audit.append(session, action="registry.lookup", resource_type="registry_document",
                 resource_id=f"doc:{digest}", change={"number": normalised,
                                                      "state": issuing_state},
                 note=f"{purpose}: {len(found)} report(s)")
    return found


def registry_counts(session: Session, principal: Principal) -> dict[str, int]:
    """How many visible reports per status (the registry page's summary)."""
    require(principal, "registry.read")
    query = select(RegistryDocument.status, func.count()).where(
        visible_to(RegistryDocument, principal)).group_by(RegistryDocument.status)
    return {status: count for status, count in session.execute(query).tuples()}


# --- the document check -----------------------------------------------------------------------

def printed_name_matches(printed: str, mrz_name: str) -> bool:
    """Whether a printed name (Latin or Cyrillic) can be romanised as the MRZ name: Doc 9303
    diacritic folding first, then the screening capability's transliteration schemes."""
    return latin_fold_match(printed, mrz_name) or plausible_transliteration(printed, mrz_name)


@dataclass
class DocumentCheck:
    mrz: MrzCheck
    visual_zone: list[MrzIssue] = field(default_factory=list)
    registry: list[RegistryDocument] = field(default_factory=list)
    registry_checked: bool = False
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def days_to_expiry(self) -> int | None:
        expiry = self.mrz.expiry_date
        return (expiry - self.today).days if expiry else None

    @property
    def expired(self) -> bool:
        days = self.days_to_expiry
        return days is not None and days < 0


def check_document(
    session: Session, principal: Principal, text: str, viz: VisualZone | None = None, *,
    today: dt.date | None = None,
) -> DocumentCheck:
    """Check an MRZ to the letter of Doc 9303, compare it with the printed zone, and look the
    document up in the registry when the officer may."""
    require(principal, "document.check")
    today = today or dt.date.today()
    mrz = check_mrz(text, today=today, issue_date=viz.issue_date if viz else None)
    result = DocumentCheck(mrz, today=today)
    if viz is not None:
        result.visual_zone = compare_visual_zone(mrz, viz, printed_name_matches, today=today)
    if mrz.document_number and "registry.read" in principal.permissions:
        result.registry = lookup(session, principal, mrz.document_number,
                                 issuing_state=mrz.issuing_state, purpose="document check")
        result.registry_checked = True
    return result
