"""Screening request and response bodies; every field bounded, unknown fields refused."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from chegara.db.base import Distribution, Tlp
from chegara.text import FreeText, Line, OptionalLine

Strict = ConfigDict(extra="forbid")

# What a watchlist may be called: the API's ``WatchlistIn`` and the service behind the command
# line both check it against this one rule.
WatchlistName = Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


class PersonIn(BaseModel):
    model_config = Strict
    name: Line = Field(min_length=1, max_length=300)
    birth_date: str | None = Field(default=None, max_length=20,
                                   description="YYYY-MM-DD, YYYY, DD.MM.YYYY or YYYY..YYYY")
    nationality: str | None = Field(default=None, min_length=2, max_length=3,
                                    pattern=r"^[A-Za-z]{1,3}$")
    gender: OptionalLine = Field(default=None, max_length=10)
    document_number: OptionalLine = Field(default=None, max_length=40)

    @field_validator("name")
    @classmethod
    def has_letters(cls, value: str) -> str:
        if not any(ch.isalpha() for ch in value):
            raise ValueError("the name has no letters")
        return value


class ScreenIn(PersonIn):
    lists: list[str] | None = Field(default=None, max_length=50)
    threshold: float | None = Field(default=None, ge=0, le=1)


class BatchIn(BaseModel):
    model_config = Strict
    persons: list[PersonIn] = Field(min_length=1, max_length=500)
    lists: list[str] | None = Field(default=None, max_length=50)
    threshold: float | None = Field(default=None, ge=0, le=1)


class HitOut(BaseModel):
    hit_id: int | None = Field(description="the recorded hit in the review queue")
    list: str
    entry_id: str
    score: float
    matched_name: str
    explanation: dict[str, Any]
    explanation_text: str
    suppressed_by_hit: int | None = Field(
        default=None, description="cleared as a false positive before; not alerted again")


class ScreenOut(BaseModel):
    hits: list[HitOut]
    suppressed: list[HitOut]


class BatchOut(BaseModel):
    results: list[ScreenOut]


class HitRecordOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    traveller: dict[str, Any]
    source: str
    watchlist_id: int
    entry_id: str
    score: float
    matched_name: str
    explanation: dict[str, Any]
    status: str
    assigned_to_id: int | None
    decision_reason: str
    created_at: dt.datetime


class AssignIn(BaseModel):
    model_config = Strict
    user_id: StrictInt = Field(ge=1)


class DecisionIn(BaseModel):
    model_config = Strict
    status: Literal["IN_REVIEW", "CONFIRMED", "FALSE_POSITIVE", "ESCALATED"]
    reason: FreeText = Field(default="", max_length=2000)


class WatchlistIn(BaseModel):
    model_config = Strict
    name: WatchlistName
    title: Line = Field(min_length=2, max_length=200)
    kind: Literal["wanted", "interpol", "sanctions", "other"]
    maintained_here: StrictBool = False
    distribution: Distribution = Distribution.NATIONAL
    tlp: Tlp = Tlp.AMBER
    threshold: float | None = Field(default=None, gt=0, lt=1)


class WatchlistOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    title: str
    kind: str
    maintained_here: bool
    threshold: float | None
    active_version: int
    owner_agency_id: int
    distribution: str
    tlp: str


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    number: int
    status: str
    source_name: str
    source_format: str
    source_sha256: str
    entry_count: int
    added: int
    removed: int
    changed: int
    created_at: dt.datetime
    created_by: str
    activated_at: dt.datetime | None


class ImportOut(BaseModel):
    version: VersionOut
    approval_id: int | None
    summary: str


class DiffOut(BaseModel):
    number: int
    added: list[tuple[str, str]]
    changed: list[tuple[str, str]]
    removed: list[tuple[str, str]]


class EntryOut(BaseModel):
    entry_id: str
    name: str
    valid_from: int
    valid_to: int | None
    data: dict[str, Any]
