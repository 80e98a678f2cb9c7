"""Request and response bodies for agencies, users, tokens, groups, approvals and audit."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from chegara.security.policy import Role
from chegara.text import FreeText, Line, OptionalLine

Strict = ConfigDict(extra="forbid")

# What a user may be given: the API's ``UserIn`` and the service behind the web form and the
# command line (``security.service._check_new_user``) both check against these limits, and
# the user form's browser hint is made from the user-name rule.
USERNAME_LENGTH = (3, 64)
USERNAME_PATTERN = r"^[A-Za-z0-9._-]+$"
FULL_NAME_LENGTH = (2, 200)
EMAIL_MAX_LENGTH = 200
USER_LANGUAGES = ("ru", "en")
USER_LANGUAGE_PATTERN = f"^({'|'.join(USER_LANGUAGES)})$"

Username = Annotated[str, Field(min_length=USERNAME_LENGTH[0], max_length=USERNAME_LENGTH[1],
                                pattern=USERNAME_PATTERN)]


def username_browser_pattern() -> str:
    """The user-name rule as an HTML ``pattern``. Browsers anchor it themselves and compile it
    with the ``v`` flag, where a hyphen inside brackets is literal only when escaped: written
    as in ``USERNAME_PATTERN``, Chromium drops the whole pattern and checks nothing."""
    characters = USERNAME_PATTERN.removeprefix("^").removesuffix("+$")
    low, high = USERNAME_LENGTH
    return characters.replace("-]", r"\-]") + f"{{{low},{high}}}"


class TokenRequest(BaseModel):
    model_config = Strict
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)
    name: Line = Field(default="api", min_length=1, max_length=120)
    days: StrictInt = Field(default=30, ge=1, le=366)
    scopes: list[str] = Field(default_factory=list, max_length=64)


class NewTokenIn(BaseModel):
    model_config = Strict
    name: Line = Field(min_length=1, max_length=120)
    days: StrictInt = Field(default=30, ge=1, le=366)
    scopes: list[str] = Field(default_factory=list, max_length=64)


class TokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


class IssuedToken(TokenOut):
    token: str = Field(description="shown once; only its hash is stored")


class AgencyIn(BaseModel):
    model_config = Strict
    code: str = Field(min_length=2, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name: Line = Field(min_length=2, max_length=200)
    name_ru: Line = Field(default="", max_length=200)
    country: str = Field(min_length=2, max_length=3, pattern=r"^[A-Za-z]{2,3}$")
    kind: Line = Field(min_length=2, max_length=32)
    is_partner: StrictBool = False


class AgencyPatch(BaseModel):
    model_config = Strict
    name: OptionalLine = Field(default=None, min_length=2, max_length=200)
    name_ru: OptionalLine = Field(default=None, max_length=200)
    active: StrictBool | None = None


class AgencyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    name: str
    name_ru: str
    country: str
    kind: str
    is_partner: bool
    active: bool


class UserIn(BaseModel):
    model_config = Strict
    username: Username
    full_name: Line = Field(min_length=FULL_NAME_LENGTH[0], max_length=FULL_NAME_LENGTH[1])
    email: Line = Field(default="", max_length=EMAIL_MAX_LENGTH)
    roles: list[Role] = Field(min_length=1, max_length=5)
    password: str = Field(min_length=1, max_length=200)
    language: str = Field(default="ru", pattern=USER_LANGUAGE_PATTERN)


class UserPatch(BaseModel):
    model_config = Strict
    full_name: OptionalLine = Field(default=None, min_length=FULL_NAME_LENGTH[0],
                                    max_length=FULL_NAME_LENGTH[1])
    email: OptionalLine = Field(default=None, max_length=EMAIL_MAX_LENGTH)
    roles: list[Role] | None = Field(default=None, min_length=1, max_length=5)
    active: StrictBool | None = None
    password: str | None = Field(default=None, min_length=1, max_length=200)
    language: str | None = Field(default=None, pattern=USER_LANGUAGE_PATTERN)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    full_name: str
    email: str
    agency_id: int
    roles: list[str]
    language: str
    active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None


class MeOut(BaseModel):
    user_id: int
    username: str
    full_name: str
    agency_id: int
    roles: list[str]
    permissions: list[str]
    token_scopes: list[str] | None


class SharingGroupIn(BaseModel):
    model_config = Strict
    name: Line = Field(min_length=2, max_length=120)
    description: FreeText = Field(default="", max_length=2000)
    member_agency_ids: list[StrictInt] = Field(default_factory=list, max_length=100)


class MembersIn(BaseModel):
    model_config = Strict
    agency_ids: list[StrictInt] = Field(max_length=100)


class SharingGroupOut(BaseModel):
    id: int
    name: str
    description: str
    owner_agency_id: int
    member_agency_ids: list[int]


class DecisionIn(BaseModel):
    model_config = Strict
    reason: FreeText = Field(default="", max_length=2000)


class ApprovalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    agency_id: int
    resource_type: str
    resource_id: str
    summary: str
    payload: dict[str, Any]
    status: str
    requested_by_id: int
    requested_at: dt.datetime
    decided_by_id: int | None
    decided_at: dt.datetime | None
    decision_reason: str


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    seq: int
    at: dt.datetime
    actor_id: int | None
    actor: str
    agency_id: int | None
    action: str
    resource_type: str
    resource_id: str
    fields: list[str]
    digest: str
    note: str
    prev_hash: str
    row_hash: str


class VerifyOut(BaseModel):
    ok: bool
    checked: int
    last_seq: int
    last_hash: str
    first_broken_seq: int | None
    reason: str
