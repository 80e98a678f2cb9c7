"""Risk alert payloads: unknown fields are refused and every size is bounded."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from chegara.db.base import Distribution, Tlp
from chegara.text import FreeText, Line

AlertCategory = Literal[
    "concealment", "document_fraud", "smuggling_route", "irregular_migration", "trafficking",
    "sps_risk", "corruption", "other",
]
ALERT_CATEGORIES: tuple[str, ...] = AlertCategory.__args__  # type: ignore[attr-defined]


class AlertIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Line = Field(min_length=3, max_length=200)
    body: FreeText = Field(default="", max_length=20_000)
    category: AlertCategory
    source_reliability: Literal["A", "B", "C", "D", "E", "F"]
    information_credibility: Literal["1", "2", "3", "4", "5", "6"]
    distribution: Distribution = Distribution.AGENCY
    sharing_group_id: StrictInt | None = Field(default=None, ge=1)
    tlp: Tlp = Tlp.AMBER


class AlertOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    body: str
    category: str
    source_reliability: str
    information_credibility: str
    distribution: str
    sharing_group_id: int | None
    tlp: str
    status: str
    owner_agency_id: int
    created_by_id: int
    created_at: dt.datetime
    pending_approval_id: int | None = None
