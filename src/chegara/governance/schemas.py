"""Governance request and response bodies; every field bounded, unknown fields refused."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from chegara.db.base import Tlp
from chegara.text import FreeText, Line, OptionalLine

Strict = ConfigDict(extra="forbid")
MAX_ID = 2**31 - 1

TASK_STATUSES = ("not_started", "in_progress", "delayed", "done", "cancelled")
TaskStatus = Literal["not_started", "in_progress", "delayed", "done", "cancelled"]
TERMS = ("short", "mid")
Term = Literal["short", "mid"]
TRAINING_KINDS = ("training_of_trainers", "course", "distance_lecture", "workshop",
                  "study_visit", "exercise")
TrainingKind = Literal["training_of_trainers", "course", "distance_lecture", "workshop",
                       "study_visit", "exercise"]
EQUIPMENT_CATEGORIES = ("document_examination", "surveillance", "communication", "it",
                        "detection", "vehicles", "laboratory", "other")
EquipmentCategory = Literal["document_examination", "surveillance", "communication", "it",
                            "detection", "vehicles", "laboratory", "other"]
# The plan is the country's own: it travels no further than the national agencies.
PlanDistribution = Literal["agency", "sharing_group", "national"]
Currency = Field(default="EUR", pattern=r"^[A-Z]{3}$")
AgencyCode = Field(min_length=2, max_length=32, pattern=r"^[A-Z0-9-]+$")
Code = Field(min_length=1, max_length=16, pattern=r"^[0-9A-Za-z.\-]+$")
Id = Field(ge=1, le=MAX_ID)


class Marking(BaseModel):
    model_config = Strict
    distribution: PlanDistribution = "national"
    sharing_group_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    tlp: Tlp = Tlp.GREEN


class Years(BaseModel):
    @model_validator(mode="after")
    def dates_in_order(self) -> Any:
        first, last = getattr(self, "starts_on", None), getattr(self, "ends_on", None)
        if first is not None and last is not None and last < first:
            raise ValueError("ends_on is before starts_on")
        return self


# --- strategy and plan ----------------------------------------------------------------------

class StrategyIn(Marking):
    code: str = Field(min_length=2, max_length=32, pattern=r"^[A-Za-z0-9.\-]+$")
    title: Line = Field(min_length=3, max_length=300)
    first_year: StrictInt = Field(ge=2000, le=2100)
    last_year: StrictInt = Field(ge=2000, le=2100)

    @model_validator(mode="after")
    def years_in_order(self) -> StrategyIn:
        if self.last_year < self.first_year:
            raise ValueError("last_year is before first_year")
        return self


class StrategyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    title: str
    first_year: int
    last_year: int
    version: int
    owner_agency_id: int
    distribution: str
    tlp: str


class ObjectiveIn(BaseModel):
    model_config = Strict
    code: str = Code
    title: Line = Field(min_length=3, max_length=300)


class MeasureIn(ObjectiveIn):
    pass


class OutlineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    title: str


class TaskIn(Marking):
    measure_id: StrictInt = Id
    code: str = Field(min_length=1, max_length=24, pattern=r"^[0-9A-Za-z.\-]+$")
    title: Line = Field(min_length=3, max_length=500)
    responsible: str = AgencyCode
    contributing: list[str] = Field(default_factory=list, max_length=20)
    term: Term = "short"
    deadline: dt.date
    indicator: Line = Field(default="", max_length=500)
    status: TaskStatus = "not_started"
    progress: StrictInt = Field(default=0, ge=0, le=100)


class TaskEditIn(BaseModel):
    """What a plan manager may change in a revision; absent fields stay."""

    model_config = Strict
    title: OptionalLine = Field(default=None, min_length=3, max_length=500)
    responsible: str | None = Field(default=None, min_length=2, max_length=32,
                                    pattern=r"^[A-Z0-9-]+$")
    contributing: list[str] | None = Field(default=None, max_length=20)
    term: Term | None = None
    deadline: dt.date | None = None
    indicator: OptionalLine = Field(default=None, max_length=500)


class StatusIn(BaseModel):
    model_config = Strict
    status: TaskStatus
    progress: StrictInt | None = Field(default=None, ge=0, le=100)
    note: FreeText = Field(default="", max_length=2000)


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    strategy_id: int
    measure_id: int
    code: str
    title: str
    responsible_agency_id: int
    contributing_agency_ids: list[int]
    term: str
    deadline: dt.date
    indicator: str
    status: str
    progress: int
    completed_on: dt.date | None
    added_in_version: int
    changed_in_version: int
    decision_id: int | None
    owner_agency_id: int
    distribution: str
    tlp: str
    updated_by: str
    updated_at: dt.datetime
    flag: str = ""


class TaskUpdateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    old_status: str
    new_status: str
    progress: int
    note: str
    by: str
    at: dt.datetime


class EvidenceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    task_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    note: str
    uploaded_by: str
    uploaded_at: dt.datetime


class RevisionIn(BaseModel):
    model_config = Strict
    note: FreeText = Field(min_length=3, max_length=2000)


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    number: int
    note: str
    created_by: str
    created_at: dt.datetime


class VersionDetailOut(VersionOut):
    snapshot: dict[str, Any]


# --- commission -----------------------------------------------------------------------------

class Participant(BaseModel):
    model_config = Strict
    name: Line = Field(min_length=2, max_length=200)
    agency: Line = Field(default="", max_length=32)
    position: Line = Field(default="", max_length=200)


class MeetingIn(Marking):
    strategy_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    title: Line = Field(min_length=3, max_length=300)
    held_on: dt.date
    place: Line = Field(default="", max_length=200)
    participants: list[Participant] = Field(default_factory=list, max_length=200)
    agenda: list[str] = Field(default_factory=list, max_length=50)
    minutes: FreeText = Field(default="", max_length=20_000)


class DecisionIn(BaseModel):
    """A decision; with ``task`` it becomes a task of the current plan version."""

    model_config = Strict
    text: FreeText = Field(min_length=3, max_length=5000)
    task: TaskIn | None = None


class DecisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    meeting_id: int
    number: int
    text: str
    task_id: int | None


class MeetingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    strategy_id: int | None
    title: str
    held_on: dt.date
    place: str
    participants: list[dict[str, str]]
    agenda: list[str]
    minutes: str
    owner_agency_id: int
    distribution: str
    tlp: str
    decisions: list[DecisionOut] = Field(default_factory=list)


# --- capacity building ----------------------------------------------------------------------

class ParticipationIn(BaseModel):
    model_config = Strict
    agency: str = AgencyCode
    women: StrictInt = Field(default=0, ge=0, le=10_000)
    men: StrictInt = Field(default=0, ge=0, le=10_000)
    certificates: StrictInt = Field(default=0, ge=0, le=20_000)

    @model_validator(mode="after")
    def certified_took_part(self) -> ParticipationIn:
        if self.certificates > self.women + self.men:
            raise ValueError("more certificates than participants")
        return self


class TrainingIn(Marking, Years):
    kind: TrainingKind
    topic: Line = Field(min_length=3, max_length=300)
    starts_on: dt.date
    ends_on: dt.date
    place: Line = Field(default="", max_length=200)
    distance: StrictBool = False
    organiser: Line = Field(default="", max_length=200)
    partner_institution: Line = Field(default="", max_length=200)
    trainers: list[str] = Field(default_factory=list, max_length=30)
    measure_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    project_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    participants: list[ParticipationIn] = Field(default_factory=list, max_length=30)


class ParticipationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    agency_id: int
    women: int
    men: int
    certificates: int


class TrainingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    topic: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    distance: bool
    organiser: str
    partner_institution: str
    trainers: list[str]
    measure_id: int | None
    project_id: int | None
    owner_agency_id: int
    distribution: str
    tlp: str
    participants: list[ParticipationOut] = Field(default_factory=list)


class EquipmentIn(Marking):
    item: Line = Field(min_length=2, max_length=300)
    category: EquipmentCategory = "other"
    quantity: StrictInt = Field(default=1, ge=1, le=100_000)
    recipient: str = AgencyCode
    handed_over_on: dt.date
    location: Line = Field(default="", max_length=200)
    value: float | None = Field(default=None, ge=0, le=1e12)
    currency: str = Currency
    training_given: StrictBool = False
    training_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    project_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    measure_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    note: FreeText = Field(default="", max_length=2000)


class EquipmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    item: str
    category: str
    quantity: int
    recipient_agency_id: int
    handed_over_on: dt.date
    location: str
    value: float | None
    currency: str
    training_given: bool
    training_id: int | None
    project_id: int | None
    measure_id: int | None
    note: str
    owner_agency_id: int


# --- donors -----------------------------------------------------------------------------------

class DonorIn(BaseModel):
    model_config = Strict
    code: str = Field(min_length=2, max_length=32, pattern=r"^[A-Za-z0-9.\-]+$")
    name: Line = Field(min_length=2, max_length=200)


class DonorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    name: str


class ProjectIn(Marking, Years):
    donor: str = Field(min_length=2, max_length=32)
    code: str = Field(min_length=2, max_length=32, pattern=r"^[A-Za-z0-9.\-]+$")
    title: Line = Field(min_length=3, max_length=300)
    programme: Line = Field(default="", max_length=200)
    implementer: Line = Field(default="", max_length=200)
    budget: float = Field(default=0.0, ge=0, le=1e12)
    currency: str = Currency
    starts_on: dt.date
    ends_on: dt.date
    beneficiaries: list[str] = Field(default_factory=list, max_length=20)
    objective_ids: list[Annotated[StrictInt, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, max_length=50)


class ProjectOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    donor_id: int
    code: str
    title: str
    programme: str
    implementer: str
    budget: float
    currency: str
    starts_on: dt.date
    ends_on: dt.date
    beneficiary_agency_ids: list[int]
    objective_ids: list[int]
    owner_agency_id: int
    distribution: str
    tlp: str


class ImportOut(BaseModel):
    kind: str
    rows: int
    created: int
    updated: int
