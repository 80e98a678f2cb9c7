"""Declarative base, shared column types and the distribution mixin every shared record uses."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC timestamp is required")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {dt.datetime: UTCDateTime()}  # noqa: RUF012

    # Tables holding personal data set this so the audit trail records reads, and the
    # retention job knows what to purge.
    __personal_data__: bool = False


class Distribution(enum.StrEnum):
    """How far a record travels; ordered from most to least restrictive (MISP-style)."""

    AGENCY = "agency"
    SHARING_GROUP = "sharing_group"
    NATIONAL = "national"
    PARTNERS = "partners"

    @property
    def rank(self) -> int:
        return list(Distribution).index(self)

    @classmethod
    def most_restrictive(cls, *levels: Distribution) -> Distribution:
        return min(levels, key=lambda level: level.rank)


class Tlp(enum.StrEnum):
    """Traffic Light Protocol 2.0 handling marking."""

    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def rank(self) -> int:
        return [Tlp.RED, Tlp.AMBER, Tlp.GREEN, Tlp.CLEAR].index(self)


@dataclass(frozen=True)
class RecordMarking:
    """The sharing attributes of any record, as the scoping rules read them."""

    owner_agency_id: int
    distribution: str
    sharing_group_id: int | None = None
    tlp: str = Tlp.AMBER.value


class SharedRecord:
    """Columns every record shared between agencies carries: owner, distribution, marking."""

    @property
    def marking(self) -> RecordMarking:
        """What the policy reads to decide who may see the record."""
        return RecordMarking(self.owner_agency_id, self.distribution, self.sharing_group_id,
                             self.tlp)

    @declared_attr
    def owner_agency_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy declared_attr
        return mapped_column(ForeignKey("agency.id"), index=True)

    @declared_attr
    def distribution(cls) -> Mapped[str]:  # noqa: N805
        return mapped_column(String(16), default=Distribution.AGENCY.value)

    @declared_attr
    def sharing_group_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("sharing_group.id"), nullable=True)

    @declared_attr
    def tlp(cls) -> Mapped[str]:  # noqa: N805
        return mapped_column(String(8), default=Tlp.AMBER.value)


class IdMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
