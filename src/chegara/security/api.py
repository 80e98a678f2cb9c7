"""/api/v1 routes for sign-in tokens, agencies, users, sharing groups, approvals and audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from chegara.errors import Forbidden, LoginThrottled, NotAuthenticated
from chegara.http import Page, PageParams, page_params
from chegara.security import approvals, audit, service
from chegara.security.deps import CurrentPrincipal, get_database, reading, requires, writing
from chegara.security.policy import Principal
from chegara.security.schemas import (
    AgencyIn,
    AgencyOut,
    AgencyPatch,
    ApprovalOut,
    AuditEventOut,
    DecisionIn,
    IssuedToken,
    MembersIn,
    MeOut,
    NewTokenIn,
    SharingGroupIn,
    SharingGroupOut,
    TokenOut,
    TokenRequest,
    UserIn,
    UserOut,
    UserPatch,
    VerifyOut,
)

router = APIRouter(prefix="/api/v1")
Paging = Annotated[PageParams, Depends(page_params)]


@router.post("/auth/token", response_model=IssuedToken, status_code=201, tags=["auth"])
def issue_token(body: TokenRequest, request: Request) -> IssuedToken:
    """Exchange a user name and password for an expiring bearer token."""
    db = get_database(request)
    settings = db.settings
    with db.unit_of_work() as session:
        outcome = service.attempt_login(session, settings, body.username, body.password)
        if outcome.user is not None:
            principal = service.principal_for(session, outcome.user)
            audit.set_actor(session, service.actor_of(principal))
            token, secret = service.create_token(session, settings, principal, name=body.name,
                                                 days=body.days, scopes=body.scopes)
            issued = IssuedToken(token=secret, **TokenOut.model_validate(token).model_dump())
    if outcome.retry_after is not None:
        raise LoginThrottled("too many failed sign-ins; wait before trying again",
                             retry_after=outcome.retry_after)
    if outcome.user is None:
        raise NotAuthenticated("wrong user name or password")
    return issued


@router.get("/me", response_model=MeOut, tags=["auth"])
def me(principal: CurrentPrincipal) -> MeOut:
    return MeOut(user_id=principal.user_id, username=principal.username,
                 full_name=principal.full_name, agency_id=principal.agency_id,
                 roles=sorted(principal.roles), permissions=sorted(principal.permissions),
                 token_scopes=sorted(principal.token_scopes) if principal.token_scopes else None)


# --- tokens -----------------------------------------------------------------------------------

@router.get("/tokens", response_model=list[TokenOut], tags=["auth"])
def my_tokens(request: Request, principal: Annotated[Principal, Depends(requires("token.own"))]
              ) -> list[TokenOut]:
    with reading(request) as session:
        return [TokenOut.model_validate(t) for t in service.list_tokens(session,
                                                                         principal.user_id)]


@router.post("/tokens", response_model=IssuedToken, status_code=201, tags=["auth"])
def new_token(body: NewTokenIn, request: Request,
              principal: Annotated[Principal, Depends(requires("token.own"))]) -> IssuedToken:
    db = get_database(request)
    with writing(request, principal) as session:
        token, secret = service.create_token(session, db.settings, principal, name=body.name,
                                             days=body.days, scopes=body.scopes)
        return IssuedToken(token=secret, **TokenOut.model_validate(token).model_dump())


@router.delete("/tokens/{token_id}", response_model=TokenOut, tags=["auth"])
def revoke_token(token_id: int, request: Request,
                 principal: Annotated[Principal, Depends(requires("token.own"))]) -> TokenOut:
    with writing(request, principal) as session:
        return TokenOut.model_validate(service.revoke_token(session, principal, token_id))


# --- agencies ---------------------------------------------------------------------------------

@router.get("/agencies", response_model=list[AgencyOut], tags=["agencies"])
def agencies(request: Request, _p: Annotated[Principal, Depends(requires("agency.read"))]
             ) -> list[AgencyOut]:
    with reading(request) as session:
        return [AgencyOut.model_validate(a) for a in service.list_agencies(session)]


@router.get("/agencies/{agency_id}", response_model=AgencyOut, tags=["agencies"])
def agency(agency_id: int, request: Request,
           _p: Annotated[Principal, Depends(requires("agency.read"))]) -> AgencyOut:
    with reading(request) as session:
        return AgencyOut.model_validate(service.get_agency(session, agency_id))


@router.post("/agencies", response_model=AgencyOut, status_code=201, tags=["agencies"])
def create_agency(body: AgencyIn, request: Request,
                  principal: Annotated[Principal, Depends(requires("agency.manage"))]
                  ) -> AgencyOut:
    if principal.agency_is_partner:
        raise Forbidden("partner agencies cannot register agencies")
    with writing(request, principal) as session:
        return AgencyOut.model_validate(service.create_agency(session, **body.model_dump()))


@router.patch("/agencies/{agency_id}", response_model=AgencyOut, tags=["agencies"])
def update_agency(agency_id: int, body: AgencyPatch, request: Request,
                  principal: Annotated[Principal, Depends(requires("agency.manage"))]
                  ) -> AgencyOut:
    if principal.agency_is_partner:
        raise Forbidden("partner agencies cannot change agencies")
    with writing(request, principal) as session:
        changes = body.model_dump(exclude_unset=True)
        return AgencyOut.model_validate(service.update_agency(
            session, agency_id, **changes, changed_by_agency=principal.agency_id))


# --- users ------------------------------------------------------------------------------------

@router.get("/users", response_model=Page[UserOut], tags=["users"])
def users(request: Request, paging: Paging,
          principal: Annotated[Principal, Depends(requires("user.read"))]) -> Page[UserOut]:
    with reading(request) as session:
        rows, total = service.list_users(session, agency_id=principal.agency_id,
                                         offset=paging.offset, limit=paging.limit)
        return Page[UserOut](items=[UserOut.model_validate(u) for u in rows], total=total,
                             offset=paging.offset, limit=paging.limit)


@router.post("/users", response_model=UserOut, status_code=201, tags=["users"])
def create_user(body: UserIn, request: Request,
                principal: Annotated[Principal, Depends(requires("user.manage"))]) -> UserOut:
    db = get_database(request)
    with writing(request, principal) as session:
        user = service.create_user(session, db.settings, agency_id=principal.agency_id,
                                   username=body.username, full_name=body.full_name,
                                   email=body.email, roles=[r.value for r in body.roles],
                                   password=body.password, language=body.language)
        return UserOut.model_validate(user)


@router.get("/users/{user_id}", response_model=UserOut, tags=["users"])
def user(user_id: int, request: Request,
         principal: Annotated[Principal, Depends(requires("user.read"))]) -> UserOut:
    with writing(request, principal) as session:
        found = service.get_user(session, user_id)
        service.require(principal, "user.read", found)
        audit.record_read(session, resource_type="app_user", resource_id=user_id,
                          purpose="user record opened")
        return UserOut.model_validate(found)


@router.patch("/users/{user_id}", response_model=UserOut, tags=["users"])
def update_user(user_id: int, body: UserPatch, request: Request,
                principal: Annotated[Principal, Depends(requires("user.manage"))]) -> UserOut:
    db = get_database(request)
    with writing(request, principal) as session:
        found = service.get_user(session, user_id)
        service.require(principal, "user.manage", found)
        changes = body.model_dump(exclude_unset=True)
        if changes.get("roles") is not None:
            changes["roles"] = [r.value if hasattr(r, "value") else r for r in changes["roles"]]
        return UserOut.model_validate(service.update_user(
            session, db.settings, found, **changes, changed_by=principal.user_id))


# --- sharing groups ---------------------------------------------------------------------------

def _group_out(group: object, members: list[int]) -> SharingGroupOut:
    return SharingGroupOut(id=group.id, name=group.name,  # type: ignore[attr-defined]
                           description=group.description,  # type: ignore[attr-defined]
                           owner_agency_id=group.owner_agency_id,  # type: ignore[attr-defined]
                           member_agency_ids=members)


@router.get("/sharing-groups", response_model=list[SharingGroupOut], tags=["sharing groups"])
def sharing_groups(request: Request, _p: CurrentPrincipal) -> list[SharingGroupOut]:
    with reading(request) as session:
        return [_group_out(g, m) for g, m in service.list_sharing_groups(session)]


@router.post("/sharing-groups", response_model=SharingGroupOut, status_code=201,
             tags=["sharing groups"])
def create_sharing_group(
    body: SharingGroupIn, request: Request,
    principal: Annotated[Principal, Depends(requires("sharing_group.manage"))],
) -> SharingGroupOut:
    with writing(request, principal) as session:
        group = service.create_sharing_group(session, principal, name=body.name,
                                             description=body.description,
                                             member_agency_ids=body.member_agency_ids)
        members = sorted({principal.agency_id, *body.member_agency_ids})
        return _group_out(group, members)


@router.put("/sharing-groups/{group_id}/members", response_model=SharingGroupOut,
            tags=["sharing groups"])
def set_members(group_id: int, body: MembersIn, request: Request,
                principal: Annotated[Principal, Depends(requires("sharing_group.manage"))]
                ) -> SharingGroupOut:
    with writing(request, principal) as session:
        group = service.set_group_members(session, principal, group_id, body.agency_ids)
        return _group_out(group, sorted({principal.agency_id, *body.agency_ids}))


# --- approvals --------------------------------------------------------------------------------

@router.get("/approvals", response_model=Page[ApprovalOut], tags=["approvals"])
def approvals_inbox(
    request: Request, paging: Paging,
    principal: Annotated[Principal, Depends(requires("approval.read"))],
    status: Annotated[str | None, Query(pattern="^(pending|approved|rejected|withdrawn)$")]
    = "pending",
) -> Page[ApprovalOut]:
    with reading(request) as session:
        rows, total = approvals.list_for_agency(session, principal.agency_id, status=status,
                                                offset=paging.offset, limit=paging.limit)
        return Page[ApprovalOut](items=[ApprovalOut.model_validate(a) for a in rows],
                                 total=total, offset=paging.offset, limit=paging.limit)


@router.get("/approvals/{approval_id}", response_model=ApprovalOut, tags=["approvals"])
def approval(approval_id: int, request: Request,
             principal: Annotated[Principal, Depends(requires("approval.read"))]
             ) -> ApprovalOut:
    with reading(request) as session:
        found = approvals.get_approval(session, approval_id)
        service.require(principal, "approval.read", found)
        return ApprovalOut.model_validate(found)


@router.post("/approvals/{approval_id}/approve", response_model=ApprovalOut, tags=["approvals"])
def approve(approval_id: int, body: DecisionIn, request: Request,
            principal: Annotated[Principal, Depends(requires("approval.decide"))]
            ) -> ApprovalOut:
    with writing(request, principal) as session:
        return ApprovalOut.model_validate(approvals.decide(
            session, principal, approval_id, approve=True, reason=body.reason))


@router.post("/approvals/{approval_id}/reject", response_model=ApprovalOut, tags=["approvals"])
def reject(approval_id: int, body: DecisionIn, request: Request,
           principal: Annotated[Principal, Depends(requires("approval.decide"))]
           ) -> ApprovalOut:
    with writing(request, principal) as session:
        return ApprovalOut.model_validate(approvals.decide(
            session, principal, approval_id, approve=False, reason=body.reason))


@router.post("/approvals/{approval_id}/withdraw", response_model=ApprovalOut,
             tags=["approvals"])
def withdraw(approval_id: int, request: Request, principal: CurrentPrincipal) -> ApprovalOut:
    with writing(request, principal) as session:
        return ApprovalOut.model_validate(approvals.withdraw(session, principal, approval_id))


# --- audit ------------------------------------------------------------------------------------

@router.get("/audit/events", response_model=Page[AuditEventOut], tags=["audit"])
def audit_events(
    request: Request, paging: Paging,
    principal: Annotated[Principal, Depends(requires("audit.read"))],
    action: Annotated[str | None, Query(max_length=64)] = None,
    resource_type: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[AuditEventOut]:
    with reading(request) as session:
        rows, total = audit.list_events(session, agency_id=principal.agency_id,
                                        offset=paging.offset, limit=paging.limit,
                                        action=action, resource_type=resource_type)
        return Page[AuditEventOut](items=[AuditEventOut.model_validate(e) for e in rows],
                                   total=total, offset=paging.offset, limit=paging.limit)


@router.get("/audit/verify", response_model=VerifyOut, tags=["audit"])
def audit_verify(request: Request,
                 _p: Annotated[Principal, Depends(requires("audit.verify"))]) -> VerifyOut:
    with reading(request) as session:
        result = audit.verify_chain(session)
        return VerifyOut(ok=result.ok, checked=result.checked, last_seq=result.last_seq,
                         last_hash=result.last_hash, first_broken_seq=result.first_broken_seq,
                         reason=result.reason)
