"""Donor coordination: donors, their projects (budget, period, beneficiary agencies, the
strategy objectives served), and where projects overlap each other or leave the action plan
uncovered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from chegara.db.base import utcnow
from chegara.errors import BadInput, Conflict, NotFound
from chegara.governance import capacity, flags, service
from chegara.governance.models import Donor, DonorProject, Measure, Objective, PlanTask
from chegara.governance.schemas import DonorIn, ProjectIn
from chegara.security.policy import Principal
from chegara.security.scoping import scoped
from chegara.security.service import require


def create_donor(session: Session, principal: Principal, data: DonorIn) -> Donor:
    require(principal, "donor.manage")
    if session.scalar(select(Donor.id).where(Donor.code == data.code)) is not None:
        raise Conflict(f"donor {data.code} already exists")
    donor = Donor(code=data.code, name=data.name)
    session.add(donor)
    session.flush()
    return donor


def list_donors(session: Session, principal: Principal) -> list[Donor]:
    require(principal, "donor.read")
    return list(session.scalars(select(Donor).order_by(Donor.name)))


def donor_by_code(session: Session, code: str) -> Donor:
    donor = session.scalar(select(Donor).where(Donor.code == code))
    if donor is None:
        raise BadInput(f"no donor {code!r}", details=[{"field": "donor"}])
    return donor


def _objective_ids(session: Session, principal: Principal, ids: list[int]) -> list[int]:
    for objective_id in ids:
        try:
            service.get_objective(session, principal, objective_id)
        except NotFound:
            raise BadInput(f"no objective {objective_id}", details=[{"field": "objective_ids"}]
                           ) from None
    return sorted(set(ids))


def create_project(session: Session, principal: Principal, data: ProjectIn) -> DonorProject:
    require(principal, "donor.manage")
    donor = donor_by_code(session, data.donor)
    if session.scalar(select(DonorProject.id).where(DonorProject.code == data.code)) is not None:
        raise Conflict(f"project {data.code} already exists")
    beneficiaries = sorted({service.agency_by_code(session, c, field_name="beneficiaries").id
                            for c in data.beneficiaries})
    project = DonorProject(
        donor_id=donor.id, code=data.code, title=data.title, programme=data.programme,
        implementer=data.implementer, budget=data.budget, currency=data.currency,
        starts_on=data.starts_on, ends_on=data.ends_on, beneficiary_agency_ids=beneficiaries,
        objective_ids=_objective_ids(session, principal, data.objective_ids),
        created_at=utcnow())
    service.apply_marking(project, data, principal)
    session.add(project)
    session.flush()
    return project


def list_projects(session: Session, principal: Principal, *, year: int | None = None
                  ) -> list[DonorProject]:
    require(principal, "donor.read")
    query = scoped(select(DonorProject), DonorProject, principal)
    if year is not None:
        query = query.where(DonorProject.starts_on <= dt.date(year, 12, 31),
                            DonorProject.ends_on >= dt.date(year, 1, 1))
    return list(session.scalars(query.order_by(DonorProject.starts_on, DonorProject.code)))


def get_project(session: Session, principal: Principal, project_id: int) -> DonorProject:
    require(principal, "donor.read")
    found = session.scalar(scoped(select(DonorProject).where(DonorProject.id == project_id),
                                  DonorProject, principal))
    if found is None:
        raise NotFound(f"project {project_id} does not exist or is not shared with you")
    return found


def _facts(project: DonorProject) -> flags.ProjectFacts:
    return flags.ProjectFacts(project.id, project.code, project.starts_on, project.ends_on,
                              frozenset(project.objective_ids),
                              frozenset(project.beneficiary_agency_ids))


@dataclass
class Coordination:
    """What the donor coordination page and the reports show."""

    projects: list[DonorProject]
    overlaps: list[flags.Overlap]
    gap_objectives: list[Objective]
    gap_measures: list[Measure]
    open_tasks: dict[int, int]


def coordination(session: Session, principal: Principal, strategy_id: int, *,
                 on: dt.date | None = None) -> Coordination:
    """Overlaps between the projects the user may see, and the objectives and measures with
    open tasks that no current or future project and no training serves."""
    require(principal, "donor.read")
    strategy = service.get_strategy(session, principal, strategy_id)
    when = on or service.today()
    projects = list_projects(session, principal)
    found = flags.overlaps([_facts(p) for p in projects])
    measures = service.measures_of(session, strategy.id)
    open_tasks: dict[int, int] = {}
    for task in session.scalars(select(PlanTask).where(
            service.visible_tasks(principal), PlanTask.strategy_id == strategy.id,
            PlanTask.status.not_in(sorted(flags.CLOSED)))):
        open_tasks[task.measure_id] = open_tasks.get(task.measure_id, 0) + 1
    served = {o for p in projects if p.ends_on >= when for o in p.objective_ids}
    trained = {t.measure_id for t in capacity.list_trainings(session, principal)
               if t.measure_id is not None} if "training.read" in principal.permissions else set()
    result = flags.gaps([flags.MeasureFacts(m.id, m.objective_id, open_tasks.get(m.id, 0))
                         for m in measures], served_objectives=served, trained_measures=trained)
    objectives = {o.id: o for o in service.objectives_of(session, strategy.id)}
    by_id = {m.id: m for m in measures}
    return Coordination(projects=projects, overlaps=found,
                        gap_objectives=[objectives[i] for i in result.objectives],
                        gap_measures=[by_id[i] for i in result.measures],
                        open_tasks=open_tasks)
