"""SPS check frequencies on the platform: risk categories under four-eyes, the history of SPS
inspection results, and the checks decided for each consignment (``sps.py`` does the work).

Categories are edited as drafts; a supervisor of the owning agency who did not ask approves
their activation and their retirement (retiring an increased-frequency category lightens
control, so it is not done on one person's word). Services take a keyword ``session`` and never
commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chegara import messages
from chegara.db.base import Distribution, Tlp, utcnow
from chegara.errors import BadInput, Conflict, NotFound
from chegara.security import approvals
from chegara.security.models import Approval
from chegara.security.policy import Principal
from chegara.security.scoping import scoped
from chegara.security.service import require
from chegara.targeting import sps
from chegara.targeting.models import (
    InspectionResult,
    SpsCategoryRecord,
    SpsCheck,
    StoredDeclaration,
    TargetingDecision,
)
from chegara.targeting.service import CHUNK, require_owner

if TYPE_CHECKING:
    from chegara.targeting.rules import ProfileSet

SPS_CHANGE = "sps_category.change"
RULES = sps.HistoryRules()


@dataclass(frozen=True)
class CategoryDraft:
    code: str
    name: str
    identity_percent: float
    physical_percent: float
    laboratory_percent: float
    documentary_percent: float = 100.0
    commodity_category: str = ""
    hs_prefixes: tuple[str, ...] = ()
    product_pattern: str = ""
    origin_country: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    distribution: Distribution = Distribution.AGENCY

    def as_category(self) -> sps.SpsCategory:
        return sps.SpsCategory(
            code=self.code.strip(), name=self.name.strip(),
            identity_percent=self.identity_percent, physical_percent=self.physical_percent,
            laboratory_percent=self.laboratory_percent,
            documentary_percent=self.documentary_percent,
            commodity_category=self.commodity_category.strip(),
            hs_prefixes=tuple(p.strip() for p in self.hs_prefixes if p.strip()),
            product_pattern=self.product_pattern.strip(),
            origin_country=self.origin_country.strip().upper(), valid_from=self.valid_from,
            valid_to=self.valid_to)


def as_category(record: SpsCategoryRecord) -> sps.SpsCategory:
    return sps.SpsCategory(
        code=record.code, name=record.name, identity_percent=record.identity_percent,
        physical_percent=record.physical_percent, laboratory_percent=record.laboratory_percent,
        documentary_percent=record.documentary_percent,
        commodity_category=record.commodity_category, hs_prefixes=tuple(record.hs_prefixes),
        product_pattern=record.product_pattern, origin_country=record.origin_country,
        valid_from=record.valid_from, valid_to=record.valid_to)


def _checked(draft: CategoryDraft) -> sps.SpsCategory:
    category = draft.as_category()
    problems = sps.category_problems(category)
    if not category.name or len(category.name) > 200:
        problems.append("name: 1-200 characters")
    if problems:
        raise BadInput(f"SPS category {category.code or '?'}: " + "; ".join(problems),
                       details=[{"field": p.split(":")[0], "problem": p} for p in problems])
    return category


def _apply(record: SpsCategoryRecord, category: sps.SpsCategory,
           distribution: Distribution) -> None:
    record.code = category.code
    record.name = category.name
    record.commodity_category = category.commodity_category[:64]
    record.hs_prefixes = list(category.hs_prefixes)
    record.product_pattern = category.product_pattern[:100]
    record.origin_country = category.origin_country
    record.valid_from = category.valid_from
    record.valid_to = category.valid_to
    record.documentary_percent = category.documentary_percent
    record.identity_percent = category.identity_percent
    record.physical_percent = category.physical_percent
    record.laboratory_percent = category.laboratory_percent
    record.distribution = distribution.value


def create_category(session: Session, principal: Principal, draft: CategoryDraft
                    ) -> SpsCategoryRecord:
    require(principal, "sps_category.manage")
    category = _checked(draft)
    if session.scalar(select(SpsCategoryRecord.id).where(
            SpsCategoryRecord.owner_agency_id == principal.agency_id,
            SpsCategoryRecord.code == category.code)) is not None:
        raise Conflict(f"your agency already has an SPS category {category.code!r}")
    record = SpsCategoryRecord(owner_agency_id=principal.agency_id, status="draft", version=1,
                               created_by_id=principal.user_id, tlp=Tlp.AMBER.value)
    _apply(record, category, draft.distribution)
    session.add(record)
    session.flush()
    return record


def update_category(session: Session, principal: Principal, category_id: int,
                    draft: CategoryDraft) -> SpsCategoryRecord:
    """An edited category stops applying until a supervisor activates the new version."""
    require(principal, "sps_category.manage")
    record = get_category(session, principal, category_id)
    require_owner(principal, record, "SPS category")
    if record.status in ("pending", "retiring"):
        raise Conflict("the category is waiting for approval; withdraw the request first")
    category = _checked(draft)
    if category.code != record.code:
        raise BadInput("the code of a category cannot change; create a new category")
    _apply(record, category, draft.distribution)
    record.version += 1
    record.status = "draft"
    session.flush()
    return record


def list_categories(session: Session, principal: Principal, *, status: str | None = None
                    ) -> list[SpsCategoryRecord]:
    require(principal, "sps_category.read")
    query = scoped(select(SpsCategoryRecord), SpsCategoryRecord, principal)
    if status:
        query = query.where(SpsCategoryRecord.status == status)
    return list(session.scalars(query.order_by(SpsCategoryRecord.code)))


def get_category(session: Session, principal: Principal, category_id: int
                 ) -> SpsCategoryRecord:
    require(principal, "sps_category.read")
    found = session.scalar(scoped(select(SpsCategoryRecord).where(
        SpsCategoryRecord.id == category_id), SpsCategoryRecord, principal))
    if found is None:
        raise NotFound(f"SPS category {category_id} does not exist or is not shared with you")
    return found


def request_activation(session: Session, principal: Principal, category_id: int) -> Approval:
    require(principal, "sps_category.manage")
    record = get_category(session, principal, category_id)
    require_owner(principal, record, "SPS category")
    if record.status not in ("draft", "retired"):
        raise Conflict(f"the category is {record.status}")
    record.status = "pending"
    return approvals.request_change(
        session, principal, kind=SPS_CHANGE, agency_id=record.owner_agency_id,
        resource_type="sps_category", resource_id=record.id,
        summary=messages.SPS_ACTIVATE_SUMMARY.format(
            code=record.code, version=record.version, name=record.name,
            frequencies=as_category(record).frequencies.describe()),
        payload={"action": "activate", "version": record.version})


def request_retirement(session: Session, principal: Principal, category_id: int) -> Approval:
    require(principal, "sps_category.manage")
    record = get_category(session, principal, category_id)
    require_owner(principal, record, "SPS category")
    if record.status != "active":
        raise Conflict(f"only an active category can be retired; this one is {record.status}")
    record.status = "retiring"
    return approvals.request_change(
        session, principal, kind=SPS_CHANGE, agency_id=record.owner_agency_id,
        resource_type="sps_category", resource_id=record.id,
        summary=messages.SPS_RETIRE_SUMMARY.format(code=record.code, version=record.version,
                                                   name=record.name),
        payload={"action": "retire", "version": record.version})


def _approve(session: Session, approval: Approval) -> None:
    record = session.get(SpsCategoryRecord, int(approval.resource_id))
    if record is None:
        raise NotFound("the SPS category no longer exists")
    if record.version != approval.payload.get("version"):
        raise Conflict("the category was edited after the request; ask again")
    if approval.payload.get("action") == "retire":
        record.status = "retired"
    else:
        record.status = "active"
        record.activated_at = utcnow()


def _reject(session: Session, approval: Approval) -> None:
    record = session.get(SpsCategoryRecord, int(approval.resource_id))
    if record is None:
        return
    if record.status == "pending":
        record.status = "draft"
    elif record.status == "retiring":
        record.status = "active"


approvals.register_kind(approvals.ApprovalKind(
    name=SPS_CHANGE, title="Activate or retire an SPS risk category", apply=_approve,
    on_reject=_reject))


def active_categories(session: Session, agency_id: int) -> list[sps.SpsCategory]:
    # A category waiting to be retired still applies until a supervisor agrees.
    records = session.scalars(select(SpsCategoryRecord).where(
        SpsCategoryRecord.owner_agency_id == agency_id,
        SpsCategoryRecord.status.in_(("active", "retiring"))).order_by(SpsCategoryRecord.code))
    return [as_category(r) for r in records]


# --- history and decisions --------------------------------------------------------------------

def past_outcomes(session: Session, agency_id: int, first_day: dt.date, before: dt.date
                  ) -> list[sps.PastOutcome]:
    """The agency's SPS inspection results known before a day, as far back as the longest
    window reaches from the first day."""
    longest = max(RULES.origin_window_days, RULES.establishment_window_days)
    rows = session.execute(
        select(StoredDeclaration.fields, InspectionResult.inspected_on, InspectionResult.found)
        .join(TargetingDecision, TargetingDecision.declaration_pk == StoredDeclaration.id)
        .join(InspectionResult, InspectionResult.decision_id == TargetingDecision.id)
        .where(StoredDeclaration.owner_agency_id == agency_id,
               StoredDeclaration.kind == "consignment",
               InspectionResult.inspected_on < before,
               InspectionResult.inspected_on >= first_day - dt.timedelta(days=longest))
    ).tuples().all()
    return [sps.PastOutcome(known_on=day, origin_country=fields.get("origin_country", ""),
                            commodity_category=fields.get("commodity_category", ""),
                            establishment=fields.get("establishment", ""),
                            compliant=not found)
            for fields, day, found in rows]


def _consignment(row: StoredDeclaration) -> sps.Consignment:
    fields = row.fields
    return sps.Consignment(
        consignment_id=row.declaration_id, day=row.date,
        commodity_category=fields.get("commodity_category", ""),
        hs_code=fields.get("hs_code", ""),
        species_or_product=fields.get("species_or_product", "") or fields.get("description", ""),
        origin_country=fields.get("origin_country", ""),
        establishment=fields.get("establishment", ""))


@dataclass(frozen=True)
class PlannedCheck:
    declaration_pk: int
    plan: sps.CheckPlan


def consignment_decisions(
    session: Session, rows: Sequence[StoredDeclaration], *, owner_agency_id: int,
    profile_set: ProfileSet, seed: int, decided_at: dt.datetime,
) -> list[tuple[dict[str, Any], PlannedCheck]]:
    """A decision row and the planned checks of each consignment: the category's frequencies
    moved by the history known before the consignment's day, a seeded draw, and what the
    agency's active risk profiles add."""
    import numpy as np

    from chegara.targeting.rules import evaluate
    from chegara.targeting.selection import assign_inspectors
    from chegara.targeting.service import capacities, frame_of
    from chegara.targeting.valuation import ReferencePriceBase

    categories = active_categories(session, owner_agency_id)
    outcomes = past_outcomes(session, owner_agency_id, min(r.date for r in rows),
                             max(r.date for r in rows))
    plans = sps.plan_checks(categories, [_consignment(r) for r in rows], outcomes,
                            rules=RULES, seed=seed)
    frame = frame_of(list(rows))
    hits = evaluate(profile_set, frame, prices=ReferencePriceBase.build(frame), seed=seed)
    profile_channels = hits.channel()
    final = [sps.with_profile(plan, str(profile_channels[i]), hits.fired_ids(i))
             for i, plan in enumerate(plans)]
    # Consignments sent to a check are dealt to the office's inspectors at random, as
    # declarations are: nobody chooses their case.
    inspectors = assign_inspectors(
        frame, np.array([p.channel for p in final], dtype=object),
        {c.office: c.inspectors for c in capacities(session, owner_agency_id) if c.inspectors},
        seed=seed)
    result = []
    for i, (stored, drawn_plan, plan) in enumerate(zip(rows, plans, final, strict=True)):
        fired = hits.fired_ids(i)
        drawn = drawn_plan.checks
        result.append(({
            "declaration_pk": stored.id, "channel": plan.channel,
            # "rule" when a profile asked for more than the frequency drew.
            "basis": "rule" if plan.checks != drawn else "sps",
            "score": None, "model_version": "", "profiles_fired": fired,
            "reasons": list(plan.reasons) + hits.reasons(i), "model_reasons": [],
            "undervaluation": "", "inspector": str(inspectors[i]), "original_channel": "",
            "override_reason": "", "override_status": "", "decided_at": decided_at,
            "owner_agency_id": stored.owner_agency_id, "distribution": stored.distribution,
            "sharing_group_id": stored.sharing_group_id, "tlp": stored.tlp,
        }, PlannedCheck(stored.id, plan)))
    return result


def _frequencies(f: sps.Frequencies) -> dict[str, float]:
    return {"identity": f.identity, "physical": f.physical, "laboratory": f.laboratory}


def store_checks(session: Session, planned: Sequence[PlannedCheck]) -> None:
    """The checks beside their decisions (written in the same run, audited with it)."""
    from sqlalchemy import insert

    pks = [p.declaration_pk for p in planned]
    decision_ids: dict[int, int] = {}
    for start in range(0, len(pks), CHUNK):
        decision_ids.update(session.execute(
            select(TargetingDecision.declaration_pk, TargetingDecision.id).where(
                TargetingDecision.declaration_pk.in_(pks[start:start + CHUNK]))).tuples().all())
    values = [{
        "decision_id": decision_ids[p.declaration_pk], "category_code": p.plan.category_code,
        "documentary": True, "identity": p.plan.identity, "physical": p.plan.physical,
        "laboratory": p.plan.laboratory, "base_frequencies": _frequencies(p.plan.base),
        "frequencies": _frequencies(p.plan.frequencies), "draw": p.plan.draw,
        "seed": p.plan.seed, "adjustments": list(p.plan.adjustments),
    } for p in planned]
    for start in range(0, len(values), CHUNK):
        session.execute(insert(SpsCheck), values[start:start + CHUNK])


def check_of(session: Session, decision: TargetingDecision | None) -> SpsCheck | None:
    """The SPS checks of a decision the caller has already read through its scoping."""
    if decision is None:
        return None
    return session.scalar(select(SpsCheck).where(SpsCheck.decision_id == decision.id))


def checks_of(session: Session, decisions: Sequence[TargetingDecision | None]
              ) -> dict[int, SpsCheck]:
    """The SPS checks of decisions already read through their scoping, by decision id."""
    ids = [d.id for d in decisions if d is not None]
    if not ids:
        return {}
    return {c.decision_id: c for c in session.scalars(select(SpsCheck).where(
        SpsCheck.decision_id.in_(ids)))}


def checks_text(check: SpsCheck) -> list[str]:
    return [name for name in sps.CHECKS if getattr(check, name)]
