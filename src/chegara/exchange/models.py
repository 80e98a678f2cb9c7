"""Risk alerts exchanged between agencies (the MISP-style event of Chegara)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chegara.db.base import Base, IdMixin, SharedRecord, utcnow


class RiskAlert(IdMixin, SharedRecord, Base):
    """A short risk indication one agency shares with others: a new concealment method, a
    route, a document fraud pattern. Graded with the admiralty code."""

    __tablename__ = "risk_alert"

    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40))
    source_reliability: Mapped[str] = mapped_column(String(1))  # A-F
    information_credibility: Mapped[str] = mapped_column(String(1))  # 1-6
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

