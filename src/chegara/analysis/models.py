"""Strategic risk analysis tables: geography, incidents, imported statistics, CIRAM
assessments, section impact levels and the products (bulletins, national risk analyses).

Geography is reference data every agency reads (no distribution marking); incidents,
statistics, assessments and products are shared records scoped like any other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from chegara.db.base import Base, IdMixin, SharedRecord, utcnow


class Country(IdMixin, Base):
    __tablename__ = "geo_country"

    code: Mapped[str] = mapped_column(String(3), unique=True)  # ISO 3166 alpha-3
    name: Mapped[str] = mapped_column(String(100))
    name_ru: Mapped[str] = mapped_column(String(100), default="")


class BorderSection(IdMixin, Base):
    """A stretch of the state border, by oblast and neighbouring country (e.g. "KG-KZ Chui")."""

    __tablename__ = "border_section"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_ru: Mapped[str] = mapped_column(String(100), default="")
    neighbour_code: Mapped[str] = mapped_column(String(3))
    oblast: Mapped[str] = mapped_column(String(64), default="")
    # [[lon, lat], ...] along the border line, for the schematic map.
    path: Mapped[list[list[float]]] = mapped_column(JSON, default=list)
    # Codes of the sections that meet this one along the border (Gi*, displacement).
    neighbours: Mapped[list[str]] = mapped_column(JSON, default=list)
    impact_level: Mapped[str] = mapped_column(String(16), default="low")
    impact_level_since: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class CrossingPoint(IdMixin, Base):
    __tablename__ = "crossing_point"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_ru: Mapped[str] = mapped_column(String(100), default="")
    section_id: Mapped[int] = mapped_column(ForeignKey("border_section.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="road")
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    counterpart: Mapped[str] = mapped_column(String(100), default="")
    seasonal: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Incident(IdMixin, SharedRecord, Base):
    """Something an agency saw at the border: a detection, a refusal, a seizure, a case."""

    __tablename__ = "incident"
    __personal_data__ = True
    __table_args__ = (
        Index("ix_incident_section_time", "section_id", "occurred_at"),
        Index("ix_incident_status", "owner_agency_id", "status"),
    )

    incident_type: Mapped[str] = mapped_column(String(32))
    refusal_reason: Mapped[str | None] = mapped_column(String(2), nullable=True)
    occurred_at: Mapped[dt.datetime] = mapped_column()
    section_id: Mapped[int] = mapped_column(ForeignKey("border_section.id"))
    crossing_point_id: Mapped[int | None] = mapped_column(ForeignKey("crossing_point.id"),
                                                          nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    persons: Mapped[int] = mapped_column(Integer, default=0)
    nationality: Mapped[str | None] = mapped_column(String(3), nullable=True)
    vehicles: Mapped[int] = mapped_column(Integer, default=0)
    goods: Mapped[str] = mapped_column(String(500), default="")
    impact: Mapped[str] = mapped_column(String(8), default="low")  # low, medium, high
    confidence: Mapped[str] = mapped_column(String(8), default="medium")
    source_reliability: Mapped[str] = mapped_column(String(1), default="F")
    information_credibility: Mapped[str] = mapped_column(String(1), default="6")
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="reported")
    first_report: Mapped[str] = mapped_column(Text, default="")
    first_report_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"),
                                                        nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    validated_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)



class IndicatorStatistic(IdMixin, SharedRecord, Base):
    """An official monthly figure imported from an agency's statistics (COUNTS.csv row).

    Imported in bulk and audited once per file, not row by row.
    """

    __tablename__ = "indicator_statistic"
    __audited__ = False
    __table_args__ = (
        UniqueConstraint("owner_agency_id", "period", "section", "indicator"),
    )

    period: Mapped[str] = mapped_column(String(7))
    section: Mapped[str] = mapped_column(String(200))
    indicator: Mapped[str] = mapped_column(String(200))
    count: Mapped[float] = mapped_column(Float)
    source_name: Mapped[str] = mapped_column(String(255), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CiramAssessment(IdMixin, SharedRecord, Base):
    """One CIRAM assessment of a threat on a border section."""

    __tablename__ = "ciram_assessment"
    __table_args__ = (Index("ix_ciram_assessment_section", "section_id", "created_at"),)

    section_id: Mapped[int] = mapped_column(ForeignKey("border_section.id"))
    threat: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    magnitude: Mapped[int] = mapped_column(Integer)
    likelihood: Mapped[int] = mapped_column(Integer)
    vulnerability: Mapped[dict[str, Any]] = mapped_column(JSON)
    impacts: Mapped[dict[str, Any]] = mapped_column(JSON)
    threat_score: Mapped[int] = mapped_column(Integer)
    vulnerability_score: Mapped[int] = mapped_column(Integer)
    impact_score: Mapped[int] = mapped_column(Integer)
    risk_level: Mapped[str] = mapped_column(String(16))
    proposed_impact_level: Mapped[str] = mapped_column(String(16))
    rationale: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)



class ImpactLevelChange(IdMixin, Base):
    """A proposed, approved or rejected impact level of a section: its history."""

    __tablename__ = "impact_level_change"

    section_id: Mapped[int] = mapped_column(ForeignKey("border_section.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    previous_level: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("ciram_assessment.id"),
                                                      nullable=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    approval_id: Mapped[int | None] = mapped_column(ForeignKey("approval.id"), nullable=True)
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class AnalysisProduct(IdMixin, SharedRecord, Base):
    """A generated bulletin, national risk analysis or tailored section analysis (HTML kept;
    the PDF is rendered from it on demand)."""

    __tablename__ = "analysis_product"

    kind: Mapped[str] = mapped_column(String(16))  # bulletin, annual, section
    edition: Mapped[str] = mapped_column(String(16))  # restricted, public
    period: Mapped[str] = mapped_column(String(16))
    section_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    html: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

