"""The document registry: lost, stolen, invalidated and revoked travel documents.

Registers hold tens of thousands of rows (an INTERPOL SLTD extract, the national passport
office's list), so rows are written in bulk and audited once per import with the digest of the
file, like watchlist entries; every lookup is audited as a read.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from chegara.db.base import Base, IdMixin, SharedRecord, utcnow


class RegistryDocument(IdMixin, SharedRecord, Base):
    """One reported document: its number as normalised for lookup, and what happened to it."""

    __tablename__ = "registry_document"
    __audited__ = False
    __personal_data__ = True
    __table_args__ = (
        Index("ix_registry_document_lookup", "number", "issuing_state"),
    )

    number: Mapped[str] = mapped_column(String(40))
    number_as_given: Mapped[str] = mapped_column(String(64))
    document_type: Mapped[str] = mapped_column(String(8))
    issuing_state: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))  # lost, stolen, invalidated, revoked
    reported_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(String(16))  # national, sltd
    import_id: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

