"""/api/v1/analysis: geography, incidents, indicators, analytics, CIRAM, impact levels and
products."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from chegara.analysis import ciram, products, service
from chegara.analysis.schemas import (
    AssessmentIn,
    AssessmentOut,
    CrossingPointIn,
    CrossingPointOut,
    FirstReportIn,
    ImpactLevelChangeOut,
    ImpactLevelIn,
    IncidentIn,
    IncidentOut,
    ProductIn,
    ProductOut,
    SectionOut,
    SectionUpdateIn,
    StatisticsImportOut,
    TransitionIn,
)
from chegara.errors import BadInput
from chegara.http import Page, PageParams, page_params
from chegara.pdf import html_to_pdf
from chegara.security import audit
from chegara.security.deps import reading, requires, writing
from chegara.security.policy import Principal

router = APIRouter(prefix="/api/v1/analysis", tags=["analysis"])
Paging = Annotated[PageParams, Depends(page_params)]
MAX_STATISTICS_BYTES = 20 * 1024 * 1024


def _home(request: Request) -> Any:
    return request.app.state.settings.home


def ensure_geography(request: Request, principal: Principal) -> None:
    """A fresh installation has no sections yet: the first reader loads the shipped ones."""
    with reading(request) as session:
        if service.list_sections(session):
            return
    with writing(request, principal) as session:
        service.seed_geography(session)


def incident_out(incident: Any) -> IncidentOut:
    out = IncidentOut.model_validate(incident)
    out.overdue = service.is_overdue(incident)
    return out


# --- geography ----------------------------------------------------------------------------------

@router.get("/sections", response_model=list[SectionOut])
def sections(request: Request,
             principal: Annotated[Principal, Depends(requires("geography.read"))]
             ) -> list[SectionOut]:
    ensure_geography(request, principal)
    with reading(request) as session:
        return [SectionOut.model_validate(s) for s in service.list_sections(session)]


@router.patch("/sections/{code}", response_model=SectionOut)
def update_section(code: str, body: SectionUpdateIn, request: Request,
                   principal: Annotated[Principal, Depends(requires("geography.manage"))]
                   ) -> SectionOut:
    ensure_geography(request, principal)
    with writing(request, principal) as session:
        return SectionOut.model_validate(service.update_section(session, principal, code, body))


@router.get("/crossing-points", response_model=list[CrossingPointOut])
def crossing_points(request: Request,
                    principal: Annotated[Principal, Depends(requires("geography.read"))]
                    ) -> list[CrossingPointOut]:
    ensure_geography(request, principal)
    with reading(request) as session:
        return [CrossingPointOut.model_validate(p)
                for p in service.list_crossing_points(session)]


@router.put("/crossing-points", response_model=CrossingPointOut)
def save_crossing_point(body: CrossingPointIn, request: Request,
                        principal: Annotated[Principal, Depends(requires("geography.manage"))]
                        ) -> CrossingPointOut:
    ensure_geography(request, principal)
    with writing(request, principal) as session:
        return CrossingPointOut.model_validate(
            service.save_crossing_point(session, principal, body))


# --- incidents ----------------------------------------------------------------------------------

@router.post("/incidents", response_model=IncidentOut, status_code=201)
def report(body: IncidentIn, request: Request,
           principal: Annotated[Principal, Depends(requires("incident.create"))]
           ) -> IncidentOut:
    ensure_geography(request, principal)
    with writing(request, principal) as session:
        return incident_out(service.report_incident(session, principal, body))


@router.get("/incidents", response_model=Page[IncidentOut])
def incidents(request: Request, paging: Paging,
              principal: Annotated[Principal, Depends(requires("incident.read"))],
              status: Annotated[Literal["reported", "validated", "closed"] | None,
                                Query()] = None,
              section: Annotated[str | None, Query(max_length=64)] = None,
              incident_type: Annotated[str | None, Query(max_length=32)] = None,
              agency_id: Annotated[int | None, Query(ge=1)] = None,
              since: dt.datetime | None = None, until: dt.datetime | None = None,
              overdue: bool = False) -> Page[IncidentOut]:
    where = service.IncidentFilter(status=status, section=section, incident_type=incident_type,
                                   agency_id=agency_id, since=_aware(since),
                                   until=_aware(until), overdue=overdue)
    with writing(request, principal) as session:
        rows, total = service.list_incidents(session, principal, where, offset=paging.offset,
                                             limit=paging.limit)
        # Incidents name persons' nationalities and circumstances: one read event per page.
        audit.append(session, action="read", resource_type="incident",
                     resource_id=",".join(str(r.id) for r in rows)[:64] or "-",
                     note=f"incident list page ({len(rows)} incidents)")
        return Page[IncidentOut](items=[incident_out(r) for r in rows], total=total,
                                 offset=paging.offset, limit=paging.limit)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@router.get("/incidents/{incident_id}", response_model=IncidentOut)
def incident(incident_id: int, request: Request,
             principal: Annotated[Principal, Depends(requires("incident.read"))]
             ) -> IncidentOut:
    with writing(request, principal) as session:
        found = service.get_incident(session, principal, incident_id)
        audit.record_read(session, resource_type="incident", resource_id=found.id,
                          purpose="incident opened")
        return incident_out(found)


@router.post("/incidents/{incident_id}/first-report", response_model=IncidentOut)
def first_report(incident_id: int, body: FirstReportIn, request: Request,
                 principal: Annotated[Principal, Depends(requires("incident.create"))]
                 ) -> IncidentOut:
    with writing(request, principal) as session:
        return incident_out(service.file_first_report(session, principal, incident_id,
                                                      body.text))


@router.post("/incidents/{incident_id}/status", response_model=IncidentOut)
def move(incident_id: int, body: TransitionIn, request: Request,
         principal: Annotated[Principal, Depends(requires("incident.validate"))]
         ) -> IncidentOut:
    with writing(request, principal) as session:
        return incident_out(service.move_incident(session, principal, incident_id,
                                                  body.status))


# --- indicators and analytics -------------------------------------------------------------------

@router.get("/indicators")
def indicators(request: Request,
               principal: Annotated[Principal, Depends(requires("indicator.read"))],
               by: Literal["section", "crossing_point", "nationality", "agency"] = "section",
               agency_id: Annotated[int | None, Query(ge=1)] = None,
               since: dt.datetime | None = None, until: dt.datetime | None = None
               ) -> list[dict[str, Any]]:
    """Monthly indicator counts: period, <by>, indicator, count, source."""
    scope = service.Scope(principal, agency_id=agency_id, since=_aware(since),
                          until=_aware(until))
    with reading(request) as session:
        return service.indicator_table(session, scope, by=by).to_dicts()


@router.post("/statistics", response_model=StatisticsImportOut, status_code=201)
async def import_statistics(
        request: Request,
        principal: Annotated[Principal, Depends(requires("indicator.import"))],
        file: Annotated[UploadFile, File(description="COUNTS.csv")],
        distribution: Annotated[Literal["agency", "national"], Form()] = "national",
) -> StatisticsImportOut:
    """Import period,section,indicator,count rows: all or nothing; a bad line is named."""
    data = await file.read(MAX_STATISTICS_BYTES + 1)
    if len(data) > MAX_STATISTICS_BYTES:
        raise BadInput("the statistics file is over 20 MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadInput(f"the file is not UTF-8 text ({error.reason})") from None
    with writing(request, principal) as session:
        result = service.import_statistics(
            session, principal, io.StringIO(text, newline=""),
            source_name=file.filename or "statistics.csv", distribution=distribution)
    return StatisticsImportOut(**dataclasses.asdict(result))


@router.get("/analytics")
def analytics(request: Request,
              principal: Annotated[Principal, Depends(requires("indicator.read"))],
              indicator: Annotated[str, Query(max_length=64)] = "illegal_border_crossing",
              horizon: Annotated[int, Query(ge=1, le=24)] = 6,
              agency_id: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    """Trend, alarms and forecasts per section, hotspots and displacement, methods named."""
    with reading(request) as session:
        result = service.analytics(session, service.Scope(principal, agency_id=agency_id),
                                   indicator=indicator, horizon=horizon)
    return dataclasses.asdict(result)


# --- CIRAM and impact levels --------------------------------------------------------------------

@router.get("/ciram/config")
def ciram_config(request: Request,
                 principal: Annotated[Principal, Depends(requires("ciram.read"))]
                 ) -> dict[str, Any]:
    config = service.ciram_config(_home(request))
    return {"scale": list(config.scale), "threat_bands": list(config.threat_bands),
            "matrix": [list(r) for r in config.matrix],
            "vulnerability_items": list(config.vulnerability_items),
            "impact_dimensions": list(config.impact_dimensions),
            "reactions": dict(config.reactions), "impact_levels": list(ciram.IMPACT_LEVELS)}


@router.post("/assessments", response_model=AssessmentOut, status_code=201)
def assess(body: AssessmentIn, request: Request,
           principal: Annotated[Principal, Depends(requires("ciram.manage"))]
           ) -> AssessmentOut:
    with writing(request, principal) as session:
        assessment, _ = service.create_assessment(session, principal, body,
                                                  service.ciram_config(_home(request)))
        return AssessmentOut.model_validate(assessment)


@router.get("/assessments", response_model=list[AssessmentOut])
def assessments(request: Request,
                principal: Annotated[Principal, Depends(requires("ciram.read"))],
                section: Annotated[str | None, Query(max_length=64)] = None
                ) -> list[AssessmentOut]:
    with reading(request) as session:
        return [AssessmentOut.model_validate(a)
                for a in service.list_assessments(session, principal, section=section)]


@router.post("/sections/{code}/impact-level", response_model=ImpactLevelChangeOut,
             status_code=202)
def propose_level(code: str, body: ImpactLevelIn, request: Request,
                  principal: Annotated[Principal, Depends(requires("impact_level.propose"))]
                  ) -> ImpactLevelChangeOut:
    """Propose a section's impact level; a supervisor of your agency approves it."""
    with writing(request, principal) as session:
        return ImpactLevelChangeOut.model_validate(service.propose_impact_level(
            session, principal, code, level=body.level, reason=body.reason,
            assessment_id=body.assessment_id))


@router.get("/sections/{code}/impact-levels", response_model=list[ImpactLevelChangeOut])
def level_history(code: str, request: Request,
                  principal: Annotated[Principal, Depends(requires("geography.read"))]
                  ) -> list[ImpactLevelChangeOut]:
    with reading(request) as session:
        return [ImpactLevelChangeOut.model_validate(c)
                for c in service.impact_history(session, code)]


# --- products -----------------------------------------------------------------------------------

@router.post("/products", response_model=ProductOut, status_code=201)
def generate(body: ProductIn, request: Request,
             principal: Annotated[Principal, Depends(requires("product.generate"))]
             ) -> ProductOut:
    with writing(request, principal) as session:
        return ProductOut.model_validate(products.generate(
            session, principal, kind=body.kind, period=body.period, edition=body.edition,
            section=body.section, home=_home(request), language=body.language))


@router.get("/products", response_model=list[ProductOut])
def product_list(request: Request,
                 principal: Annotated[Principal, Depends(requires("product.read"))]
                 ) -> list[ProductOut]:
    with reading(request) as session:
        return [ProductOut.model_validate(p) for p in products.list_products(session, principal)]


@router.get("/products/{product_id}.html", response_class=HTMLResponse)
def product_html(product_id: int, request: Request,
                 principal: Annotated[Principal, Depends(requires("product.read"))]
                 ) -> HTMLResponse:
    with reading(request) as session:
        return HTMLResponse(products.get_product(session, principal, product_id).html)


@router.get("/products/{product_id}.pdf", response_class=Response)
def product_pdf(product_id: int, request: Request,
                principal: Annotated[Principal, Depends(requires("product.read"))]
                ) -> Response:
    with reading(request) as session:
        product = products.get_product(session, principal, product_id)
    return pdf_response(product.html, f"chegara-{product.kind}-{product.period}.pdf")


def pdf_response(html: str, filename: str) -> Response:
    return Response(html_to_pdf(html), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
