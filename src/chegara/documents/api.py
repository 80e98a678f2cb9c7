"""/api/v1/documents/check and /api/v1/registry: the counter check and the lost / stolen
document register."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from chegara.db.base import Distribution, Tlp
from chegara.documents import service
from chegara.documents.mrz import MrzIssue, VisualZone
from chegara.documents.schemas import (
    DocumentCheckIn,
    DocumentCheckOut,
    IssueOut,
    LookupOut,
    RegistryDocumentOut,
    RegistryImportOut,
)
from chegara.errors import BadInput
from chegara.security.deps import requires, writing
from chegara.security.policy import Principal

router = APIRouter(prefix="/api/v1", tags=["documents"])
MAX_REGISTRY_BYTES = 20 * 1024 * 1024


def issue_out(issue: MrzIssue) -> IssueOut:
    return IssueOut(field=issue.field, code=issue.code, message=str(issue),
                    suggestions=list(issue.suggestions))


def check_out(result: service.DocumentCheck) -> DocumentCheckOut:
    mrz = result.mrz
    return DocumentCheckOut(
        valid=mrz.valid, format=mrz.format, fields=mrz.fields(), optional_data=mrz.optional_data,
        errors=[issue_out(i) for i in mrz.errors], warnings=[issue_out(i) for i in mrz.warnings],
        visual_zone=[issue_out(i) for i in result.visual_zone], expired=result.expired,
        days_to_expiry=result.days_to_expiry, registry_checked=result.registry_checked,
        registry=[RegistryDocumentOut.model_validate(d) for d in result.registry])


def visual_zone_of(body: DocumentCheckIn) -> VisualZone | None:
    printed = VisualZone(surname=body.surname or None, given_names=body.given_names or None,
                         document_number=body.document_number or None,
                         birth_date=body.birth_date, expiry_date=body.expiry_date,
                         issue_date=body.issue_date, nationality=body.nationality or None,
                         sex=body.sex)
    return None if printed == VisualZone() else printed


@router.post("/documents/check", response_model=DocumentCheckOut)
def check_document(body: DocumentCheckIn, request: Request,
                   principal: Annotated[Principal, Depends(requires("document.check"))]
                   ) -> DocumentCheckOut:
    """Check an MRZ (ICAO Doc 9303), compare it with the printed zone when given, and look the
    document up in the registry (the lookup is audited)."""
    with writing(request, principal) as session:
        return check_out(service.check_document(session, principal, body.mrz,
                                                visual_zone_of(body)))


@router.get("/registry/lookup", response_model=LookupOut)
def lookup(request: Request,
           principal: Annotated[Principal, Depends(requires("registry.read"))],
           number: Annotated[str, Query(min_length=1, max_length=64)],
           state: Annotated[str | None, Query(min_length=1, max_length=3)] = None,
           document_type: Annotated[str | None, Query(alias="type", min_length=1,
                                                      max_length=2)] = None,
           ) -> LookupOut:
    """Reports on one document number (normalised: upper case, no blanks, dashes or fillers)."""
    with writing(request, principal) as session:
        found = service.lookup(session, principal, number, issuing_state=state,
                               document_type=document_type, purpose="api lookup")
        return LookupOut(number=service.normalise_number(number),
                         matches=[RegistryDocumentOut.model_validate(d) for d in found])


@router.post("/registry/imports", response_model=RegistryImportOut, status_code=201)
async def import_registry(
    request: Request, principal: Annotated[Principal, Depends(requires("registry.manage"))],
    file: Annotated[UploadFile, File(description="CSV: document_number,document_type,"
                                                 "issuing_state,status,reported_on,source")],
    distribution: Annotated[Distribution, Form()] = Distribution.NATIONAL,
    tlp: Annotated[Tlp, Form()] = Tlp.AMBER,
) -> RegistryImportOut:
    """Import a registry CSV; a bad row rejects the whole file, naming its line."""
    data = await file.read(MAX_REGISTRY_BYTES + 1)
    if len(data) > MAX_REGISTRY_BYTES:
        raise BadInput("the registry file is larger than 20 MiB")
    if distribution == Distribution.SHARING_GROUP:
        raise BadInput("import registry files with agency, national or partners distribution",
                       details=[{"field": "distribution"}])
    rows = service.parse_registry_csv(data)
    with writing(request, principal) as session:
        outcome = service.import_registry(
            session, rows=rows, owner_agency_id=principal.agency_id,
            source_name=file.filename or "registry.csv",
            source_sha256=hashlib.sha256(data).hexdigest(), requester=principal,
            distribution=distribution, tlp=tlp)
    return RegistryImportOut(import_id=outcome.import_id, rows=outcome.rows,
                             added=outcome.added, updated=outcome.updated,
                             unchanged=outcome.unchanged)
