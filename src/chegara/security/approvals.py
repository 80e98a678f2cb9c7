"""Generic four-eyes approvals.

A capability registers a kind of change with the function that applies it. Proposing the
change stores it as a pending :class:`Approval`; a supervisor of the owning agency who did not
propose it approves (the change is applied in the same transaction) or rejects it with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chegara.db.base import utcnow
from chegara.errors import BadInput, Forbidden, NotFound
from chegara.security.models import Approval
from chegara.security.policy import Principal, can

ApplyChange = Callable[[Session, Approval], None]


@dataclass(frozen=True)
class ApprovalKind:
    name: str
    title: str
    apply: ApplyChange
    on_reject: ApplyChange | None = None


_KINDS: dict[str, ApprovalKind] = {}


def register_kind(kind: ApprovalKind) -> None:
    _KINDS[kind.name] = kind


def kinds() -> list[ApprovalKind]:
    """Every registered kind of change (for the interface and its translations)."""
    return list(_KINDS.values())


def kind_title(name: str) -> str:
    kind = _KINDS.get(name)
    return kind.title if kind else name


def request_change(
    session: Session, principal: Principal, *, kind: str, agency_id: int, resource_type: str,
    resource_id: str | int, summary: str, payload: dict[str, Any] | None = None,
) -> Approval:
    if kind not in _KINDS:
        raise BadInput(f"unknown kind of change {kind!r}")
    pending = session.scalar(select(Approval.id).where(
        Approval.kind == kind, Approval.resource_type == resource_type,
        Approval.resource_id == str(resource_id), Approval.status == "pending"))
    if pending is not None:
        raise BadInput(f"this change is already waiting for approval (request {pending})")
    approval = Approval(kind=kind, agency_id=agency_id, resource_type=resource_type,
                        resource_id=str(resource_id), summary=summary[:500],
                        payload=payload or {}, requested_by_id=principal.user_id)
    session.add(approval)
    session.flush()
    return approval


def get_approval(session: Session, approval_id: int) -> Approval:
    approval = session.get(Approval, approval_id)
    if approval is None:
        raise NotFound(f"approval request {approval_id} does not exist")
    return approval


def decide(session: Session, principal: Principal, approval_id: int, *, approve: bool,
           reason: str) -> Approval:
    approval = get_approval(session, approval_id)
    decision = can(principal, "approval.decide", approval)
    if not decision:
        raise Forbidden(f"cannot decide this change: {decision.reason}")
    if not approve and not reason.strip():
        raise BadInput("a rejection needs a reason", details=[{"field": "reason"}])
    kind = _KINDS.get(approval.kind)
    if kind is None:
        raise BadInput(f"no capability handles changes of kind {approval.kind!r}")
    approval.status = "approved" if approve else "rejected"
    approval.decided_by_id = principal.user_id
    approval.decided_at = utcnow()
    approval.decision_reason = reason.strip()
    if approve:
        kind.apply(session, approval)
    elif kind.on_reject is not None:
        kind.on_reject(session, approval)
    session.flush()
    return approval


def withdraw(session: Session, principal: Principal, approval_id: int) -> Approval:
    approval = get_approval(session, approval_id)
    if approval.requested_by_id != principal.user_id or approval.status != "pending":
        raise Forbidden("only the requester may withdraw a pending change")
    approval.status = "withdrawn"
    approval.decided_at = utcnow()
    kind = _KINDS.get(approval.kind)
    if kind is not None and kind.on_reject is not None:
        kind.on_reject(session, approval)
    session.flush()
    return approval


def list_for_agency(session: Session, agency_id: int, *, status: str | None = "pending",
                    offset: int = 0, limit: int = 50) -> tuple[list[Approval], int]:
    query = select(Approval).where(Approval.agency_id == agency_id)
    if status:
        query = query.where(Approval.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Approval.requested_at.desc()).offset(offset)
                           .limit(limit))
    return list(rows), total
