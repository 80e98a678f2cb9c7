"""Risk analysis request and response bodies; every field bounded, unknown fields refused."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from chegara.db.base import Distribution, Tlp
from chegara.text import FreeText, Line, OptionalLine

Strict = ConfigDict(extra="forbid")

INCIDENT_TYPES = (
    "illegal_border_crossing", "clandestine_entry", "facilitator", "illegal_stay",
    "refusal_of_entry", "false_document", "return", "drugs", "weapons", "tobacco",
    "stolen_vehicle", "goods_smuggling", "currency", "sps_violation", "corruption",
    "trafficking_in_human_beings", "other",
)
IncidentType = Literal[
    "illegal_border_crossing", "clandestine_entry", "facilitator", "illegal_stay",
    "refusal_of_entry", "false_document", "return", "drugs", "weapons", "tobacco",
    "stolen_vehicle", "goods_smuggling", "currency", "sps_violation", "corruption",
    "trafficking_in_human_beings", "other",
]
# Reasons for refusal of entry, lettered as on the EU standard refusal form (Schengen Borders
# Code annex V part B), which the region's border services know from EU-funded training.
REFUSAL_REASONS: dict[str, str] = {
    "A": "no valid travel document",
    "B": "false, counterfeit or forged travel document",
    "C": "no valid visa or residence permit",
    "D": "false, counterfeit or forged visa or residence permit",
    "E": "no documents justifying the purpose and conditions of stay",
    "F": "already stayed the maximum period allowed",
    "G": "not enough means of subsistence",
    "H": "alert in a national or international database",
    "I": "threat to public policy, internal security or public health",
}
INCIDENT_STATUSES = ("reported", "validated", "closed")
Level3 = Literal["low", "medium", "high"]
ImpactLevel = Literal["low", "medium", "high", "critical"]
# Incidents hold personal data: they travel no further than the national agencies.
IncidentDistribution = Literal["agency", "sharing_group", "national"]


class IncidentIn(BaseModel):
    model_config = Strict
    incident_type: IncidentType
    refusal_reason: Literal["A", "B", "C", "D", "E", "F", "G", "H", "I"] | None = None
    occurred_at: dt.datetime
    section: str = Field(min_length=1, max_length=64, description="border section code")
    crossing_point: str | None = Field(default=None, max_length=64)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    persons: StrictInt = Field(default=0, ge=0, le=10_000)
    nationality: str | None = Field(default=None, pattern=r"^[A-Z]{3}$",
                                    description="ICAO / ISO alpha-3")
    vehicles: StrictInt = Field(default=0, ge=0, le=10_000)
    goods: Line = Field(default="", max_length=500)
    impact: Level3 = "low"
    confidence: Level3 = "medium"
    source_reliability: Literal["A", "B", "C", "D", "E", "F"] = "F"
    information_credibility: Literal["1", "2", "3", "4", "5", "6"] = "6"
    summary: FreeText = Field(default="", max_length=5000)
    distribution: IncidentDistribution = "agency"
    sharing_group_id: StrictInt | None = Field(default=None, ge=1)
    tlp: Tlp = Tlp.AMBER

    @field_validator("occurred_at")
    @classmethod
    def aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("give the time with its UTC offset, e.g. 2026-05-01T14:00:00Z")
        return value.astimezone(dt.UTC)


class IncidentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    incident_type: str
    refusal_reason: str | None
    occurred_at: dt.datetime
    section_id: int
    crossing_point_id: int | None
    lat: float | None
    lon: float | None
    persons: int
    nationality: str | None
    vehicles: int
    goods: str
    impact: str
    confidence: str
    source_reliability: str
    information_credibility: str
    summary: str
    status: str
    first_report: str
    first_report_at: dt.datetime | None
    owner_agency_id: int
    distribution: str
    tlp: str
    created_at: dt.datetime
    overdue: bool = False


class FirstReportIn(BaseModel):
    model_config = Strict
    text: FreeText = Field(min_length=3, max_length=5000)


class TransitionIn(BaseModel):
    model_config = Strict
    status: Literal["validated", "closed"]
    note: FreeText = Field(default="", max_length=2000)


class SectionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    name_ru: str
    neighbour_code: str
    oblast: str
    path: list[list[float]]
    neighbours: list[str]
    impact_level: str
    impact_level_since: dt.datetime | None


class SectionUpdateIn(BaseModel):
    model_config = Strict
    name_ru: OptionalLine = Field(default=None, max_length=100)
    oblast: OptionalLine = Field(default=None, max_length=64)
    path: list[list[float]] | None = Field(default=None, min_length=2, max_length=500)
    neighbours: list[str] | None = Field(default=None, max_length=50)

    @field_validator("path")
    @classmethod
    def lon_lat_pairs(cls, value: list[list[float]] | None) -> list[list[float]] | None:
        if value is None:
            return value
        for point in value:
            if len(point) != 2 or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
                raise ValueError("each path point is [longitude, latitude]")
        return value


class CrossingPointOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    name: str
    name_ru: str
    section_id: int
    kind: str
    lon: float
    lat: float
    counterpart: str
    seasonal: bool
    active: bool


class CrossingPointIn(BaseModel):
    model_config = Strict
    code: str = Field(min_length=2, max_length=64, pattern=r"^[A-Z0-9-]+$")
    name: Line = Field(min_length=2, max_length=100)
    name_ru: Line = Field(default="", max_length=100)
    section: str = Field(min_length=1, max_length=64)
    kind: Literal["road", "rail", "air", "pedestrian"] = "road"
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    counterpart: Line = Field(default="", max_length=100)
    seasonal: StrictBool = False
    active: StrictBool = True


class StatisticsImportOut(BaseModel):
    rows: int
    series: int
    filled_months: int
    unknown_sections: list[str]


class AssessmentIn(BaseModel):
    model_config = Strict
    section: str = Field(min_length=1, max_length=64)
    threat: Line = Field(min_length=2, max_length=64)
    period: str = Field(min_length=4, max_length=16)
    magnitude: StrictInt = Field(ge=1, le=10)
    likelihood: StrictInt = Field(ge=1, le=10)
    vulnerability: dict[str, StrictInt] = Field(max_length=20)
    impacts: dict[str, StrictInt] = Field(max_length=20)
    rationale: FreeText = Field(default="", max_length=5000)
    distribution: IncidentDistribution = "national"
    sharing_group_id: StrictInt | None = Field(default=None, ge=1)
    tlp: Tlp = Tlp.AMBER


class AssessmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    section_id: int
    threat: str
    period: str
    magnitude: int
    likelihood: int
    vulnerability: dict[str, Any]
    impacts: dict[str, Any]
    threat_score: int
    vulnerability_score: int
    impact_score: int
    risk_level: str
    proposed_impact_level: str
    rationale: str
    owner_agency_id: int
    created_at: dt.datetime


class ImpactLevelIn(BaseModel):
    model_config = Strict
    level: ImpactLevel
    reason: FreeText = Field(min_length=3, max_length=2000)
    assessment_id: StrictInt | None = Field(default=None, ge=1)


class ImpactLevelChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    section_id: int
    level: str
    previous_level: str
    status: str
    reason: str
    approval_id: int | None
    requested_at: dt.datetime
    decided_at: dt.datetime | None


class ProductIn(BaseModel):
    model_config = Strict
    kind: Literal["bulletin", "annual", "section"]
    period: str = Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$",
                        description="YYYY-MM for a bulletin or section analysis, YYYY for annual")
    edition: Literal["restricted", "public"] = "restricted"
    section: str | None = Field(default=None, max_length=64)
    language: Literal["ru", "en"] | None = Field(
        default=None, description="language of the product; the author's own when left out")


class ProductOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    edition: str
    period: str
    section_code: str | None
    title: str
    owner_agency_id: int
    distribution: str
    tlp: str
    created_at: dt.datetime


DISTRIBUTIONS = tuple(d.value for d in Distribution)
