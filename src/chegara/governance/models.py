"""Integrated border management governance: the national IBM strategy and its action plan
(objectives, measures, tasks with evidence and versions), the inter-agency commission's
meetings and decisions, trainings, equipment handovers, donors and their projects.

The strategy, tasks, meetings, trainings, handovers and donor projects are shared records
scoped like any other. Objectives and measures are the plan's outline and are read through
their strategy; donors are reference data every agency reads.
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


class Strategy(IdMixin, SharedRecord, Base):
    """A national IBM strategy and its action plan; ``version`` is the revision being worked on
    (the versions before it are frozen as :class:`PlanVersion` snapshots)."""

    __tablename__ = "ibm_strategy"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Objective(IdMixin, Base):
    __tablename__ = "ibm_objective"
    __table_args__ = (UniqueConstraint("strategy_id", "code"),)

    strategy_id: Mapped[int] = mapped_column(ForeignKey("ibm_strategy.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))


class Measure(IdMixin, Base):
    __tablename__ = "ibm_measure"
    __table_args__ = (UniqueConstraint("objective_id", "code"),)

    objective_id: Mapped[int] = mapped_column(ForeignKey("ibm_objective.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))


class PlanTask(IdMixin, SharedRecord, Base):
    """One task of the action plan: who does it, by when, how progress is measured."""

    __tablename__ = "ibm_task"
    __table_args__ = (UniqueConstraint("strategy_id", "code"),
                      Index("ix_ibm_task_responsible", "responsible_agency_id", "status"))

    strategy_id: Mapped[int] = mapped_column(ForeignKey("ibm_strategy.id"))
    measure_id: Mapped[int] = mapped_column(ForeignKey("ibm_measure.id"), index=True)
    code: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(500))
    responsible_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    contributing_agency_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    term: Mapped[str] = mapped_column(String(8), default="short")  # short, mid
    deadline: Mapped[dt.date] = mapped_column(Date)
    indicator: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    completed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    added_in_version: Mapped[int] = mapped_column(Integer, default=1)
    changed_in_version: Mapped[int] = mapped_column(Integer, default=1)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("ibm_decision.id"),
                                                    nullable=True)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TaskUpdate(IdMixin, Base):
    """A reported change of a task's status or progress: the history the commission reads."""

    __tablename__ = "ibm_task_update"

    task_id: Mapped[int] = mapped_column(ForeignKey("ibm_task.id"), index=True)
    old_status: Mapped[str] = mapped_column(String(16))
    new_status: Mapped[str] = mapped_column(String(16))
    progress: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), nullable=True)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TaskEvidence(IdMixin, Base):
    """A file attached to a task as evidence; the bytes live under CHEGARA_HOME, named by
    their SHA-256 so that the same file is stored once and tampering shows."""

    __tablename__ = "ibm_task_evidence"

    task_id: Mapped[int] = mapped_column(ForeignKey("ibm_task.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(1000), default="")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), nullable=True)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlanVersion(IdMixin, Base):
    """A frozen revision of the action plan, as the commission adopted it."""

    __tablename__ = "ibm_plan_version"
    __table_args__ = (UniqueConstraint("strategy_id", "number"),)

    strategy_id: Mapped[int] = mapped_column(ForeignKey("ibm_strategy.id"))
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Meeting(IdMixin, SharedRecord, Base):
    """A meeting of the Inter-Agency Commission on Integrated Border Management."""

    __tablename__ = "ibm_meeting"

    strategy_id: Mapped[int | None] = mapped_column(ForeignKey("ibm_strategy.id"),
                                                    nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    # [{"name", "agency", "position"}]: who took part, as in the minutes.
    participants: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    agenda: Mapped[list[str]] = mapped_column(JSON, default=list)
    minutes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Decision(IdMixin, Base):
    """A decision of a meeting; one that assigns work becomes a task of the plan."""

    __tablename__ = "ibm_decision"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    meeting_id: Mapped[int] = mapped_column(ForeignKey("ibm_meeting.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    task_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Training(IdMixin, SharedRecord, Base):
    """A training, course, training of trainers or distance-learning lecture."""

    __tablename__ = "ibm_training"
    __table_args__ = (Index("ix_ibm_training_dates", "starts_on"),)

    kind: Mapped[str] = mapped_column(String(24))
    topic: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    distance: Mapped[bool] = mapped_column(Boolean, default=False)
    organiser: Mapped[str] = mapped_column(String(200), default="")
    partner_institution: Mapped[str] = mapped_column(String(200), default="")
    trainers: Mapped[list[str]] = mapped_column(JSON, default=list)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("ibm_measure.id"), nullable=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("ibm_donor_project.id"),
                                                   nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TrainingParticipation(IdMixin, Base):
    """How many women and men of one agency took part, and how many were certified.

    Counted, not named: the commission needs the figures, and names would be personal data
    to keep and purge."""

    __tablename__ = "ibm_training_participation"
    __table_args__ = (UniqueConstraint("training_id", "agency_id"),)

    training_id: Mapped[int] = mapped_column(ForeignKey("ibm_training.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    women: Mapped[int] = mapped_column(Integer, default=0)
    men: Mapped[int] = mapped_column(Integer, default=0)
    certificates: Mapped[int] = mapped_column(Integer, default=0)


class EquipmentHandover(IdMixin, SharedRecord, Base):
    __tablename__ = "ibm_equipment"

    item: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    recipient_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    handed_over_on: Mapped[dt.date] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    training_given: Mapped[bool] = mapped_column(Boolean, default=False)
    training_id: Mapped[int | None] = mapped_column(ForeignKey("ibm_training.id"),
                                                    nullable=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("ibm_donor_project.id"),
                                                   nullable=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("ibm_measure.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Donor(IdMixin, Base):
    __tablename__ = "ibm_donor"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class DonorProject(IdMixin, SharedRecord, Base):
    """A donor-funded project: its budget, period, beneficiary agencies and the strategy
    objectives it serves (what overlaps and gaps are computed from)."""

    __tablename__ = "ibm_donor_project"

    donor_id: Mapped[int] = mapped_column(ForeignKey("ibm_donor.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    programme: Mapped[str] = mapped_column(String(200), default="")
    implementer: Mapped[str] = mapped_column(String(200), default="")
    budget: Mapped[float] = mapped_column(Float, default=0.0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    beneficiary_agency_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    objective_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
