"""Targeting on the platform: stored declarations, profiles under four-eyes, decisions under
capacity, overrides, inspection results, the model registry and the joint decision.

The pure modules (``declarations``, ``rules``, ``valuation``, ``model``, ``selection``,
``outcomes``) do the work; this module stores what they need and what they decide, checks who
may do what, and leaves an audit record for each change. Services take a keyword ``session`` and
never commit. Declarations and decisions are written in bulk and audited once per import or
per selection run; everything else goes through the ORM and its row-level audit.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, func, insert, select
from sqlalchemy.orm import Session

from chegara import messages
from chegara.db.base import Distribution, Tlp, utcnow
from chegara.errors import BadInput, Conflict, Forbidden, NotFound
from chegara.security import approvals, audit
from chegara.security.models import Agency, Approval
from chegara.security.policy import Principal, can_see
from chegara.security.scoping import scoped, visible_to
from chegara.security.service import require
from chegara.targeting.models import (
    DeclarationImport,
    InspectionCapacity,
    InspectionResult,
    JointInspection,
    RiskModelVersion,
    RiskProfile,
    StoredDeclaration,
    TargetingDecision,
    TraderWatchlist,
)

if TYPE_CHECKING:
    import pandas as pd

    from chegara.targeting.declarations import FieldMap
    from chegara.targeting.model import RiskModel
    from chegara.targeting.rules import ProfileSet

KINDS = ("declaration", "consignment")
CHANNELS = ("green", "blue", "yellow", "red")
STRICTNESS = {name: rank for rank, name in enumerate(CHANNELS)}
PROFILE_ACTIVATE = "profile.activate"
DECISION_OVERRIDE = "decision.override"
MODEL_ACTIVATE = "model.activate"
# A trader watch-list with this name lists the authorised economic operators (reduced rates).
AEO_LIST = "aeo"
CHUNK = 1000
BASIS_NAMES = ("none", "rule", "random", "score", "blue")


def require_owner(principal: Principal, record: Any, what: str) -> None:
    if record.owner_agency_id != principal.agency_id:
        raise Forbidden(f"only the agency that owns the {what} may change it")


# --- declarations and consignments -------------------------------------------------------------

def _canonical_text(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Each row's canonical fields as the text the importer reads back (empty ones left out)."""
    from chegara.targeting.declarations import ALL_FIELDS

    columns: dict[str, list[str]] = {}
    for spec in ALL_FIELDS:
        series = frame[spec.name]
        if spec.kind == "number":
            columns[spec.name] = ["" if v is None or math.isnan(v) else repr(float(v))
                                  for v in series.to_numpy(dtype=float)]
        elif spec.kind == "date":
            columns[spec.name] = [s if s != "NaT" else "" for s in
                                  series.dt.strftime("%Y-%m-%d").fillna("NaT").to_list()]
        else:
            columns[spec.name] = [str(v) for v in series.to_list()]
    names = list(columns)
    return [{name: columns[name][i] for name in names if columns[name][i] != ""}
            for i in range(len(frame))]


def frame_of(rows: Sequence[StoredDeclaration]) -> pd.DataFrame:
    """Stored declarations as the canonical typed frame rules, valuation and the model read."""
    import pandas as pd

    from chegara.targeting.declarations import ALL_FIELDS, FieldMap, declarations_from_frame

    names = [spec.name for spec in ALL_FIELDS]
    text = pd.DataFrame([[row.fields.get(n, "") for n in names] for row in rows],
                        columns=names, dtype=object)
    return declarations_from_frame(text, FieldMap({n: n for n in names}))


def _problem_details(exc: Exception) -> list[dict[str, Any]]:
    problems = getattr(exc, "problems", [])
    return [{"line": p.line, "field": p.field, "column": p.column, "problem": p.reason}
            for p in problems]


def read_declaration_file(path: Path, field_map: FieldMap) -> pd.DataFrame:
    """Load and validate a file; any bad row refuses the whole file, naming the lines."""
    from chegara.targeting.declarations import DeclarationImportError, load_declarations

    try:
        return load_declarations(path, field_map)
    except DeclarationImportError as exc:
        raise BadInput(str(exc).splitlines()[0].rstrip(":") + "; see details",
                       details=_problem_details(exc)) from exc


def parse_map_text(text: str) -> FieldMap:
    import yaml

    from chegara.targeting.declarations import FieldMapError, parse_field_map

    if not text.strip():
        raise BadInput("field map: the map is empty; name the source column of each field, "
                       "or leave the map out when the columns bear the canonical names")
    try:
        return parse_field_map(yaml.safe_load(text) or {})
    except (yaml.YAMLError, FieldMapError) as exc:
        raise BadInput(f"field map: {exc}") from exc


def identity_map(path: Path) -> FieldMap:
    """Without a map, the file's columns that bear canonical names are read as such."""
    import json

    import pandas as pd

    from chegara.targeting.declarations import FIELDS_BY_NAME, parse_field_map

    columns: list[str] = []
    try:
        if path.suffix.lower() in (".json", ".jsonl", ".ndjson"):
            text = path.read_text(encoding="utf-8").lstrip()
            first = json.loads(text)[0] if text.startswith("[") else json.loads(
                text.splitlines()[0])
            columns = list(first) if isinstance(first, dict) else []
        else:
            columns = list(pd.read_csv(path, nrows=0, dtype=str).columns)
    except (ValueError, IndexError, OSError, pd.errors.ParserError):
        columns = []  # the import itself reports what is wrong with the file, by line
    # parse_field_map adds the required fields, so a file without them is refused by line.
    return parse_field_map({c: c for c in columns if c in FIELDS_BY_NAME})


def import_declarations(
    session: Session, *, frame: pd.DataFrame, owner_agency_id: int, kind: str,
    source_name: str, source_sha256: str, created_by: str, requester: Principal | None,
    distribution: Distribution = Distribution.AGENCY, tlp: Tlp = Tlp.AMBER,
    sharing_group_id: int | None = None,
) -> DeclarationImport:
    """Store a validated batch; a declaration id already stored refuses the whole batch."""
    if requester is not None:
        require(requester, "declaration.import")
        owner_agency_id = requester.agency_id
    if kind not in KINDS:
        raise BadInput(f"kind must be one of {', '.join(KINDS)}")
    if distribution == Distribution.SHARING_GROUP and sharing_group_id is None:
        raise BadInput("sharing_group distribution needs a sharing group")
    ids = frame["declaration_id"].astype(str).to_list()
    clashes = _already_stored(session, owner_agency_id, kind, ids)
    if clashes:
        lines = frame["source_line"].to_list()
        details = [{"line": int(lines[i]), "field": "declaration_id", "problem": "already stored"}
                   for i, value in enumerate(ids) if value in clashes][:50]
        raise BadInput(f"{len(clashes)} declaration(s) are already stored; nothing imported",
                       details=details)
    batch = DeclarationImport(owner_agency_id=owner_agency_id, kind=kind,
                              source_name=source_name[:255], source_sha256=source_sha256,
                              rows=len(frame), created_by=created_by)
    session.add(batch)
    session.flush()
    texts = _canonical_text(frame)
    rows = [_declaration_row(batch, kind, text, distribution, tlp, sharing_group_id)
            for text in texts]
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(StoredDeclaration), rows[start:start + CHUNK])
    audit.append(session, action="declaration.import", resource_type="declaration_import",
                 resource_id=batch.id, fields=["declarations"],
                 change={"sha256": source_sha256, "ids": ids},
                 note=f"{len(rows)} {kind}s from {source_name}"[:200])
    return batch


def _already_stored(session: Session, owner: int, kind: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        found |= set(session.scalars(select(StoredDeclaration.declaration_id).where(
            StoredDeclaration.owner_agency_id == owner, StoredDeclaration.kind == kind,
            StoredDeclaration.declaration_id.in_(ids[start:start + CHUNK]))))
    return found


def _declaration_row(batch: DeclarationImport, kind: str, text: dict[str, str],
                     distribution: Distribution, tlp: Tlp, sharing_group_id: int | None
                     ) -> dict[str, Any]:
    value = text.get("value")
    return {
        "import_id": batch.id, "kind": kind, "declaration_id": text["declaration_id"][:64],
        "date": dt.date.fromisoformat(text["date"]), "office": text.get("office", "")[:64],
        "hs_code": text.get("hs_code", "")[:10], "importer_id": text.get("importer_id", "")[:64],
        "origin_country": text.get("origin_country", "")[:8],
        "value": float(value) if value else None,
        "description": text.get("description", "")[:500], "fields": text,
        "owner_agency_id": batch.owner_agency_id, "distribution": distribution.value,
        "tlp": tlp.value, "sharing_group_id": sharing_group_id,
    }


def declaration_queue(
    session: Session, principal: Principal, *, channel: str | None = None,
    office: str | None = None, day: dt.date | None = None, kind: str | None = None,
    offset: int = 0, limit: int = 50,
) -> tuple[list[tuple[StoredDeclaration, TargetingDecision | None]], int]:
    """Declarations the principal may see, newest first, each with its decision if any."""
    require(principal, "declaration.read")
    query = select(StoredDeclaration, TargetingDecision).outerjoin(
        TargetingDecision, TargetingDecision.declaration_pk == StoredDeclaration.id).where(
        visible_to(StoredDeclaration, principal))
    if channel == "undecided":
        query = query.where(TargetingDecision.id.is_(None))
    elif channel:
        query = query.where(TargetingDecision.channel == channel)
    if office:
        query = query.where(StoredDeclaration.office == office)
    if day:
        query = query.where(StoredDeclaration.date == day)
    if kind:
        query = query.where(StoredDeclaration.kind == kind)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    # Red first: the examiner's work list.
    strict = func.coalesce(TargetingDecision.channel, "")
    rows = session.execute(query.order_by(
        StoredDeclaration.date.desc(), (strict == "red").desc(), (strict == "yellow").desc(),
        StoredDeclaration.declaration_id).offset(offset).limit(limit))
    return [(d, decision) for d, decision in rows.tuples()], total


def get_declaration(session: Session, principal: Principal, declaration_pk: int
                    ) -> StoredDeclaration:
    require(principal, "declaration.read")
    found = session.scalar(scoped(select(StoredDeclaration).where(
        StoredDeclaration.id == declaration_pk), StoredDeclaration, principal))
    if found is None:
        raise NotFound(f"declaration {declaration_pk} does not exist or is not shared with you")
    return found


def decision_of(session: Session, declaration_pk: int) -> TargetingDecision | None:
    return session.scalar(select(TargetingDecision).where(
        TargetingDecision.declaration_pk == declaration_pk))


def result_of(session: Session, decision_id: int) -> InspectionResult | None:
    return session.scalar(select(InspectionResult).where(
        InspectionResult.decision_id == decision_id))


# --- trader watch-lists -----------------------------------------------------------------------

def save_watchlist(session: Session, principal: Principal, *, name: str, field: str,
                   ids: Iterable[str], note: str = "",
                   distribution: Distribution = Distribution.AGENCY) -> TraderWatchlist:
    """Create or replace the agency's watch-list of that name (profiles refer to it by name)."""
    from chegara.targeting.declarations import FIELDS_BY_NAME

    require(principal, "profile.manage")
    if field not in FIELDS_BY_NAME:
        raise BadInput(f"unknown declaration field {field!r}")
    cleaned = sorted({i.strip() for i in ids if i.strip()})
    found = session.scalar(select(TraderWatchlist).where(
        TraderWatchlist.owner_agency_id == principal.agency_id, TraderWatchlist.name == name))
    if found is None:
        found = TraderWatchlist(owner_agency_id=principal.agency_id, name=name,
                                distribution=distribution.value, tlp=Tlp.AMBER.value)
        session.add(found)
    found.field = field
    found.ids = cleaned
    found.note = note
    session.flush()
    return found


def agency_watchlists(session: Session, agency_id: int) -> list[TraderWatchlist]:
    return list(session.scalars(select(TraderWatchlist).where(
        TraderWatchlist.owner_agency_id == agency_id).order_by(TraderWatchlist.name)))


def visible_watchlists(session: Session, principal: Principal) -> list[TraderWatchlist]:
    require(principal, "profile.read")
    return list(session.scalars(scoped(select(TraderWatchlist), TraderWatchlist, principal)
                                .order_by(TraderWatchlist.name)))


# --- risk profiles ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ProfileDraft:
    code: str
    name: str
    criteria: dict[str, Any]
    channel: str
    selection_percent: float = 100.0
    instructions: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    distribution: Distribution = Distribution.AGENCY
    tlp: Tlp = Tlp.AMBER


def _rule_profile(code: str, name: str, criteria: Mapping[str, Any], channel: str,
                  percent: float, instructions: str, valid_from: dt.date | None,
                  valid_to: dt.date | None) -> dict[str, Any]:
    return {"id": code, "name": name, "when": dict(criteria),
            "action": {"channel": channel, "selection_percent": percent,
                       "instructions": instructions},
            "valid_from": valid_from, "valid_to": valid_to}


def _check_profile(session: Session, agency_id: int, draft: ProfileDraft) -> None:
    from chegara.targeting.rules import ProfileError, parse_profile_set

    watchlists = {w.name: {"field": w.field, "ids": w.ids}
                  for w in agency_watchlists(session, agency_id)}
    raw = _rule_profile(draft.code, draft.name, draft.criteria, draft.channel,
                        draft.selection_percent, draft.instructions, draft.valid_from,
                        draft.valid_to)
    try:
        parse_profile_set({"watchlists": watchlists, "profiles": [raw]})
    except ProfileError as exc:
        raise BadInput(f"profile {draft.code}: {exc}") from exc


def create_profile(session: Session, principal: Principal, draft: ProfileDraft) -> RiskProfile:
    require(principal, "profile.manage")
    _check_profile(session, principal.agency_id, draft)
    if session.scalar(select(RiskProfile.id).where(
            RiskProfile.owner_agency_id == principal.agency_id,
            RiskProfile.code == draft.code)) is not None:
        raise Conflict(f"your agency already has a profile {draft.code!r}")
    profile = RiskProfile(owner_agency_id=principal.agency_id, status="draft", version=1,
                          created_by_id=principal.user_id)
    _apply_draft(profile, draft)
    session.add(profile)
    session.flush()
    return profile


def _apply_draft(profile: RiskProfile, draft: ProfileDraft) -> None:
    profile.code = draft.code
    profile.name = draft.name
    profile.criteria = dict(draft.criteria)
    profile.channel = draft.channel
    profile.selection_percent = draft.selection_percent
    profile.instructions = draft.instructions
    profile.valid_from = draft.valid_from
    profile.valid_to = draft.valid_to
    profile.distribution = draft.distribution.value
    profile.tlp = draft.tlp.value


def update_profile(session: Session, principal: Principal, profile_id: int,
                   draft: ProfileDraft) -> RiskProfile:
    """An edited profile stops firing until a supervisor activates the new version."""
    require(principal, "profile.manage")
    profile = get_profile(session, principal, profile_id)
    require_owner(principal, profile, "profile")
    if profile.status == "pending":
        raise Conflict("the profile is waiting for approval; withdraw the request first")
    _check_profile(session, principal.agency_id, draft)
    _apply_draft(profile, draft)
    profile.version += 1
    profile.status = "draft"
    session.flush()
    return profile


def list_profiles(session: Session, principal: Principal, *, status: str | None = None
                  ) -> list[RiskProfile]:
    require(principal, "profile.read")
    query = scoped(select(RiskProfile), RiskProfile, principal)
    if status:
        query = query.where(RiskProfile.status == status)
    return list(session.scalars(query.order_by(RiskProfile.code)))


def get_profile(session: Session, principal: Principal, profile_id: int) -> RiskProfile:
    require(principal, "profile.read")
    found = session.scalar(scoped(select(RiskProfile).where(RiskProfile.id == profile_id),
                                  RiskProfile, principal))
    if found is None:
        raise NotFound(f"profile {profile_id} does not exist or is not shared with you")
    return found


def request_profile_activation(session: Session, principal: Principal, profile_id: int
                               ) -> Approval:
    require(principal, "profile.manage")
    profile = get_profile(session, principal, profile_id)
    require_owner(principal, profile, "profile")
    if profile.status not in ("draft", "retired"):
        raise Conflict(f"the profile is {profile.status}")
    profile.status = "pending"
    return approvals.request_change(
        session, principal, kind=PROFILE_ACTIVATE, agency_id=profile.owner_agency_id,
        resource_type="risk_profile", resource_id=profile.id,
        summary=messages.PROFILE_ACTIVATE_SUMMARY.format(
            code=profile.code, version=profile.version, name=profile.name,
            channel=profile.channel), payload={"version": profile.version})


def retire_profile(session: Session, principal: Principal, profile_id: int) -> RiskProfile:
    """Stopping a profile makes control lighter at once, so it needs no second pair of eyes."""
    require(principal, "profile.manage")
    profile = get_profile(session, principal, profile_id)
    require_owner(principal, profile, "profile")
    if profile.status == "pending":
        raise Conflict("the profile is waiting for approval")
    profile.status = "retired"
    session.flush()
    return profile


def _approve_profile(session: Session, approval: Approval) -> None:
    profile = session.get(RiskProfile, int(approval.resource_id))
    if profile is None:
        raise NotFound("the profile no longer exists")
    if profile.version != approval.payload.get("version"):
        raise Conflict("the profile was edited after the request; ask again")
    profile.status = "active"
    profile.activated_at = utcnow()


def _reject_profile(session: Session, approval: Approval) -> None:
    profile = session.get(RiskProfile, int(approval.resource_id))
    if profile is not None and profile.status == "pending":
        profile.status = "draft"


approvals.register_kind(approvals.ApprovalKind(
    name=PROFILE_ACTIVATE, title="Activate a risk profile", apply=_approve_profile,
    on_reject=_reject_profile))


def active_profile_set(session: Session, agency_id: int) -> ProfileSet:
    """The agency's active profiles with its watch-lists, as the rule evaluator reads them."""
    from chegara.targeting.rules import parse_profile_set

    profiles = session.scalars(select(RiskProfile).where(
        RiskProfile.owner_agency_id == agency_id, RiskProfile.status == "active")
        .order_by(RiskProfile.code))
    raw = [_rule_profile(p.code, p.name, p.criteria, p.channel, p.selection_percent,
                         p.instructions, p.valid_from, p.valid_to) for p in profiles]
    watchlists = {w.name: {"field": w.field, "ids": w.ids}
                  for w in agency_watchlists(session, agency_id)}
    return parse_profile_set({"watchlists": watchlists, "profiles": raw})


# --- inspection capacity ----------------------------------------------------------------------

def set_capacity(session: Session, principal: Principal, *, office: str, physical_per_day: int,
                 documentary_per_day: int, inspectors: Sequence[str]) -> InspectionCapacity:
    require(principal, "profile.manage")
    if physical_per_day < 0 or documentary_per_day < 0:
        raise BadInput("capacities cannot be negative")
    found = session.scalar(select(InspectionCapacity).where(
        InspectionCapacity.owner_agency_id == principal.agency_id,
        InspectionCapacity.office == office))
    if found is None:
        found = InspectionCapacity(owner_agency_id=principal.agency_id, office=office)
        session.add(found)
    found.physical_per_day = physical_per_day
    found.documentary_per_day = documentary_per_day
    found.inspectors = [i.strip() for i in inspectors if i.strip()]
    session.flush()
    return found


def capacities(session: Session, agency_id: int) -> list[InspectionCapacity]:
    return list(session.scalars(select(InspectionCapacity).where(
        InspectionCapacity.owner_agency_id == agency_id).order_by(InspectionCapacity.office)))


# --- model registry ---------------------------------------------------------------------------

_LOADED: dict[str, RiskModel] = {}
_LOADED_LOCK = threading.Lock()


def load_model(path: str) -> RiskModel:
    """A registered model from its files, kept in memory (files never change once stored)."""
    from chegara.targeting.model import RiskModel

    with _LOADED_LOCK:
        model = _LOADED.get(path)
        if model is None:
            model = RiskModel.load(path)
            _LOADED[path] = model
        return model


def active_model(session: Session, agency_id: int) -> RiskModelVersion | None:
    return session.scalar(select(RiskModelVersion).where(
        RiskModelVersion.owner_agency_id == agency_id, RiskModelVersion.status == "active"))


def _date_or_none(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def register_model(session: Session, *, model: RiskModel, owner_agency_id: int, home: Path,
                   created_by: str, reference_scores: Sequence[float] = ()
                   ) -> RiskModelVersion:
    """Store a trained model's files under home/models/<version>/ and register it."""
    version = str(model.metadata.get("version") or utcnow().strftime("%Y%m%dT%H%M%SZ"))
    taken = set(session.scalars(select(RiskModelVersion.version).where(
        RiskModelVersion.owner_agency_id == owner_agency_id)))
    base, n = version, 1
    while version in taken or (home / "models" / f"{owner_agency_id}-{version}").exists():
        n += 1
        version = f"{base}-{n}"
    model.metadata["version"] = version
    directory = home / "models" / f"{owner_agency_id}-{version}"
    model.save(directory)
    window = model.metadata.get("data_window", {})
    row = RiskModelVersion(
        owner_agency_id=owner_agency_id, version=version, path=str(directory),
        status="registered", data_from=_date_or_none(window.get("from")),
        data_to=_date_or_none(window.get("to")), rows=int(model.metadata.get("rows", 0)),
        inspected=int(model.metadata.get("inspected", 0)),
        metrics=dict(model.metadata.get("holdout_metrics", {})),
        reference_scores=_deciles(reference_scores), created_by=created_by)
    session.add(row)
    session.flush()
    return row


def register_model_directory(session: Session, principal: Principal | None, *, source: Path,
                             owner_agency_id: int, home: Path, created_by: str
                             ) -> RiskModelVersion:
    """Register a model written by ``chegara targeting train`` (its files are copied)."""
    if principal is not None:
        require(principal, "model.manage")
        owner_agency_id = principal.agency_id
    try:
        model = load_model(str(source))
    except (FileNotFoundError, ValueError, OSError) as exc:
        raise BadInput(f"{source}: cannot load the model: {exc}") from exc
    return register_model(session, model=model, owner_agency_id=owner_agency_id, home=home,
                          created_by=created_by)


def _deciles(scores: Sequence[float]) -> list[float]:
    import numpy as np

    values = np.asarray(scores, dtype=float)
    values = values[np.isfinite(values)]
    if not len(values):
        return []
    # 101 quantiles stand in for the training scores when measuring drift later.
    return [float(v) for v in np.quantile(values, np.linspace(0, 1, 101))]


def training_data(session: Session, agency_id: int) -> tuple[pd.DataFrame, Any]:
    """The agency's declarations with 1/0 where an inspection found / did not find something,
    NaN where none was inspected (such rows still count as activity in the history)."""
    import numpy as np

    rows = session.execute(
        select(StoredDeclaration, InspectionResult.found)
        .outerjoin(TargetingDecision, TargetingDecision.declaration_pk == StoredDeclaration.id)
        .outerjoin(InspectionResult, InspectionResult.decision_id == TargetingDecision.id)
        .where(StoredDeclaration.owner_agency_id == agency_id,
               StoredDeclaration.kind == "declaration")
        .order_by(StoredDeclaration.date, StoredDeclaration.id)).tuples().all()
    inspected_days = [d.date for d, found in rows if found is not None]
    # Declarations after the last inspection result carry no outcome yet; keeping them would
    # put the calibration slice (the last days) where nothing is known.
    last = max(inspected_days) if inspected_days else None
    rows = [r for r in rows if last is not None and r[0].date <= last]
    frame = frame_of([r[0] for r in rows])
    labels = np.array([np.nan if found is None else float(found) for _, found in rows])
    return frame, labels


def train_from_results(session: Session, principal: Principal | None, *, owner_agency_id: int,
                       home: Path, created_by: str, seed: int = 0) -> RiskModelVersion:
    """Retrain on every inspection result recorded so far; the new version waits for approval."""
    from chegara.targeting.model import train_model

    if principal is not None:
        require(principal, "model.manage")
        owner_agency_id = principal.agency_id
    frame, labels = training_data(session, owner_agency_id)
    if not len(frame):
        raise BadInput("no inspection results recorded to train on")
    try:
        model = train_model(frame, labels, seed=seed)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    return register_model(session, model=model, owner_agency_id=owner_agency_id, home=home,
                          created_by=created_by, reference_scores=list(model.score(frame)))


def list_models(session: Session, principal: Principal) -> list[RiskModelVersion]:
    require(principal, "model.read")
    return list(session.scalars(select(RiskModelVersion).where(
        RiskModelVersion.owner_agency_id == principal.agency_id)
        .order_by(RiskModelVersion.created_at.desc(), RiskModelVersion.id.desc())))


def get_model(session: Session, principal: Principal, model_id: int) -> RiskModelVersion:
    require(principal, "model.read")
    found = session.get(RiskModelVersion, model_id)
    if found is None or found.owner_agency_id != principal.agency_id:
        raise NotFound(f"model {model_id} does not exist in your agency's registry")
    return found


def request_model_activation(session: Session, principal: Principal, model_id: int
                             ) -> Approval:
    """Activate a version, or roll back to an earlier one: either way, four-eyes."""
    require(principal, "model.manage")
    found = get_model(session, principal, model_id)
    if found.status in ("active", "pending"):
        raise Conflict(f"model {found.version} is already {found.status}")
    found.status = "pending"
    metrics = found.metrics
    return approvals.request_change(
        session, principal, kind=MODEL_ACTIVATE, agency_id=found.owner_agency_id,
        resource_type="risk_model", resource_id=found.id,
        summary=messages.MODEL_ACTIVATE_SUMMARY.format(
            version=found.version, data_from=found.data_from, data_to=found.data_to,
            precision=metrics.get("precision_at_5", float("nan"))))


def activate_model_now(session: Session, row: RiskModelVersion) -> None:
    for other in session.scalars(select(RiskModelVersion).where(
            RiskModelVersion.owner_agency_id == row.owner_agency_id,
            RiskModelVersion.status == "active", RiskModelVersion.id != row.id)):
        other.status = "retired"
    row.status = "active"
    row.activated_at = utcnow()
    session.flush()


def _approve_model(session: Session, approval: Approval) -> None:
    row = session.get(RiskModelVersion, int(approval.resource_id))
    if row is None:
        raise NotFound("the model no longer exists")
    activate_model_now(session, row)


def _reject_model(session: Session, approval: Approval) -> None:
    row = session.get(RiskModelVersion, int(approval.resource_id))
    if row is not None and row.status == "pending":
        row.status = "registered" if row.activated_at is None else "retired"


approvals.register_kind(approvals.ApprovalKind(
    name=MODEL_ACTIVATE, title="Activate a risk model version", apply=_approve_model,
    on_reject=_reject_model))


# --- decisions --------------------------------------------------------------------------------

@dataclass(frozen=True)
class SelectionRates:
    red_rate: float = 0.05
    yellow_rate: float = 0.05
    blue_rate: float = 0.0
    random_percent: float = 1.0
    seed: int = 0

    def __post_init__(self) -> None:
        # Written so that NaN fails as well: the command line passes any float through.
        bounds = {"red_rate": 1.0, "yellow_rate": 1.0, "blue_rate": 1.0, "random_percent": 100.0}
        wrong = [{"field": name, "problem": f"must lie within 0-{high:g}"}
                 for name, high in bounds.items() if not 0 <= getattr(self, name) <= high]
        if wrong:
            raise BadInput("; ".join(f"{w['field']} {w['problem']}" for w in wrong),
                           details=wrong)


@dataclass
class RunSummary:
    decided: int
    channels: dict[str, int] = field(default_factory=dict)
    model_version: str = ""
    profiles: int = 0


def run_selection(
    session: Session, principal: Principal | None, *, owner_agency_id: int,
    day_from: dt.date | None = None, day_to: dt.date | None = None,
    rates: SelectionRates | None = None,
) -> RunSummary:
    """Channel the agency's undecided declarations of the days given (ASYCUDA's order, per
    office and day, under the offices' capacities), and deal the selected ones to inspectors.
    SPS consignments get their checks from the SPS categories and history instead."""
    if principal is not None:
        require(principal, "decision.run")
        owner_agency_id = principal.agency_id
    rates = rates or SelectionRates()
    query = (select(StoredDeclaration)
             .outerjoin(TargetingDecision, TargetingDecision.declaration_pk == StoredDeclaration.id)
             .where(StoredDeclaration.owner_agency_id == owner_agency_id,
                    TargetingDecision.id.is_(None)))
    if day_from:
        query = query.where(StoredDeclaration.date >= day_from)
    if day_to:
        query = query.where(StoredDeclaration.date <= day_to)
    rows = list(session.scalars(query.order_by(StoredDeclaration.date, StoredDeclaration.id)))
    if not rows:
        return RunSummary(0)
    registered = active_model(session, owner_agency_id)
    profile_set = active_profile_set(session, owner_agency_id)
    decided_at = utcnow()
    declarations = [r for r in rows if r.kind == "declaration"]
    consignments = [r for r in rows if r.kind == "consignment"]
    values = (_channel_declarations(session, declarations, owner_agency_id, rates, registered,
                                    profile_set, decided_at) if declarations else [])
    if consignments:
        from chegara.targeting import sps_service

        checks = sps_service.consignment_decisions(
            session, consignments, owner_agency_id=owner_agency_id, profile_set=profile_set,
            seed=rates.seed, decided_at=decided_at)
        values += [value for value, _ in checks]
    for start in range(0, len(values), CHUNK):
        session.execute(insert(TargetingDecision), values[start:start + CHUNK])
    if consignments:
        sps_service.store_checks(session, [plan for _, plan in checks])
    channels = [str(v["channel"]) for v in values]
    counts = {c: channels.count(c) for c in ("red", "yellow", "blue", "green")}
    audit.append(session, action="targeting_decision.run", resource_type="targeting_decision",
                 resource_id=f"{owner_agency_id}:{rows[0].date}..{rows[-1].date}",
                 fields=["channel"], change={"declarations": [v["declaration_pk"] for v in values],
                                             "channels": channels},
                 note=f"{len(rows)} declarations channelled: {counts}")
    return RunSummary(len(rows), counts,
                      registered.version if registered and declarations else "",
                      len(profile_set.profiles))


def _channel_declarations(
    session: Session, rows: list[StoredDeclaration], owner_agency_id: int,
    rates: SelectionRates, registered: RiskModelVersion | None, profile_set: ProfileSet,
    decided_at: dt.datetime,
) -> list[dict[str, Any]]:
    """Customs selection: fired profiles, the random sample, the top-up by score, green."""
    import numpy as np

    from chegara.targeting.rules import evaluate
    from chegara.targeting.selection import SelectionPolicy
    from chegara.targeting.selection import select as select_channels
    from chegara.targeting.valuation import ReferencePriceBase, flag_undervaluation

    frame = frame_of(rows)
    model = load_model(registered.path) if registered is not None else None
    if model is not None:
        scores = model.score(frame)
        prices = model.prices
    else:
        # Without a model only rules and the random sample select; no top-up by score.
        scores = np.full(len(frame), np.nan)
        prices = ReferencePriceBase.build(frame)
    hits = evaluate(profile_set, frame, prices=prices, seed=rates.seed)
    offices = capacities(session, owner_agency_id)
    policy = SelectionPolicy(
        red_rate=rates.red_rate if model else 0.0,
        yellow_rate=rates.yellow_rate if model else 0.0,
        blue_rate=rates.blue_rate if model else 0.0, random_percent=rates.random_percent,
        physical_capacity={c.office: c.physical_per_day for c in offices},
        documentary_capacity={c.office: c.documentary_per_day for c in offices},
        seed=rates.seed)
    aeo = next((w.ids for w in agency_watchlists(session, owner_agency_id)
                if w.name == AEO_LIST), [])
    chosen = select_channels(frame, scores, policy=policy, rule_hits=hits, aeo_traders=aeo,
                    inspectors={c.office: c.inspectors for c in offices if c.inspectors},
                    office_names=office_names(session))
    valuation = flag_undervaluation(frame, prices)
    selected = np.flatnonzero(chosen.channel != "green")
    model_reasons: dict[int, list[str]] = {}
    if model is not None and len(selected):
        for row, found in zip(selected, model.reasons(frame.iloc[selected]), strict=True):
            model_reasons[int(row)] = [r.text for r in found]
    values = []
    for i, stored in enumerate(rows):
        score = float(scores[i])
        values.append({
            "declaration_pk": stored.id, "channel": str(chosen.channel[i]),
            "basis": BASIS_NAMES[int(chosen.basis[i])],
            "score": None if math.isnan(score) else score,
            "model_version": registered.version if registered else "",
            "profiles_fired": hits.fired_ids(i), "reasons": chosen.reasons(i),
            "model_reasons": model_reasons.get(i, []),
            "undervaluation": str(valuation["undervaluation_reason"].iat[i]),
            "inspector": str(chosen.inspector[i]) if len(chosen.inspector) else "",
            "original_channel": "", "override_reason": "", "override_status": "",
            "decided_at": decided_at, "owner_agency_id": stored.owner_agency_id,
            "distribution": stored.distribution, "sharing_group_id": stored.sharing_group_id,
            "tlp": stored.tlp,
        })
    return values


def office_names(session: Session) -> dict[str, str]:
    """Office code -> the name a reason gives it: an office that is a crossing point is named
    as the analysis pages and the map name that point; other offices keep their code."""
    from chegara.analysis import service as analysis

    return {p.code: p.name for p in analysis.list_crossing_points(session) if p.name}


def get_decision(session: Session, principal: Principal, decision_id: int) -> TargetingDecision:
    require(principal, "declaration.read")
    found = session.scalar(scoped(select(TargetingDecision).where(
        TargetingDecision.id == decision_id), TargetingDecision, principal))
    if found is None:
        raise NotFound(f"decision {decision_id} does not exist or is not shared with you")
    return found


def request_override(session: Session, principal: Principal, decision_id: int, *,
                     channel: str, reason: str) -> tuple[TargetingDecision, Approval | None]:
    """Stricter control applies at once; anything lighter than red waits for a supervisor."""
    require(principal, "decision.override")
    decision = get_decision(session, principal, decision_id)
    require_owner(principal, decision, "decision")
    if channel not in CHANNELS:
        raise BadInput(f"channel must be one of {', '.join(CHANNELS)}")
    if not reason.strip():
        raise BadInput("an override needs a reason", details=[{"field": "reason"}])
    if channel == decision.channel:
        raise BadInput(f"the decision is already {channel}")
    if decision.override_status == "pending":
        raise Conflict("an override of this decision is already waiting for approval")
    if STRICTNESS[channel] > STRICTNESS[decision.channel]:
        _set_channel(session, decision, channel, reason.strip(), "applied")
        return decision, None
    decision.override_status = "pending"
    decision.override_reason = reason.strip()[:2000]
    approval = approvals.request_change(
        session, principal, kind=DECISION_OVERRIDE, agency_id=decision.owner_agency_id,
        resource_type="targeting_decision", resource_id=decision.id,
        summary=messages.OVERRIDE_SUMMARY.format(decision=decision.id, channel=decision.channel,
                                                 to=channel, reason=reason.strip()),
        payload={"channel": channel, "reason": reason.strip()})
    audit.append(session, action="targeting_decision.override_requested",
                 resource_type="targeting_decision", resource_id=decision.id,
                 fields=["override_status"], change={"to": channel, "reason": reason.strip()})
    return decision, approval


def _set_channel(session: Session, decision: TargetingDecision, channel: str, reason: str,
                 status: str) -> None:
    previous = decision.channel
    decision.original_channel = decision.original_channel or previous
    decision.channel = channel
    decision.override_reason = reason[:2000]
    decision.override_status = status
    # Decisions are written in bulk and not audited row by row: say what changed here.
    audit.append(session, action="targeting_decision.override", resource_type="targeting_decision",
                 resource_id=decision.id, fields=["channel", "override_reason"],
                 change={"from": previous, "to": channel, "reason": reason})
    session.flush()


def _approve_override(session: Session, approval: Approval) -> None:
    decision = session.get(TargetingDecision, int(approval.resource_id))
    if decision is None:
        raise NotFound("the decision no longer exists")
    _set_channel(session, decision, str(approval.payload["channel"]),
                 str(approval.payload.get("reason", "")), "approved")


def _reject_override(session: Session, approval: Approval) -> None:
    decision = session.get(TargetingDecision, int(approval.resource_id))
    if decision is not None and decision.override_status == "pending":
        decision.override_status = "rejected"
        audit.append(session, action="targeting_decision.override_rejected",
                     resource_type="targeting_decision", resource_id=decision.id,
                     fields=["override_status"], change={"status": approval.status})


approvals.register_kind(approvals.ApprovalKind(
    name=DECISION_OVERRIDE, title="Override a red targeting decision", apply=_approve_override,
    on_reject=_reject_override))


# --- inspection results -----------------------------------------------------------------------

def record_result(session: Session, principal: Principal, decision_id: int, *, found: bool,
                  offence_type: str = "", revenue_recovered: float = 0.0, notes: str = "",
                  inspected_on: dt.date | None = None) -> InspectionResult:
    require(principal, "inspection.record")
    decision = get_decision(session, principal, decision_id)
    require_owner(principal, decision, "decision")
    # Every SPS consignment gets at least the documentary check, whose result counts too.
    if decision.channel == "green" and not decision.original_channel and decision.basis != "sps":
        raise BadInput("a green declaration was not selected for inspection")
    if result_of(session, decision.id) is not None:
        raise Conflict("an inspection result is already recorded for this declaration")
    if revenue_recovered < 0 or not math.isfinite(revenue_recovered):
        raise BadInput("revenue recovered must be a non-negative number")
    if found and not offence_type.strip():
        raise BadInput("say which offence was found", details=[{"field": "offence_type"}])
    result = InspectionResult(
        decision_id=decision.id, found=found, offence_type=offence_type.strip()[:64],
        revenue_recovered=revenue_recovered, notes=notes[:4000],
        recorded_by=principal.username, inspected_on=inspected_on or utcnow().date(),
        owner_agency_id=decision.owner_agency_id, distribution=decision.distribution,
        sharing_group_id=decision.sharing_group_id, tlp=decision.tlp)
    session.add(result)
    session.flush()
    return result


# --- effectiveness, non-compliance and drift --------------------------------------------------

@dataclass(frozen=True)
class SelectorRate:
    selector: str
    inspected: int
    found: int
    hit_rate: float
    low: float
    high: float


@dataclass
class Dashboard:
    rates: list[SelectorRate]
    weekly: dict[str, list[tuple[str, float, int]]]
    non_compliance: SelectorRate | None
    revenue: float
    inspected: int
    channels: dict[str, int]
    model: RiskModelVersion | None
    score_psi: float
    score_level: str
    input_drift: list[tuple[str, float, str]]


def _selectors(decision: TargetingDecision) -> list[str]:
    found = [f"profile {code}" for code in decision.profiles_fired]
    if decision.basis == "score":
        found.append(f"model {decision.model_version}")
    elif decision.basis == "random":
        found.append("random sample")
    elif decision.basis == "sps":
        found.append("SPS check frequency")
    if decision.original_channel:
        found.append("officer override")
    return found


def dashboard(session: Session, principal: Principal) -> Dashboard:
    """Hit rates per profile and model (overall and by week), the non-compliance estimate from
    the random sample, and drift of the score and of the inputs since the model's training."""
    import numpy as np
    import pandas as pd

    from chegara.targeting import outcomes

    require(principal, "model.read")
    agency = principal.agency_id
    pairs = session.execute(
        select(TargetingDecision, InspectionResult)
        .join(InspectionResult, InspectionResult.decision_id == TargetingDecision.id)
        .where(TargetingDecision.owner_agency_id == agency)).tuples().all()
    selected_by = pd.Series([_selectors(d) for d, _ in pairs], dtype=object)
    found = np.array([int(r.found) for _, r in pairs], dtype=int)
    rates = [SelectorRate(str(r.selector), int(r.inspected), int(r.found), float(r.hit_rate),
                          float(r.low), float(r.high))
             for r in outcomes.hit_rates(selected_by, found).itertuples()] if pairs else []
    weekly: dict[str, list[tuple[str, float, int]]] = {}
    if pairs:
        weeks = [r.inspected_on.strftime("%G-W%V") for _, r in pairs]
        table = pd.DataFrame({"by": selected_by, "found": found, "week": weeks}).explode("by")
        for (selector, week), group in table.groupby(["by", "week"]):
            weekly.setdefault(str(selector), []).append(
                (str(week), float(group["found"].mean()), len(group)))
    random_found = np.array([int(r.found) for d, r in pairs if d.basis == "random"], dtype=int)
    non_compliance = None
    if len(random_found):
        rate = outcomes.non_compliance_estimate(random_found)
        non_compliance = SelectorRate("random sample", rate.total, rate.hits, rate.rate,
                                      rate.low, rate.high)
    channels = dict(session.execute(
        select(TargetingDecision.channel, func.count()).where(
            TargetingDecision.owner_agency_id == agency).group_by(TargetingDecision.channel)
    ).tuples().all())
    model = active_model(session, agency)
    score_psi, drift = float("nan"), []
    if model is not None:
        score_psi = _score_drift(session, model)
        drift = _input_drift(session, model)
    return Dashboard(rates, weekly, non_compliance,
                     float(sum(r.revenue_recovered for _, r in pairs)), len(pairs),
                     channels, model, score_psi, outcomes.psi_level(score_psi), drift)


@dataclass
class ProfileEffectiveness:
    fired: int
    rate: SelectorRate | None
    weekly: list[tuple[str, float, int]]
    revenue: float


def profile_effectiveness(session: Session, principal: Principal, profile: RiskProfile
                          ) -> ProfileEffectiveness:
    """How often the owning agency's profile fired, and what inspections found when it did."""
    import json

    from chegara.targeting import outcomes

    require(principal, "profile.read")
    if profile.owner_agency_id != principal.agency_id:
        return ProfileEffectiveness(0, None, [], 0.0)
    # JSON lists cannot be searched portably in SQL; the LIKE narrows, Python decides.
    needle = f"%{json.dumps(profile.code)}%"
    rows = session.execute(
        select(TargetingDecision.profiles_fired, InspectionResult)
        .outerjoin(InspectionResult, InspectionResult.decision_id == TargetingDecision.id)
        .where(TargetingDecision.owner_agency_id == profile.owner_agency_id,
               func.cast(TargetingDecision.profiles_fired, String).like(needle))).tuples().all()
    mine = [(fired, result) for fired, result in rows if profile.code in fired]
    results = [r for _, r in mine if r is not None]
    if not results:
        return ProfileEffectiveness(len(mine), None, [], 0.0)
    found = sum(int(r.found) for r in results)
    interval = outcomes.wilson_interval(found, len(results))
    weeks: dict[str, list[int]] = {}
    for r in results:
        weeks.setdefault(r.inspected_on.strftime("%G-W%V"), []).append(int(r.found))
    weekly = [(week, sum(v) / len(v), len(v)) for week, v in sorted(weeks.items())]
    return ProfileEffectiveness(
        len(mine), SelectorRate(f"profile {profile.code}", len(results), found, interval.rate,
                                interval.low, interval.high),
        weekly, float(sum(r.revenue_recovered for r in results)))


def _score_drift(session: Session, model: RiskModelVersion) -> float:
    import numpy as np

    from chegara.targeting.outcomes import population_stability

    scores = np.array(list(session.scalars(select(TargetingDecision.score).where(
        TargetingDecision.owner_agency_id == model.owner_agency_id,
        TargetingDecision.model_version == model.version,
        TargetingDecision.score.is_not(None)))), dtype=float)
    if not model.reference_scores or len(scores) < 50:
        return float("nan")
    return population_stability(np.asarray(model.reference_scores), scores)


DRIFT_INPUTS = ("office", "origin_country", "transport_mode", "hs2", "log_value_per_kg")


def _drift_frame(rows: Sequence[StoredDeclaration]) -> pd.DataFrame:
    import numpy as np

    from chegara.targeting.valuation import log_value_per_kg

    frame = frame_of(rows)
    frame["hs2"] = frame["hs_code"].astype(str).str.slice(0, 2)
    frame["log_value_per_kg"] = log_value_per_kg(frame).to_numpy(dtype=float)
    frame["log_value_per_kg"] = frame["log_value_per_kg"].replace([np.inf, -np.inf], np.nan)
    return frame[list(DRIFT_INPUTS)]


def _input_drift(session: Session, model: RiskModelVersion) -> list[tuple[str, float, str]]:
    """PSI of the inputs: the model's training window against everything lodged since."""
    from chegara.targeting.outcomes import drift_report

    if model.data_from is None or model.data_to is None:
        return []
    base = select(StoredDeclaration).where(
        StoredDeclaration.owner_agency_id == model.owner_agency_id,
        StoredDeclaration.kind == "declaration")
    before = list(session.scalars(base.where(StoredDeclaration.date >= model.data_from,
                                             StoredDeclaration.date <= model.data_to)))
    after = list(session.scalars(base.where(StoredDeclaration.date > model.data_to)))
    if len(before) < 50 or len(after) < 50:
        return []
    report = drift_report(_drift_frame(before), _drift_frame(after), list(DRIFT_INPUTS))
    return [(str(r.input), float(r.psi), str(r.level)) for r in report.itertuples()]


# --- one-stop joint control -------------------------------------------------------------------

@dataclass(frozen=True)
class JointPart:
    agency_id: int
    agency_code: str
    kind: str
    visible: bool
    declaration: StoredDeclaration | None
    decision: TargetingDecision | None
    # For an SPS consignment, the checks its agency decided (documentary, identity, ...).
    sps_checks: tuple[str, ...] = ()


@dataclass
class JointDecision:
    declaration_ref: str
    channel: str
    parts: list[JointPart]
    appointment: JointInspection | None

    @property
    def needs_joint_inspection(self) -> bool:
        return self.channel in ("red", "yellow")

    @property
    def border_action(self) -> str:
        if self.channel == "red":
            return "hold the vehicle for the joint physical inspection"
        if self.channel == "yellow":
            return "hold the vehicle until the document check is done"
        return "release"


def joint_decision(session: Session, principal: Principal, declaration_ref: str
                   ) -> JointDecision:
    """One declaration -> one combined decision for customs, SPS and the border guard.

    The combined channel (the strictest of the agencies' channels) and the appointment are what
    every national agency at the crossing acts on; each agency's own part (reasons, scores,
    goods) is shown only where its distribution reaches the viewer.
    """
    require(principal, "declaration.read")
    if principal.agency_is_partner:
        raise Forbidden("joint decisions are for the national agencies at the crossing")
    rows = session.execute(
        select(StoredDeclaration, TargetingDecision, Agency.code)
        .outerjoin(TargetingDecision, TargetingDecision.declaration_pk == StoredDeclaration.id)
        .join(Agency, Agency.id == StoredDeclaration.owner_agency_id)
        .where(StoredDeclaration.declaration_id == declaration_ref)
        .order_by(StoredDeclaration.kind, Agency.code)).tuples().all()
    from chegara.targeting.sps_service import checks_of, checks_text

    visible_rows = [(stored, decision, code, bool(can_see(principal, stored.marking)))
                    for stored, decision, code in rows]
    checks = checks_of(session, [d for _, d, _, visible in visible_rows if visible])
    parts = []
    for stored, decision, code, visible in visible_rows:
        check = checks.get(decision.id) if visible and decision is not None else None
        parts.append(JointPart(stored.owner_agency_id, code, stored.kind, visible,
                               stored if visible else None, decision if visible else None,
                               tuple(checks_text(check)) if check else ()))
    if not any(p.visible for p in parts):
        raise NotFound(f"no declaration {declaration_ref!r} is shared with you")
    channels = [d.channel for _, d, _ in rows if d is not None]
    channel = max(channels, key=lambda c: STRICTNESS[c]) if channels else "undecided"
    appointment = session.scalar(select(JointInspection).where(
        JointInspection.declaration_ref == declaration_ref))
    return JointDecision(declaration_ref, channel, parts, appointment)


def schedule_joint_inspection(session: Session, principal: Principal, declaration_ref: str, *,
                              scheduled_for: dt.datetime, place: str) -> JointInspection:
    """One appointment for every agency that controls the consignment."""
    require(principal, "inspection.record")
    joint = joint_decision(session, principal, declaration_ref)
    if not joint.needs_joint_inspection:
        raise BadInput("the combined decision does not call for an inspection")
    if not any(p.visible and p.agency_id == principal.agency_id for p in joint.parts):
        raise Forbidden("only an agency that controls the consignment may set the appointment")
    if scheduled_for.tzinfo is None:
        raise BadInput("give the appointment time with its time zone")
    agencies = sorted({p.agency_id for p in joint.parts})
    border = session.scalar(select(Agency.id).where(Agency.kind == "border",
                                                    Agency.is_partner.is_(False)))
    if border is not None and border not in agencies:
        agencies.append(border)
    appointment = joint.appointment
    if appointment is None:
        appointment = JointInspection(declaration_ref=declaration_ref,
                                      owner_agency_id=principal.agency_id,
                                      distribution=Distribution.NATIONAL.value,
                                      tlp=Tlp.AMBER.value, created_by=principal.username,
                                      scheduled_for=scheduled_for, place=place[:200],
                                      agencies=agencies)
        session.add(appointment)
    else:
        appointment.scheduled_for = scheduled_for
        appointment.place = place[:200]
        appointment.agencies = agencies
    session.flush()
    return appointment
