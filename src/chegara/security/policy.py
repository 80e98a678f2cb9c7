"""The one place that says who may do what.

``can(principal, action, resource)`` returns a :class:`Decision` with the reason, so that denials
can be explained in the UI and in the audit trail. Anything not granted here is denied.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from chegara.db.base import Distribution, Tlp
from chegara.db.base import RecordMarking as RecordMarking  # re-exported: the policy reads it


class Role(enum.StrEnum):
    OFFICER = "officer"
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    AUDITOR = "auditor"


# Permissions by role. Later capabilities add their own actions here, in one table.
ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.OFFICER: frozenset({"alert.read", "alert.create", "screening.run", "hit.read",
                             "watchlist.read",
                             "document.check", "registry.read", "voyage.read", "voyage.import",
                             "voyage.review",
                             "declaration.read", "profile.read", "decision.override",
                             "inspection.record", "model.read", "sps_category.read",
                             "incident.read", "incident.create", "indicator.read",
                             "geography.read", "ciram.read", "product.read",
                             "plan.read", "training.read", "donor.read"}),
    Role.ANALYST: frozenset({"alert.read", "alert.create", "alert.update", "approval.request",
                             "screening.run", "hit.read", "hit.review", "hit.assign",
                             "watchlist.read", "watchlist.manage",
                             "document.check", "registry.read", "registry.manage",
                             "voyage.read", "voyage.import", "voyage.review", "rule.read",
                             "rule.manage",
                             "declaration.read", "declaration.import", "profile.read",
                             "profile.manage", "decision.run", "decision.override",
                             "inspection.record", "model.read", "model.manage",
                             "sps_category.read", "sps_category.manage",
                             "incident.read", "incident.create", "incident.validate",
                             "indicator.read", "indicator.import", "geography.read",
                             "ciram.read", "ciram.manage", "impact_level.propose",
                             "product.read", "product.generate",
                             "plan.read", "plan.manage", "task.update", "training.read",
                             "training.manage", "donor.read", "donor.manage",
                             "governance.report"}),
    Role.SUPERVISOR: frozenset({"alert.read", "approval.read", "approval.decide",
                                "screening.run", "hit.read", "hit.review", "hit.assign",
                                "watchlist.read",
                                "document.check", "registry.read", "voyage.read",
                                "voyage.review", "rule.read",
                                "declaration.read", "profile.read", "model.read",
                                "sps_category.read",
                                "incident.read", "incident.validate", "indicator.read",
                                "geography.read", "ciram.read", "product.read",
                                "plan.read", "task.update", "training.read", "donor.read",
                                "governance.report"}),
    Role.ADMIN: frozenset({
        "agency.read", "agency.manage", "user.read", "user.manage", "sharing_group.manage",
        "approval.read", "geography.read", "geography.manage",
    }),
    Role.AUDITOR: frozenset({"audit.read", "audit.verify", "approval.read", "agency.read",
                             "user.read"}),
}
# What every signed-in user may do with their own account.
EVERYONE = frozenset({"self.read", "token.own", "agency.read"})
ALL_ACTIONS = frozenset().union(EVERYONE, *ROLE_PERMISSIONS.values())


@dataclass(frozen=True)
class Principal:
    """The signed-in user as the policy sees them, narrowed by the token's scopes if any."""

    user_id: int
    username: str
    agency_id: int
    agency_is_partner: bool
    roles: frozenset[Role]
    group_ids: frozenset[int] = frozenset()
    token_scopes: frozenset[str] | None = None
    language: str = "ru"
    full_name: str = ""

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def permissions(self) -> frozenset[str]:
        granted = set(EVERYONE)
        for role in self.roles:
            granted |= ROLE_PERMISSIONS[role]
        if self.token_scopes is not None:
            # Token restrictions only ever narrow what the user could do anyway.
            granted &= self.token_scopes
        return frozenset(granted)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def can_see(principal: Principal, marking: RecordMarking) -> Decision:
    """Python twin of :func:`chegara.security.scoping.visible_to` (kept identical by tests)."""
    if marking.owner_agency_id == principal.agency_id:
        return Decision(True, "your agency owns this record")
    in_group = marking.sharing_group_id is not None and marking.sharing_group_id in (
        principal.group_ids)
    if marking.tlp == Tlp.RED.value:
        if marking.distribution == Distribution.SHARING_GROUP.value and in_group:
            return Decision(True, "TLP:RED shared with a sharing group you belong to")
        return Decision(False, "TLP:RED records are for their named recipients only")
    level = marking.distribution
    if level == Distribution.PARTNERS.value:
        return Decision(True, "shared with all national agencies and partners")
    if level == Distribution.NATIONAL.value:
        if principal.agency_is_partner:
            return Decision(False, "national distribution excludes partner states' services")
        return Decision(True, "shared with all national agencies")
    if level == Distribution.SHARING_GROUP.value and in_group:
        return Decision(True, "shared with a sharing group your agency belongs to")
    return Decision(False, "not shared with your agency")


def can(principal: Principal, action: str, resource: Any = None) -> Decision:
    """May ``principal`` do ``action`` (on ``resource``)? Deny by default, always with a reason."""
    if action not in ALL_ACTIONS:
        return Decision(False, f"unknown action {action!r}")
    if action not in principal.permissions:
        if principal.token_scopes is not None and action not in principal.token_scopes:
            return Decision(False, f"the API token is not scoped for {action}")
        return Decision(False, f"none of your roles grants {action}")
    if resource is None:
        return Decision(True, "granted by role")
    return _check_resource(principal, action, resource)


def _check_resource(principal: Principal, action: str, resource: Any) -> Decision:
    marking = getattr(resource, "marking", None)
    if isinstance(marking, RecordMarking):
        seen = can_see(principal, marking)
        if not seen:
            return seen
        if action.endswith((".update", ".delete")) and (
                marking.owner_agency_id != principal.agency_id):
            return Decision(False, "only the owning agency may change this record")
        return seen
    owning_agency = getattr(resource, "agency_id", None)
    if action == "approval.decide":
        return _check_approval_decision(principal, resource)
    if action in {"user.manage", "user.read", "approval.read"} and owning_agency is not None:
        if owning_agency != principal.agency_id:
            return Decision(False, "it belongs to another agency")
        return Decision(True, "it belongs to your agency")
    return Decision(True, "granted by role")


def _check_approval_decision(principal: Principal, approval: Any) -> Decision:
    if approval.status != "pending":
        return Decision(False, f"the change is already {approval.status}")
    if approval.requested_by_id == principal.user_id:
        return Decision(False, "four-eyes: you cannot approve your own change")
    if approval.agency_id != principal.agency_id:
        return Decision(False, "only a supervisor of the owning agency may decide")
    return Decision(True, "supervisor of the owning agency, not the requester")
