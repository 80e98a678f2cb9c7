"""The one query filter for shared records: forgetting it returns nothing, not everything.

:func:`scoped` is how every list and search over a :class:`~chegara.db.base.SharedRecord` table
is written; :func:`visible_to` expresses exactly the rules of
:func:`chegara.security.policy.can_see` in SQL.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, false, or_

from chegara.db.base import Distribution, Tlp
from chegara.security.policy import Principal

T = TypeVar("T", bound=Any)


def visible_to(model: Any, principal: Principal) -> ColumnElement[bool]:
    owner = model.owner_agency_id == principal.agency_id
    group_ids = sorted(principal.group_ids)
    in_group = (
        and_(model.distribution == Distribution.SHARING_GROUP.value,
             model.sharing_group_id.in_(group_ids))
        if group_ids else false()
    )
    not_red = model.tlp != Tlp.RED.value
    wide_levels = [Distribution.PARTNERS.value]
    if not principal.agency_is_partner:
        wide_levels.append(Distribution.NATIONAL.value)
    wide = and_(not_red, model.distribution.in_(wide_levels))
    return or_(owner, in_group, wide)


def scoped(statement: Select[T], model: Any, principal: Principal) -> Select[T]:
    return statement.where(visible_to(model, principal))
