"""Capacity building: trainings and events with participants by agency and gender, the
certificates issued, and equipment handed over to agencies; each linked to the action plan
measure it serves and, where a donor paid for it, to the donor project."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from chegara.db.base import utcnow
from chegara.errors import BadInput, NotFound
from chegara.governance import service
from chegara.governance.models import (
    DonorProject,
    EquipmentHandover,
    Training,
    TrainingParticipation,
)
from chegara.governance.schemas import EquipmentIn, TrainingIn
from chegara.security.policy import Principal
from chegara.security.scoping import scoped
from chegara.security.service import require


def _check_links(session: Session, principal: Principal, *, measure_id: int | None,
                 project_id: int | None) -> None:
    if measure_id is not None:
        try:
            service.get_measure(session, principal, measure_id)
        except NotFound:
            raise BadInput(f"no measure {measure_id}", details=[{"field": "measure_id"}]
                           ) from None
    if project_id is not None:
        visible = scoped(select(DonorProject.id).where(DonorProject.id == project_id),
                         DonorProject, principal)
        if session.scalar(visible) is None:
            raise BadInput(f"no donor project {project_id}", details=[{"field": "project_id"}])


def create_training(session: Session, principal: Principal, data: TrainingIn) -> Training:
    require(principal, "training.manage")
    _check_links(session, principal, measure_id=data.measure_id, project_id=data.project_id)
    training = Training(kind=data.kind, topic=data.topic, starts_on=data.starts_on,
                        ends_on=data.ends_on, place=data.place, distance=data.distance,
                        organiser=data.organiser, partner_institution=data.partner_institution,
                        trainers=[t.strip() for t in data.trainers if t.strip()],
                        measure_id=data.measure_id, project_id=data.project_id,
                        created_at=utcnow())
    service.apply_marking(training, data, principal)
    session.add(training)
    session.flush()
    seen: set[int] = set()
    for part in data.participants:
        agency = service.agency_by_code(session, part.agency, field_name="participants")
        if agency.id in seen:
            raise BadInput(f"{agency.code} is listed twice", details=[{"field": "participants"}])
        seen.add(agency.id)
        session.add(TrainingParticipation(training_id=training.id, agency_id=agency.id,
                                          women=part.women, men=part.men,
                                          certificates=part.certificates))
    session.flush()
    return training


@dataclass(frozen=True)
class TrainingFilter:
    year: int | None = None
    kind: str | None = None
    measure_id: int | None = None


def list_trainings(session: Session, principal: Principal,
                   where: TrainingFilter = TrainingFilter()) -> list[Training]:
    require(principal, "training.read")
    query = scoped(select(Training), Training, principal)
    if where.year is not None:
        query = query.where(Training.starts_on >= dt.date(where.year, 1, 1),
                            Training.starts_on <= dt.date(where.year, 12, 31))
    if where.kind:
        query = query.where(Training.kind == where.kind)
    if where.measure_id is not None:
        query = query.where(Training.measure_id == where.measure_id)
    return list(session.scalars(query.order_by(Training.starts_on.desc(), Training.id.desc())))


def get_training(session: Session, principal: Principal, training_id: int) -> Training:
    require(principal, "training.read")
    found = session.scalar(scoped(select(Training).where(Training.id == training_id),
                                  Training, principal))
    if found is None:
        raise NotFound(f"training {training_id} does not exist or is not shared with you")
    return found


def participation_of(session: Session, training_ids: list[int]
                     ) -> dict[int, list[TrainingParticipation]]:
    found: dict[int, list[TrainingParticipation]] = {i: [] for i in training_ids}
    if not training_ids:
        return found
    for row in session.scalars(select(TrainingParticipation).where(
            TrainingParticipation.training_id.in_(training_ids))):
        found[row.training_id].append(row)
    return found


@dataclass
class Headcount:
    women: int = 0
    men: int = 0
    certificates: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men

    @property
    def women_percent(self) -> int:
        return round(100 * self.women / self.total) if self.total else 0


def headcount_by_agency(rows: list[TrainingParticipation]) -> dict[int, Headcount]:
    counts: dict[int, Headcount] = {}
    for row in rows:
        count = counts.setdefault(row.agency_id, Headcount())
        count.women += row.women
        count.men += row.men
        count.certificates += row.certificates
    return counts


def create_handover(session: Session, principal: Principal, data: EquipmentIn
                    ) -> EquipmentHandover:
    require(principal, "training.manage")
    _check_links(session, principal, measure_id=data.measure_id, project_id=data.project_id)
    if data.training_id is not None:
        try:
            get_training(session, principal, data.training_id)
        except NotFound:
            raise BadInput(f"no training {data.training_id}",
                           details=[{"field": "training_id"}]) from None
    recipient = service.agency_by_code(session, data.recipient, field_name="recipient")
    handover = EquipmentHandover(
        item=data.item, category=data.category, quantity=data.quantity,
        recipient_agency_id=recipient.id, handed_over_on=data.handed_over_on,
        location=data.location, value=data.value, currency=data.currency,
        training_given=data.training_given or data.training_id is not None,
        training_id=data.training_id, project_id=data.project_id, measure_id=data.measure_id,
        note=data.note, created_at=utcnow())
    service.apply_marking(handover, data, principal)
    session.add(handover)
    session.flush()
    return handover


def list_handovers(session: Session, principal: Principal, *, year: int | None = None,
                   agency_id: int | None = None) -> list[EquipmentHandover]:
    require(principal, "training.read")
    query = scoped(select(EquipmentHandover), EquipmentHandover, principal)
    if year is not None:
        query = query.where(EquipmentHandover.handed_over_on >= dt.date(year, 1, 1),
                            EquipmentHandover.handed_over_on <= dt.date(year, 12, 31))
    if agency_id is not None:
        query = query.where(EquipmentHandover.recipient_agency_id == agency_id)
    return list(session.scalars(query.order_by(EquipmentHandover.handed_over_on.desc(),
                                               EquipmentHandover.id.desc())))
