"""Document check and registry payloads: unknown fields refused, every size bounded."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from chegara.db.base import Distribution, Tlp
from chegara.text import FreeText, OptionalLine


class DocumentCheckIn(BaseModel):
    """An MRZ as read by the scanner or typed, and optionally what the visual zone prints."""

    model_config = ConfigDict(extra="forbid")

    mrz: FreeText = Field(min_length=1, max_length=300)
    surname: OptionalLine = Field(default=None, max_length=100)
    given_names: OptionalLine = Field(default=None, max_length=150)
    document_number: OptionalLine = Field(default=None, max_length=40)
    birth_date: dt.date | None = None
    expiry_date: dt.date | None = None
    issue_date: dt.date | None = None
    nationality: str | None = Field(default=None, max_length=3)
    sex: Literal["M", "F", "X"] | None = None


class IssueOut(BaseModel):
    field: str
    code: str
    message: str
    suggestions: list[str] = []


class RegistryDocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    number_as_given: str
    document_type: str
    issuing_state: str
    status: str
    reported_on: dt.date | None
    source: str
    owner_agency_id: int
    distribution: str
    tlp: str


class DocumentCheckOut(BaseModel):
    valid: bool
    format: str
    fields: dict[str, str | None]
    optional_data: str | None
    errors: list[IssueOut]
    warnings: list[IssueOut]
    visual_zone: list[IssueOut]
    expired: bool
    days_to_expiry: int | None
    registry_checked: bool
    registry: list[RegistryDocumentOut]


class LookupOut(BaseModel):
    number: str
    matches: list[RegistryDocumentOut]


class RegistryImportOut(BaseModel):
    import_id: str
    rows: int
    added: int
    updated: int
    unchanged: int


class RegistryImportOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    distribution: Distribution = Distribution.NATIONAL
    sharing_group_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    tlp: Tlp = Tlp.AMBER
