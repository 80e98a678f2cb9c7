"""Watchlists with versions, their entries, screening hits and remembered false positives."""

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


class Watchlist(IdMixin, SharedRecord, Base):
    """A named list: a national wanted list, an INTERPOL copy, a sanctions list."""

    __tablename__ = "watchlist"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))  # wanted, interpol, sanctions, other
    # A list the owning agency maintains itself: every new version needs four-eyes approval.
    maintained_here: Mapped[bool] = mapped_column(Boolean, default=False)
    threshold: Mapped[float | None] = mapped_column(Float, nullable=True)
    active_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)



class WatchlistVersion(IdMixin, Base):
    __tablename__ = "watchlist_version"
    __table_args__ = (UniqueConstraint("watchlist_id", "number"),)

    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlist.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # pending, active, superseded, rejected
    source_name: Mapped[str] = mapped_column(String(255))
    source_format: Mapped[str] = mapped_column(String(16))
    source_sha256: Mapped[str] = mapped_column(String(64))
    entry_count: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    removed: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    # Entry ids this version drops: unchanged entries are not copied into a new version, so
    # removals must be remembered until the version is activated.
    removed_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    activated_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class WatchlistEntry(Base):
    """One listed person, valid from one list version until (not including) another.

    Entries are written in bulk and audited once per version (an event with the digest of the
    whole import), not row by row: a sanctions list has hundreds of thousands of rows.
    """

    __tablename__ = "watchlist_entry"
    __audited__ = False
    __personal_data__ = True
    __table_args__ = (
        Index("ix_watchlist_entry_lookup", "watchlist_id", "entry_id"),
        Index("ix_watchlist_entry_from", "watchlist_id", "valid_from"),
        Index("ix_watchlist_entry_to", "watchlist_id", "valid_to"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlist.id"))
    entry_id: Mapped[str] = mapped_column(String(128))
    valid_from: Mapped[int] = mapped_column(Integer)
    valid_to: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ScreeningHit(IdMixin, SharedRecord, Base):
    """A traveller who matched a watchlist entry, waiting for or after review."""

    __tablename__ = "screening_hit"
    __personal_data__ = True
    __table_args__ = (Index("ix_screening_hit_queue", "owner_agency_id", "status"),)

    traveller_key: Mapped[str] = mapped_column(String(64), index=True)
    traveller: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(64))
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlist.id"))
    entry_id: Mapped[str] = mapped_column(String(128))
    entry_content_hash: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    matched_name: Mapped[str] = mapped_column(String(500))
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="NEW")
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)



class FalsePositiveMemory(IdMixin, Base):
    """'This traveller is not that entry' — remembered until the entry changes."""

    __tablename__ = "false_positive_memory"
    __table_args__ = (UniqueConstraint("traveller_key", "watchlist_id", "entry_id",
                                       "entry_content_hash"),)

    traveller_key: Mapped[str] = mapped_column(String(64))
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlist.id"))
    entry_id: Mapped[str] = mapped_column(String(128))
    entry_content_hash: Mapped[str] = mapped_column(String(64))
    owner_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    hit_id: Mapped[int] = mapped_column(ForeignKey("screening_hit.id"))
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
