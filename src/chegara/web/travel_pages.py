"""Travel pages: the document check at the counter, the document registry, voyages with their
pre-arrival lists, and the traveller rule editor."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from chegara.db.base import Distribution
from chegara.documents import service as documents
from chegara.documents.mrz import VisualZone
from chegara.errors import BadInput, ChegaraError
from chegara.passengers import rules as rule_engine
from chegara.passengers import service as voyages
from chegara.screening.service import IndexCache
from chegara.security.deps import reading, writing
from chegara.web.pages import _form_principal, _principal, _see_other
from chegara.web.render import render

router = APIRouter(include_in_schema=False)
RULE_ROWS = 8
SHARE_LEVELS = ("agency", "national", "partners")


def _text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


async def _upload_bytes(form: FormData, name: str, limit: int) -> tuple[bytes, str] | None:
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise BadInput(f"the file is larger than {limit // (1024 * 1024)} MiB")
    return data, upload.filename


def _date(text: str, name: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise BadInput(f"{name}: {text!r} is not a YYYY-MM-DD date") from exc


# --- document check ---------------------------------------------------------------------------

@router.get("/documents", response_class=HTMLResponse)
def document_form(request: Request) -> HTMLResponse:
    _principal(request, "document.check")
    return render(request, "travel/documents.html", result=None, printed={}, mrz="",
                  error=None)


@router.post("/documents", response_class=HTMLResponse)
async def document_check(request: Request) -> HTMLResponse:
    form, principal = await _form_principal(request, "document.check")
    printed = {k: _text(form, k) for k in ("surname", "given_names", "document_number",
                                           "birth_date", "expiry_date", "issue_date",
                                           "nationality", "sex")}
    mrz = _text(form, "mrz")
    try:
        uploaded = await _upload_bytes(form, "file", 64 * 1024)
        if uploaded is not None:
            mrz = uploaded[0].decode("utf-8", errors="replace").strip()
        if not mrz or len(mrz) > 300:
            raise BadInput("paste an MRZ (two or three lines, at most 300 characters) or "
                           "upload a text file holding it")
        viz = VisualZone(
            surname=printed["surname"] or None, given_names=printed["given_names"] or None,
            document_number=printed["document_number"] or None,
            birth_date=_date(printed["birth_date"], "birth_date"),
            expiry_date=_date(printed["expiry_date"], "expiry_date"),
            issue_date=_date(printed["issue_date"], "issue_date"),
            nationality=printed["nationality"][:3] or None, sex=printed["sex"][:1] or None)
        with writing(request, principal) as session:
            result = documents.check_document(session, principal, mrz,
                                              None if viz == VisualZone() else viz)
            registry = [(d.number, d.document_type, d.issuing_state, d.status, d.source,
                         d.reported_on) for d in result.registry]
    except ChegaraError as exc:
        return render(request, "travel/documents.html", http_status=exc.status, result=None,
                      printed=printed, mrz=mrz, error=exc.message)
    return render(request, "travel/documents.html", result=result, registry=registry,
                  printed=printed, mrz=mrz, error=None)


# --- registry ---------------------------------------------------------------------------------

@router.get("/registry", response_class=HTMLResponse)
def registry_page(request: Request, number: str = "", state: str = "",
                  message: str | None = None, error: str | None = None,
                  http_status: int = 200) -> HTMLResponse:
    principal = _principal(request, "registry.read")
    found = None
    try:
        with writing(request, principal) as session:
            counts = documents.registry_counts(session, principal)
            if number.strip():
                found = documents.lookup(session, principal, number[:64],
                                         issuing_state=state[:3] or None, purpose="web search")
    except ChegaraError as exc:
        error, http_status, found = exc.message, exc.status, None
        with reading(request) as session:
            counts = documents.registry_counts(session, principal)
    return render(request, "travel/registry.html", http_status=http_status, counts=counts,
                  number=number, state=state, found=found, message=message, error=error,
                  statuses=documents.STATUSES,
                  can_manage="registry.manage" in principal.permissions)


@router.post("/registry/import", response_class=HTMLResponse)
async def registry_import(request: Request) -> HTMLResponse:
    form, principal = await _form_principal(request, "registry.manage")
    try:
        uploaded = await _upload_bytes(form, "file", 20 * 1024 * 1024)
        if uploaded is None:
            raise BadInput("choose a registry CSV file to import")
        data, filename = uploaded
        level = _text(form, "distribution") or "national"
        if level not in SHARE_LEVELS:
            raise BadInput("distribution is agency, national or partners")
        rows = documents.parse_registry_csv(data)
        with writing(request, principal) as session:
            outcome = documents.import_registry(
                session, rows=rows, owner_agency_id=principal.agency_id, source_name=filename,
                source_sha256=hashlib.sha256(data).hexdigest(), requester=principal,
                distribution=Distribution(level))
    except ChegaraError as exc:
        return registry_page(request, error=exc.message, http_status=exc.status)
    return registry_page(request, message=outcome.summary())


# --- voyages ----------------------------------------------------------------------------------

@router.get("/voyages", response_class=HTMLResponse)
def voyages_page(request: Request, offset: int = 0, error: str | None = None,
                 http_status: int = 200) -> HTMLResponse:
    principal = _principal(request, "voyage.read")
    with reading(request) as session:
        rows, total, open_counts = voyages.list_voyages(session, principal,
                                                        offset=max(offset, 0), limit=50)
    now = dt.datetime.now(dt.UTC)
    minutes = {v.id: voyages.minutes_until(v.arrival, now) for v in rows}
    return render(request, "travel/voyages.html", http_status=http_status, voyages=rows,
                  total=total, open_counts=open_counts, minutes=minutes, error=error,
                  urgent_minutes=voyages.URGENT_MINUTES,
                  can_import="voyage.import" in principal.permissions)


@router.post("/voyages", response_model=None)
async def voyage_upload(request: Request) -> Response:
    form, principal = await _form_principal(request, "voyage.import")
    cache: IndexCache = request.app.state.index_cache
    try:
        uploaded = await _upload_bytes(form, "file", 10 * 1024 * 1024)
        if uploaded is None:
            raise BadInput("choose a manifest file (PAXLST, PNRGOV or CSV)")
        level = _text(form, "distribution") or "agency"
        if level not in SHARE_LEVELS:
            raise BadInput("distribution is agency, national or partners")
        with writing(request, principal) as session:
            outcome = voyages.load_voyage(session, cache, principal, uploaded[0],
                                          source_name=uploaded[1],
                                          distribution=Distribution(level))
            voyage_id = outcome.voyage.id
    except ChegaraError as exc:
        return voyages_page(request, error=exc.message, http_status=exc.status)
    return _see_other(f"/voyages/{voyage_id}")


@router.get("/voyages/{voyage_id}", response_class=HTMLResponse)
def voyage_page(voyage_id: int, request: Request, everyone: bool = False) -> HTMLResponse:
    principal = _principal(request, "voyage.read")
    with writing(request, principal) as session:
        listing = voyages.pre_arrival(session, principal, voyage_id, everyone=everyone)
    return render(request, "travel/voyage.html", listing=listing, voyage=listing.voyage,
                  everyone=everyone, severity_words=voyages.SEVERITY_WORDS,
                  can_review="voyage.review" in principal.permissions
                  and listing.voyage.owner_agency_id == principal.agency_id)


@router.post("/voyages/{voyage_id}/travellers/{traveller_id}/review")
async def traveller_review(voyage_id: int, traveller_id: int, request: Request
                           ) -> RedirectResponse:
    form, principal = await _form_principal(request, "voyage.review")
    with writing(request, principal) as session:
        voyages.review_traveller(session, principal, voyage_id, traveller_id,
                                 _text(form, "note"))
    return _see_other(f"/voyages/{voyage_id}")


# --- traveller rules --------------------------------------------------------------------------

@router.get("/rules", response_class=HTMLResponse)
def rules_page(request: Request) -> HTMLResponse:
    principal = _principal(request, "rule.read")
    with reading(request) as session:
        rows = voyages.list_rules(session, principal)
        pending = voyages.pending_rule_approvals(session, [r.id for r in rows])
    return render(request, "travel/rules.html", rules=rows, pending=pending,
                  severity_words=voyages.SEVERITY_WORDS,
                  can_manage="rule.manage" in principal.permissions)


def _rows_of(condition: dict[str, Any] | None) -> list[dict[str, str]]:
    """A flat rule as editor rows; a nested rule is edited as JSON."""
    rows: list[dict[str, str]] = []
    for clause in (condition or {}).get("conditions", []):
        if "attribute" not in clause:
            continue
        value = clause.get("value")
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        rows.append({"attribute": str(clause.get("attribute", "")),
                     "operator": str(clause.get("operator", "")),
                     "value": text.lower() if isinstance(value, bool) else text})
    return rows + [{"attribute": "", "operator": "", "value": ""}] * (RULE_ROWS - len(rows))


def _nested(condition: dict[str, Any] | None) -> bool:
    return any("attribute" not in c for c in (condition or {}).get("conditions", []))


def _editor(request: Request, *, rule: Any, fields: dict[str, Any], error: str | None,
            http_status: int = 200, pending: int | None = None) -> HTMLResponse:
    principal = _principal(request, "rule.read")
    nested = rule is not None and _nested(rule.condition)
    return render(request, "travel/rule.html", http_status=http_status, rule=rule,
                  fields=fields, error=error, pending=pending, nested=nested,
                  draft_text=condition_text(rule.condition) if nested else "",
                  active_text=condition_text(rule.active_condition) if rule else "",
                  attributes=rule_engine.ATTRIBUTES, operators=list(rule_engine.OPERATORS),
                  severity_words=voyages.SEVERITY_WORDS,
                  can_manage="rule.manage" in principal.permissions
                  and (rule is None or rule.owner_agency_id == principal.agency_id))


@router.get("/rules/new", response_class=HTMLResponse)
def rule_new(request: Request) -> HTMLResponse:
    _principal(request, "rule.manage")
    fields = {"name": "", "description": "", "severity": 2, "match": "all",
              "rows": _rows_of(None), "distribution": "agency"}
    return _editor(request, rule=None, fields=fields, error=None)


@router.get("/rules/{rule_id}", response_class=HTMLResponse)
def rule_page(rule_id: int, request: Request) -> HTMLResponse:
    principal = _principal(request, "rule.read")
    with reading(request) as session:
        rule = voyages.get_rule(session, principal, rule_id)
        pending = voyages.pending_rule_approvals(session, [rule.id]).get(rule.id)
    fields = {"name": rule.name, "description": rule.description, "severity": rule.severity,
              "match": rule.condition.get("match", "all"), "rows": _rows_of(rule.condition),
              "distribution": rule.distribution}
    return _editor(request, rule=rule, fields=fields, error=None, pending=pending)


def _condition_from(form: FormData) -> dict[str, Any]:
    clauses = []
    for i in range(RULE_ROWS):
        attribute = _text(form, f"attribute_{i}")
        if not attribute:
            continue
        operator = _text(form, f"operator_{i}")
        raw = _text(form, f"value_{i}")
        kind = rule_engine.ATTRIBUTES.get(attribute, ("text", ""))[0]
        value: Any = raw
        if operator in ("in", "not_in", "between"):
            value = [v.strip() for v in raw.split(",") if v.strip()]
        elif kind == "bool":
            value = raw.lower() in ("true", "yes", "1", "да")
        clauses.append({"attribute": attribute, "operator": operator, "value": value})
    return {"match": _text(form, "match") or "all", "conditions": clauses}


def _severity(form: FormData) -> int:
    text = _text(form, "severity")
    return int(text) if text in ("1", "2", "3") else 0


@router.post("/rules", response_model=None)
async def rule_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "rule.manage")
    condition = _condition_from(form)
    level = _text(form, "distribution") or "agency"
    fields = {"name": _text(form, "name"), "description": _text(form, "description"),
              "severity": _severity(form), "match": condition["match"],
              "rows": _rows_of(condition), "distribution": level}
    try:
        if len(fields["name"]) < 3:
            raise BadInput("give the rule a name of at least 3 characters")
        if level not in SHARE_LEVELS:
            raise BadInput("distribution is agency, national or partners")
        with writing(request, principal) as session:
            rule = voyages.create_rule(session, principal, name=fields["name"],
                                       description=fields["description"],
                                       severity=fields["severity"], condition=condition,
                                       distribution=Distribution(level))
            rule_id = rule.id
    except ChegaraError as exc:
        return _editor(request, rule=None, fields=fields, error=exc.message,
                       http_status=exc.status)
    return _see_other(f"/rules/{rule_id}")


@router.post("/rules/{rule_id}", response_model=None)
async def rule_update(rule_id: int, request: Request) -> Response:
    form, principal = await _form_principal(request, "rule.manage")
    condition = _condition_from(form)
    fields = {"name": _text(form, "name"), "description": _text(form, "description"),
              "severity": _severity(form), "match": condition["match"],
              "rows": _rows_of(condition), "distribution": ""}
    try:
        if len(fields["name"]) < 3:
            raise BadInput("give the rule a name of at least 3 characters")
        with reading(request) as session:
            if _nested(voyages.get_rule(session, principal, rule_id).condition):
                raise BadInput("this rule has nested groups: edit it through the API")
        with writing(request, principal) as session:
            voyages.update_rule(session, principal, rule_id, name=fields["name"],
                                description=fields["description"],
                                severity=fields["severity"], condition=condition)
    except ChegaraError as exc:
        with reading(request) as session:
            rule = voyages.get_rule(session, principal, rule_id)
        fields["distribution"] = rule.distribution
        return _editor(request, rule=rule, fields=fields, error=exc.message,
                       http_status=exc.status)
    return _see_other(f"/rules/{rule_id}")


@router.post("/rules/{rule_id}/activate")
async def rule_activate(rule_id: int, request: Request) -> RedirectResponse:
    _form, principal = await _form_principal(request, "rule.manage")
    with writing(request, principal) as session:
        voyages.request_activation(session, principal, rule_id)
    return _see_other(f"/rules/{rule_id}")


@router.post("/rules/{rule_id}/retire")
async def rule_retire(rule_id: int, request: Request) -> RedirectResponse:
    _form, principal = await _form_principal(request, "rule.manage")
    with writing(request, principal) as session:
        voyages.retire_rule(session, principal, rule_id)
    return _see_other(f"/rules/{rule_id}")


def condition_text(condition: dict[str, Any] | None) -> str:
    """A rule as indented JSON, for the page that shows what is active."""
    return json.dumps(condition, ensure_ascii=False, indent=2) if condition else ""
