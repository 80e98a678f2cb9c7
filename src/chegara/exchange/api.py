"""/api/v1/alerts: risk alerts shared between agencies within their distribution."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from chegara.exchange import service
from chegara.exchange.models import RiskAlert
from chegara.exchange.schemas import AlertIn, AlertOut
from chegara.http import Page, PageParams, page_params
from chegara.security.deps import CurrentPrincipal, reading, writing
from chegara.security.schemas import ApprovalOut

router = APIRouter(prefix="/api/v1/alerts", tags=["risk alerts"])


def _out(alert: RiskAlert, pending: dict[int, int]) -> AlertOut:
    out = AlertOut.model_validate(alert)
    out.pending_approval_id = pending.get(alert.id)
    return out


@router.get("", response_model=Page[AlertOut])
def list_alerts(
    request: Request, principal: CurrentPrincipal,
    paging: Annotated[PageParams, Depends(page_params)],
    category: Annotated[str | None, Query(max_length=40)] = None,
) -> Page[AlertOut]:
    with reading(request) as session:
        rows, total = service.list_alerts(session, principal, offset=paging.offset,
                                          limit=paging.limit, category=category)
        pending = service.pending_approval_ids(session, [a.id for a in rows])
        return Page[AlertOut](items=[_out(a, pending) for a in rows], total=total,
                              offset=paging.offset, limit=paging.limit)


@router.post("", response_model=AlertOut, status_code=201)
def create_alert(body: AlertIn, request: Request, principal: CurrentPrincipal) -> AlertOut:
    with writing(request, principal) as session:
        alert, approval = service.create_alert(session, principal, body)
        return _out(alert, {alert.id: approval.id} if approval else {})


@router.get("/{alert_id}", response_model=AlertOut)
def get_alert(alert_id: int, request: Request, principal: CurrentPrincipal) -> AlertOut:
    with reading(request) as session:
        alert = service.get_alert(session, principal, alert_id)
        return _out(alert, service.pending_approval_ids(session, [alert.id]))


@router.post("/{alert_id}/share-with-partners", response_model=ApprovalOut, status_code=202)
def share_with_partners(alert_id: int, request: Request, principal: CurrentPrincipal
                        ) -> ApprovalOut:
    with writing(request, principal) as session:
        return ApprovalOut.model_validate(
            service.request_partner_sharing(session, principal, alert_id))
