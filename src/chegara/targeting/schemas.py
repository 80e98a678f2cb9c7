"""Targeting request and response bodies; every field bounded, unknown fields refused."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from chegara.db.base import Distribution, Tlp
from chegara.text import FreeText, Line

Strict = ConfigDict(extra="forbid")
Channel = Literal["green", "blue", "yellow", "red"]


class ImportOut(BaseModel):
    import_id: int
    kind: str
    rows: int
    source_name: str


class DeclarationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    declaration_id: str
    date: dt.date
    office: str
    hs_code: str
    importer_id: str
    origin_country: str
    value: float | None
    description: str
    owner_agency_id: int
    distribution: str
    tlp: str
    fields: dict[str, Any]


class DecisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    declaration_pk: int
    channel: str
    basis: str
    score: float | None
    model_version: str
    profiles_fired: list[str]
    reasons: list[str]
    model_reasons: list[str]
    undervaluation: str
    inspector: str
    original_channel: str
    override_reason: str
    override_status: str
    decided_at: dt.datetime


class ResultOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    decision_id: int
    found: bool
    offence_type: str
    revenue_recovered: float
    notes: str
    recorded_by: str
    inspected_on: dt.date


class SpsCheckOut(BaseModel):
    """The SPS checks of a consignment: what was drawn at which frequency, and why."""

    model_config = ConfigDict(from_attributes=True)
    category_code: str
    documentary: bool
    identity: bool
    physical: bool
    laboratory: bool
    base_frequencies: dict[str, float]
    frequencies: dict[str, float]
    draw: float
    seed: int
    adjustments: list[str]


class QueueItem(BaseModel):
    declaration: DeclarationOut
    decision: DecisionOut | None
    sps_check: SpsCheckOut | None = None


class DeclarationDetail(BaseModel):
    declaration: DeclarationOut
    decision: DecisionOut | None
    result: ResultOut | None
    sps_check: SpsCheckOut | None = None


class SpsCategoryIn(BaseModel):
    model_config = Strict
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    name: Line = Field(min_length=1, max_length=200)
    commodity_category: str = Field(default="", max_length=64)
    hs_prefixes: list[str] = Field(default_factory=list, max_length=50)
    product_pattern: Line = Field(default="", max_length=100)
    origin_country: str = Field(default="", max_length=2)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    documentary_percent: float = Field(default=100.0, ge=0, le=100)
    identity_percent: float = Field(ge=0, le=100)
    physical_percent: float = Field(ge=0, le=100)
    laboratory_percent: float = Field(ge=0, le=100)
    distribution: Distribution = Distribution.AGENCY


class SpsCategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    name: str
    commodity_category: str
    hs_prefixes: list[str]
    product_pattern: str
    origin_country: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    documentary_percent: float
    identity_percent: float
    physical_percent: float
    laboratory_percent: float
    status: str
    version: int
    owner_agency_id: int
    distribution: str
    tlp: str


class SpsRulesOut(BaseModel):
    """The thresholds by which origin and establishment history move the frequencies."""

    origin_window_days: int
    origin_raise_after: int
    origin_raise_factor: float
    origin_raise_step: float
    establishment_window_days: int
    reinforce_after: int
    reinforced_until_clean: int
    clean_record_after: int
    clean_reduce_factor: float
    reduced_floor_percent: float


class ProfileIn(BaseModel):
    model_config = Strict
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    name: Line = Field(min_length=1, max_length=200)
    criteria: dict[str, Any] = Field(description="the `when` criterion rules.py understands")
    channel: Channel
    selection_percent: float = Field(default=100.0, ge=0, le=100)
    instructions: FreeText = Field(default="", max_length=2000)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    distribution: Distribution = Distribution.AGENCY
    tlp: Tlp = Tlp.AMBER


class ProfileOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    name: str
    criteria: dict[str, Any]
    channel: str
    selection_percent: float
    instructions: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    status: str
    version: int
    owner_agency_id: int
    distribution: str
    tlp: str


class WatchlistIn(BaseModel):
    model_config = Strict
    field: str = Field(default="importer_id", max_length=32)
    ids: list[str] = Field(max_length=100_000)
    note: FreeText = Field(default="", max_length=2000)


class WatchlistOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    field: str
    ids: list[str]
    note: str
    owner_agency_id: int


class CapacityIn(BaseModel):
    model_config = Strict
    physical_per_day: StrictInt = Field(ge=0, le=100_000)
    documentary_per_day: StrictInt = Field(ge=0, le=100_000)
    inspectors: list[str] = Field(default_factory=list, max_length=500)


class RunIn(BaseModel):
    model_config = Strict
    day_from: dt.date | None = None
    day_to: dt.date | None = None
    red_rate: float = Field(default=0.05, ge=0, le=1)
    yellow_rate: float = Field(default=0.05, ge=0, le=1)
    blue_rate: float = Field(default=0.0, ge=0, le=1)
    random_percent: float = Field(default=1.0, ge=0, le=100)
    seed: StrictInt = Field(default=0, ge=0, le=2**31)


class RunOut(BaseModel):
    decided: int
    channels: dict[str, int]
    model_version: str
    profiles: int


class OverrideIn(BaseModel):
    model_config = Strict
    channel: Channel
    reason: FreeText = Field(min_length=1, max_length=2000)


class OverrideOut(BaseModel):
    decision: DecisionOut
    approval_id: int | None


class ResultIn(BaseModel):
    model_config = Strict
    found: StrictBool
    offence_type: Line = Field(default="", max_length=64)
    revenue_recovered: float = Field(default=0.0, ge=0, le=1e12)
    notes: FreeText = Field(default="", max_length=4000)
    inspected_on: dt.date | None = None


class ModelOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    version: str
    status: str
    data_from: dt.date | None
    data_to: dt.date | None
    rows: int
    inspected: int
    metrics: dict[str, Any]
    created_by: str
    created_at: dt.datetime
    activated_at: dt.datetime | None


class ApprovalRef(BaseModel):
    approval_id: int
    summary: str


class JointPartOut(BaseModel):
    agency_code: str
    kind: str
    visible: bool
    channel: str | None
    reasons: list[str]
    sps_checks: list[str] = Field(default_factory=list,
                                  description="for an SPS consignment: the checks to do")


class AppointmentIn(BaseModel):
    model_config = Strict
    scheduled_for: dt.datetime
    place: Line = Field(min_length=1, max_length=200)


class AppointmentOut(BaseModel):
    scheduled_for: dt.datetime
    place: str
    agencies: list[int]


class JointOut(BaseModel):
    declaration_ref: str
    channel: str
    border_action: str
    parts: list[JointPartOut]
    appointment: AppointmentOut | None
