"""Voyage and traveller-rule payloads: unknown fields refused, every size bounded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from chegara.db.base import Distribution, Tlp
from chegara.text import FreeText, Line


class VoyageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    designator: str
    carrier: str
    transport_mode: str
    message_type: str
    origin: str | None
    destination: str | None
    departure: dt.datetime | None
    arrival: dt.datetime | None
    legs: list[dict[str, Any]]
    source_name: str
    warnings: list[str]
    traveller_count: int
    hit_count: int
    owner_agency_id: int
    distribution: str
    tlp: str
    created_at: dt.datetime
    open_reviews: int | None = None


class LoadOut(BaseModel):
    voyage: VoyageOut
    travellers: int
    hits_by_kind: dict[str, int]


class TravellerHitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    severity: int
    code: str
    summary: str
    details: dict[str, Any]
    screening_hit_id: int | None
    rule_id: int | None
    registry_document_id: int | None


class VoyageTravellerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    position: int
    role: str
    surname: str
    given_names: str
    birth_date: dt.date | None
    sex: str | None
    nationality: str | None
    documents: list[dict[str, Any]]
    attributes: dict[str, Any]
    severity: int
    hit_count: int
    reviewed: bool
    review_note: str
    hits: list[TravellerHitOut] = []


class PreArrivalOut(BaseModel):
    voyage: VoyageOut
    minutes_until_arrival: int | None
    open_reviews: int
    urgent: bool
    travellers: list[VoyageTravellerOut]


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: FreeText = Field(default="", max_length=2000)


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Line = Field(min_length=3, max_length=120)
    description: FreeText = Field(default="", max_length=5000)
    severity: StrictInt = Field(default=2, ge=1, le=3)
    condition: dict[str, Any]
    distribution: Distribution = Distribution.AGENCY
    tlp: Tlp = Tlp.AMBER


class RuleUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Line = Field(min_length=3, max_length=120)
    description: FreeText = Field(default="", max_length=5000)
    severity: StrictInt = Field(default=2, ge=1, le=3)
    condition: dict[str, Any]


class RuleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    severity: int
    condition: dict[str, Any]
    version: int
    status: str
    active_condition: dict[str, Any] | None
    active_severity: int | None
    active_version: int | None
    owner_agency_id: int
    distribution: str
    tlp: str
    pending_approval_id: int | None = None


class AttributeOut(BaseModel):
    name: str
    kind: str
    description: str
    operators: list[str]
