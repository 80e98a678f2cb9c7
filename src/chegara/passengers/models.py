"""Stored voyages: a manifest's voyage, its travellers, their hits, and traveller risk rules.

Travellers and hits are written in bulk when a manifest is loaded and audited once per voyage
(an event with the digest of the message); opening a voyage is audited as a read of personal
data. Rules go through the ORM and its row-level audit, and become active only through a
four-eyes approval.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chegara.db.base import Base, IdMixin, SharedRecord, utcnow


class Voyage(IdMixin, SharedRecord, Base):
    """One flight, bus or train service as its manifest reported it."""

    __tablename__ = "voyage"

    designator: Mapped[str] = mapped_column(String(32))
    carrier: Mapped[str] = mapped_column(String(32), default="")
    transport_mode: Mapped[str] = mapped_column(String(8))
    message_type: Mapped[str] = mapped_column(String(8))
    origin: Mapped[str | None] = mapped_column(String(16), nullable=True)
    destination: Mapped[str | None] = mapped_column(String(16), nullable=True)
    departure: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    arrival: Mapped[dt.datetime | None] = mapped_column(nullable=True, index=True)
    legs: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source_name: Mapped[str] = mapped_column(String(255))
    source_sha256: Mapped[str] = mapped_column(String(64))
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    traveller_count: Mapped[int] = mapped_column(Integer, default=0)
    hit_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)



class VoyageTraveller(IdMixin, Base):
    """A traveller of a stored voyage, with the attributes rules read and the review state."""

    __tablename__ = "voyage_traveller"
    __audited__ = False
    __personal_data__ = True

    voyage_id: Mapped[int] = mapped_column(ForeignKey("voyage.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    surname: Mapped[str] = mapped_column(String(100))
    given_names: Mapped[str] = mapped_column(String(150), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    sex: Mapped[str | None] = mapped_column(String(1), nullable=True)
    nationality: Mapped[str | None] = mapped_column(String(3), nullable=True)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    severity: Mapped[int] = mapped_column(Integer, default=0)
    hit_count: Mapped[int] = mapped_column(Integer, default=0)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    review_note: Mapped[str] = mapped_column(Text, default="")


class TravellerHit(IdMixin, Base):
    """Why a traveller is on the pre-arrival list: a watchlist, registry, document or rule hit."""

    __tablename__ = "traveller_hit"
    __audited__ = False
    __personal_data__ = True
    __table_args__ = (Index("ix_traveller_hit_voyage", "voyage_id", "traveller_id"),)

    voyage_id: Mapped[int] = mapped_column(ForeignKey("voyage.id"))
    traveller_id: Mapped[int] = mapped_column(ForeignKey("voyage_traveller.id"))
    kind: Mapped[str] = mapped_column(String(16))  # watchlist, registry, document, rule
    severity: Mapped[int] = mapped_column(Integer)  # 3 high, 2 medium, 1 low
    code: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(500))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    screening_hit_id: Mapped[int | None] = mapped_column(ForeignKey("screening_hit.id"),
                                                         nullable=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("traveller_rule.id"), nullable=True)
    registry_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("registry_document.id"), nullable=True)


class TravellerRule(IdMixin, SharedRecord, Base):
    """An analyst's risk rule. ``condition`` is the draft being edited; ``active_condition`` is
    what screening applies, copied from the draft when a supervisor approves it."""

    __tablename__ = "traveller_rule"

    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[int] = mapped_column(Integer, default=2)
    condition: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft, active, retired
    active_condition: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    active_severity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    active_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

