"""Stored declarations and SPS consignments, risk profiles, trader watch-lists, inspection
capacity, the decision per declaration, inspection results, joint inspections and the model
registry.

Declarations keep their canonical fields (see ``declarations.py``) as canonical text in one JSON
column: rules, valuation and the model read a batch back through the same parser the file import
uses, so a stored declaration and an imported one can never be read differently. The columns the
queue filters and sorts on are copied out beside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
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


class _Marked(SharedRecord):
    """A shared record with its marking, as the policy reads it."""



class DeclarationImport(IdMixin, Base):
    """One imported file: what it was, who brought it, how many rows."""

    __tablename__ = "declaration_import"

    owner_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # declaration | consignment
    source_name: Mapped[str] = mapped_column(String(255))
    source_sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class StoredDeclaration(IdMixin, _Marked, Base):
    """A customs declaration or an SPS consignment, owned by the agency that lodged it.

    Written in bulk and audited once per import (one event with the digest of the file).
    """

    __tablename__ = "declaration"
    __audited__ = False
    __table_args__ = (
        UniqueConstraint("owner_agency_id", "kind", "declaration_id"),
        Index("ix_declaration_queue", "owner_agency_id", "date", "office"),
    )

    import_id: Mapped[int] = mapped_column(ForeignKey("declaration_import.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # declaration | consignment
    declaration_id: Mapped[str] = mapped_column(String(64), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    office: Mapped[str] = mapped_column(String(64), default="")
    hs_code: Mapped[str] = mapped_column(String(10), default="")
    importer_id: Mapped[str] = mapped_column(String(64), default="")
    origin_country: Mapped[str] = mapped_column(String(8), default="")
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)


class TraderWatchlist(IdMixin, _Marked, Base):
    """Trader ids under watch, matched on one declaration field; profiles refer to it by name."""

    __tablename__ = "trader_watchlist"
    __table_args__ = (UniqueConstraint("owner_agency_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(32), default="importer_id")
    ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RiskProfile(IdMixin, _Marked, Base):
    """A selectivity criterion as data; it fires only once a supervisor has activated it."""

    __tablename__ = "risk_profile"
    __table_args__ = (UniqueConstraint("owner_agency_id", "code"),)

    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(8))
    selection_percent: Mapped[float] = mapped_column(Float, default=100.0)
    instructions: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # draft -> pending (four-eyes) -> active; active -> retired; an edit returns it to draft.
    status: Mapped[str] = mapped_column(String(16), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    activated_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class InspectionCapacity(IdMixin, Base):
    """What an office can inspect a day, and who inspects there (for random assignment)."""

    __tablename__ = "inspection_capacity"
    __table_args__ = (UniqueConstraint("owner_agency_id", "office"),)

    owner_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    office: Mapped[str] = mapped_column(String(64))
    physical_per_day: Mapped[int] = mapped_column(Integer)
    documentary_per_day: Mapped[int] = mapped_column(Integer)
    inspectors: Mapped[list[str]] = mapped_column(JSON, default=list)


class RiskModelVersion(IdMixin, Base):
    """A trained model in the registry; files under CHEGARA_HOME/models/<version>/."""

    __tablename__ = "risk_model"
    __table_args__ = (UniqueConstraint("owner_agency_id", "version"),)

    owner_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    version: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(500))
    # registered -> pending (four-eyes) -> active -> retired (a later activation retires it)
    status: Mapped[str] = mapped_column(String(16), default="registered")
    data_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    data_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    inspected: Mapped[int] = mapped_column(Integer, default=0)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Scores of the training data, kept as deciles so drift can be measured without the data.
    reference_scores: Mapped[list[float]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class TargetingDecision(IdMixin, _Marked, Base):
    """The channel of one declaration and why; shares the declaration's marking."""

    __tablename__ = "targeting_decision"
    __table_args__ = (Index("ix_targeting_decision_queue", "owner_agency_id", "channel"),)

    declaration_pk: Mapped[int] = mapped_column(ForeignKey("declaration.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(8))
    basis: Mapped[str] = mapped_column(String(16))  # rule, random, score, blue, none
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    model_version: Mapped[str] = mapped_column(String(64), default="")
    profiles_fired: Mapped[list[str]] = mapped_column(JSON, default=list)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    model_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    undervaluation: Mapped[str] = mapped_column(Text, default="")
    inspector: Mapped[str] = mapped_column(String(64), default="")
    original_channel: Mapped[str] = mapped_column(String(8), default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    override_status: Mapped[str] = mapped_column(String(16), default="")  # pending, approved...
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InspectionResult(IdMixin, _Marked, Base):
    """What the examiner found: the ground truth hit rates and retraining learn from."""

    __tablename__ = "inspection_result"

    decision_id: Mapped[int] = mapped_column(ForeignKey("targeting_decision.id"), unique=True)
    found: Mapped[bool] = mapped_column(Boolean)
    offence_type: Mapped[str] = mapped_column(String(64), default="")
    revenue_recovered: Mapped[float] = mapped_column(Float, default=0.0)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    inspected_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class JointInspection(IdMixin, _Marked, Base):
    """One appointment at which customs, SPS and the border guard inspect together."""

    __tablename__ = "joint_inspection"

    declaration_ref: Mapped[str] = mapped_column(String(64), unique=True)
    scheduled_for: Mapped[dt.datetime] = mapped_column()
    place: Mapped[str] = mapped_column(String(200))
    agencies: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SpsCategoryRecord(IdMixin, _Marked, Base):
    """An SPS commodity (and origin) risk category with its check frequencies; it applies only
    once a supervisor has activated it, and stops only once a supervisor has agreed."""

    __tablename__ = "sps_category"
    __table_args__ = (UniqueConstraint("owner_agency_id", "code"),)

    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    commodity_category: Mapped[str] = mapped_column(String(64), default="")
    hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    product_pattern: Mapped[str] = mapped_column(String(100), default="")
    origin_country: Mapped[str] = mapped_column(String(2), default="")
    valid_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    documentary_percent: Mapped[float] = mapped_column(Float, default=100.0)
    identity_percent: Mapped[float] = mapped_column(Float)
    physical_percent: Mapped[float] = mapped_column(Float)
    laboratory_percent: Mapped[float] = mapped_column(Float)
    # draft -> pending (four-eyes) -> active -> retiring (four-eyes) -> retired; an edit
    # returns it to draft.
    status: Mapped[str] = mapped_column(String(16), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    activated_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SpsCheck(IdMixin, Base):
    """The SPS checks decided for one consignment; read only through its (scoped) decision.

    Written in bulk with the decisions and audited with their selection run.
    """

    __tablename__ = "sps_check"
    __audited__ = False

    decision_id: Mapped[int] = mapped_column(ForeignKey("targeting_decision.id"), unique=True)
    category_code: Mapped[str] = mapped_column(String(64), default="")
    documentary: Mapped[bool] = mapped_column(Boolean, default=True)
    identity: Mapped[bool] = mapped_column(Boolean)
    physical: Mapped[bool] = mapped_column(Boolean)
    laboratory: Mapped[bool] = mapped_column(Boolean)
    base_frequencies: Mapped[dict[str, float]] = mapped_column(JSON)
    frequencies: Mapped[dict[str, float]] = mapped_column(JSON)
    draw: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer)
    adjustments: Mapped[list[str]] = mapped_column(JSON, default=list)
