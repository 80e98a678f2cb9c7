"""Risk alerts: create, list and read within distribution; widening to partners is four-eyes."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chegara import messages
from chegara.db.base import Distribution
from chegara.errors import BadInput, NotFound
from chegara.exchange.models import RiskAlert
from chegara.exchange.schemas import AlertIn
from chegara.security import approvals
from chegara.security.models import Approval, SharingGroupMember
from chegara.security.policy import Principal
from chegara.security.scoping import scoped
from chegara.security.service import require

SHARE_WITH_PARTNERS = "alert.share_partners"


def _apply_share_with_partners(session: Session, approval: Approval) -> None:
    alert = session.get(RiskAlert, int(approval.resource_id))
    if alert is None:
        raise NotFound(f"risk alert {approval.resource_id} no longer exists")
    alert.distribution = Distribution.PARTNERS.value


approvals.register_kind(approvals.ApprovalKind(
    name=SHARE_WITH_PARTNERS, title="Share a risk alert with partner states",
    apply=_apply_share_with_partners))


def _check_group(session: Session, principal: Principal, data: AlertIn) -> None:
    if data.distribution == Distribution.SHARING_GROUP:
        if data.sharing_group_id is None:
            raise BadInput("sharing_group distribution needs a sharing_group_id",
                           details=[{"field": "sharing_group_id"}])
        member = session.get(SharingGroupMember, (data.sharing_group_id, principal.agency_id))
        if member is None:
            raise BadInput("your agency is not a member of that sharing group",
                           details=[{"field": "sharing_group_id"}])
    elif data.sharing_group_id is not None:
        raise BadInput("sharing_group_id is only used with sharing_group distribution",
                       details=[{"field": "sharing_group_id"}])


def create_alert(session: Session, principal: Principal, data: AlertIn
                 ) -> tuple[RiskAlert, Approval | None]:
    """Create an alert; a request to share with partners is held at national level until a
    supervisor approves it."""
    require(principal, "alert.create")
    _check_group(session, principal, data)
    wants_partners = data.distribution == Distribution.PARTNERS
    alert = RiskAlert(
        title=data.title, body=data.body, category=data.category,
        source_reliability=data.source_reliability,
        information_credibility=data.information_credibility,
        distribution=(Distribution.NATIONAL if wants_partners else data.distribution).value,
        sharing_group_id=data.sharing_group_id, tlp=data.tlp.value,
        owner_agency_id=principal.agency_id, created_by_id=principal.user_id,
    )
    session.add(alert)
    session.flush()
    approval = None
    if wants_partners:
        approval = approvals.request_change(
            session, principal, kind=SHARE_WITH_PARTNERS, agency_id=principal.agency_id,
            resource_type="risk_alert", resource_id=alert.id,
            summary=messages.SHARE_ALERT_SUMMARY.format(title=alert.title))
    return alert, approval


def request_partner_sharing(session: Session, principal: Principal, alert_id: int) -> Approval:
    alert = get_alert(session, principal, alert_id)
    require(principal, "alert.update", alert)
    return approvals.request_change(
        session, principal, kind=SHARE_WITH_PARTNERS, agency_id=alert.owner_agency_id,
        resource_type="risk_alert", resource_id=alert.id,
        summary=messages.SHARE_ALERT_SUMMARY.format(title=alert.title))


def list_alerts(session: Session, principal: Principal, *, offset: int, limit: int,
                category: str | None = None) -> tuple[list[RiskAlert], int]:
    require(principal, "alert.read")
    query = scoped(select(RiskAlert), RiskAlert, principal)
    if category:
        query = query.where(RiskAlert.category == category)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(RiskAlert.created_at.desc(), RiskAlert.id.desc())
                           .offset(offset).limit(limit))
    return list(rows), total


def get_alert(session: Session, principal: Principal, alert_id: int) -> RiskAlert:
    require(principal, "alert.read")
    alert = session.scalar(scoped(select(RiskAlert).where(RiskAlert.id == alert_id),
                                  RiskAlert, principal))
    if alert is None:
        # The same answer whether it does not exist or is not shared with you.
        raise NotFound(f"risk alert {alert_id} does not exist")
    return alert


def pending_approval_ids(session: Session, alert_ids: list[int]) -> dict[int, int]:
    if not alert_ids:
        return {}
    rows = session.execute(select(Approval.resource_id, Approval.id).where(
        Approval.resource_type == "risk_alert", Approval.status == "pending",
        Approval.resource_id.in_([str(i) for i in alert_ids])))
    return {int(rid): aid for rid, aid in rows}
