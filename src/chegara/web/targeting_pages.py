"""Targeting pages: the declaration queue, the declaration with its decision and result form,
the joint decision, the profile editor, and the profile and model dashboard with charts.

Charts are drawn on the server as SVG with matplotlib's Agg backend (no JavaScript library, no
internet); text is drawn as paths, so analyst-written profile codes cannot inject markup.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from chegara.db.base import Distribution, Tlp
from chegara.errors import BadInput
from chegara.security.deps import reading, writing
from chegara.security.policy import Principal
from chegara.targeting import service, sps_service
from chegara.targeting.fields import ALL_FIELDS, FieldSpec
from chegara.web.i18n import translator
from chegara.web.pages import _form_principal, _principal, _see_other
from chegara.web.render import language_of, render

router = APIRouter(include_in_schema=False)
QUEUE_CHANNELS = ("", "red", "yellow", "blue", "green", "undecided")
PAGE = 50
# Bounded so an out-of-range id is refused, not a database overflow.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/targeting", response_class=HTMLResponse)
def queue(request: Request, channel: str = "", office: str = "", day: str = "",
          kind: str = "", offset: int = 0) -> HTMLResponse:
    principal = _principal(request, "declaration.read")
    channel = channel if channel in QUEUE_CHANNELS else ""
    offset = min(max(offset, 0), 10_000_000)
    kind = kind if kind in service.KINDS else ""
    try:
        chosen_day = dt.date.fromisoformat(day) if day else None
    except ValueError:
        chosen_day, day = None, ""
    with reading(request) as session:
        rows, total = service.declaration_queue(
            session, principal, channel=channel or None, office=office[:64] or None,
            day=chosen_day, kind=kind or None, offset=offset, limit=PAGE)
        checks = sps_service.checks_of(session, [x for _, x in rows])
    return render(request, "targeting/queue.html", rows=rows, total=total, channel=channel,
                  sps_checks={i: sps_service.checks_text(c) for i, c in checks.items()},
                  office=office, day=day, kind=kind, offset=offset, page=PAGE,
                  channels=QUEUE_CHANNELS,
                  can_run="decision.run" in principal.permissions)


@router.post("/targeting/run")
async def run(request: Request) -> RedirectResponse:
    form, principal = await _form_principal(request, "decision.run")
    rates = service.SelectionRates(random_percent=_number(form, "random_percent", 1.0, 100))
    with writing(request, principal) as session:
        service.run_selection(session, principal, owner_agency_id=principal.agency_id,
                              rates=rates)
    return _see_other("/targeting")


def _number(form: FormData, name: str, default: float, high: float) -> float:
    text = str(form.get(name, "")).strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError as exc:
        raise BadInput(f"{name} must be a number") from exc
    if not 0 <= value <= high:
        raise BadInput(f"{name} must be within 0-{high:g}")
    return value


@router.get("/targeting/declarations/{declaration_pk}", response_class=HTMLResponse)
def declaration_page(declaration_pk: RowId, request: Request) -> HTMLResponse:
    principal = _principal(request, "declaration.read")
    with reading(request) as session:
        found = service.get_declaration(session, principal, declaration_pk)
        decision = service.decision_of(session, found.id)
        result = service.result_of(session, decision.id) if decision else None
        check = sps_service.check_of(session, decision)
    own = found.owner_agency_id == principal.agency_id
    return render(request, "targeting/declaration.html", d=found, decision=decision,
                  fields=labelled_fields(found.fields),
                  result=result, channels=service.CHANNELS, check=check,
                  can_record=own and "inspection.record" in principal.permissions,
                  can_override=own and "decision.override" in principal.permissions)


# The order of the declaration form, in which the page lists the fields; their labels live
# with the canonical fields (targeting/fields.py). A field missing here still shows, after
# these, in the canonical order.
FORM_ORDER: tuple[str, ...] = (
    "declaration_id", "date", "office", "process_type", "import_type", "import_use",
    "payment_type", "transport_mode", "declarant_id", "importer_id", "seller_id", "courier_id",
    "hs_code", "description", "departure_country", "origin_country", "origin_indicator",
    "tax_type", "tax_rate", "net_mass_kg", "quantity", "items", "value", "currency",
    "commodity_category", "species_or_product", "establishment", "certificate_number",
)


def _form_position(spec: FieldSpec) -> int:
    return FORM_ORDER.index(spec.name) if spec.name in FORM_ORDER else len(FORM_ORDER)


# What an officer calls each canonical field, in the order of the declaration form; the page
# shows these (translated), never the import codes.
FIELD_LABELS: tuple[tuple[str, str], ...] = tuple(
    (spec.name, spec.label) for spec in sorted(ALL_FIELDS, key=_form_position))


def labelled_fields(fields: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) of the fields a declaration has, in form order; a field without a label
    yet keeps its code rather than vanishing from the page."""
    labelled = [(label, fields[name]) for name, label in FIELD_LABELS if name in fields]
    known = {name for name, _label in FIELD_LABELS}
    return labelled + [(name, fields[name]) for name in sorted(fields) if name not in known]


@router.post("/targeting/decisions/{decision_id}/result")
async def record_result(decision_id: RowId, request: Request) -> RedirectResponse:
    form, principal = await _form_principal(request, "inspection.record")
    with writing(request, principal) as session:
        result = service.record_result(
            session, principal, decision_id, found=str(form.get("found", "")) == "yes",
            offence_type=str(form.get("offence_type", ""))[:64],
            revenue_recovered=_number(form, "revenue_recovered", 0.0, 1e12),
            notes=str(form.get("notes", ""))[:4000])
        declaration_pk = service.get_decision(session, principal, result.decision_id
                                              ).declaration_pk
    return _see_other(f"/targeting/declarations/{declaration_pk}")


@router.post("/targeting/decisions/{decision_id}/override")
async def override(decision_id: RowId, request: Request) -> RedirectResponse:
    form, principal = await _form_principal(request, "decision.override")
    with writing(request, principal) as session:
        decision, _ = service.request_override(
            session, principal, decision_id, channel=str(form.get("channel", "")),
            reason=str(form.get("reason", ""))[:2000])
        declaration_pk = decision.declaration_pk
    return _see_other(f"/targeting/declarations/{declaration_pk}")


@router.get("/targeting/joint", response_class=HTMLResponse)
def joint_page(request: Request, ref: str = "") -> HTMLResponse:
    principal = _principal(request, "declaration.read")
    with reading(request) as session:
        joint = service.joint_decision(session, principal, ref[:64])
    return render(request, "targeting/joint.html", joint=joint,
                  can_schedule="inspection.record" in principal.permissions)


@router.post("/targeting/joint/appointment")
async def joint_appointment(request: Request) -> RedirectResponse:
    form, principal = await _form_principal(request, "inspection.record")
    ref = str(form.get("ref", ""))[:64]
    try:
        when = dt.datetime.fromisoformat(str(form.get("scheduled_for", "")))
    except ValueError as exc:
        raise BadInput("give the appointment as date and time") from exc
    if when.tzinfo is None:
        # The form's local time is the crossing's: Kyrgyzstan is UTC+6 all year.
        when = when.replace(tzinfo=dt.timezone(dt.timedelta(hours=6)))
    with writing(request, principal) as session:
        service.schedule_joint_inspection(session, principal, ref, scheduled_for=when,
                                          place=str(form.get("place", ""))[:200])
    return _see_other(f"/targeting/joint?ref={ref}")


# --- profiles ---------------------------------------------------------------------------------

@router.get("/targeting/profiles", response_class=HTMLResponse)
def profiles_page(request: Request) -> HTMLResponse:
    principal = _principal(request, "profile.read")
    with reading(request) as session:
        profiles = service.list_profiles(session, principal)
        watchlists = service.visible_watchlists(session, principal)
    return render(request, "targeting/profiles.html", profiles=profiles, watchlists=watchlists,
                  can_manage="profile.manage" in principal.permissions, profile=None,
                  form=None, error=None, channels=service.CHANNELS,
                  levels=[d.value for d in Distribution])


def _form_day(form: FormData, name: str) -> dt.date | None:
    text = str(form.get(name, "")).strip()
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise BadInput(f"{name} must be a date YYYY-MM-DD") from exc


def _form_level(form: FormData) -> Distribution:
    try:
        return Distribution(str(form.get("distribution", "agency")))
    except ValueError as exc:
        raise BadInput("choose a distribution level") from exc


def _draft_from(form: FormData) -> service.ProfileDraft:
    try:
        criteria = json.loads(str(form.get("criteria", "")))
    except json.JSONDecodeError as exc:
        raise BadInput(f"criteria: not valid JSON: {exc.msg} (line {exc.lineno})") from exc
    if not isinstance(criteria, dict):
        raise BadInput("criteria must be a JSON object such as {\"hs\": [\"2402\"]}")

    channel = str(form.get("channel", ""))
    if channel not in service.CHANNELS:
        raise BadInput("choose a channel")
    level = _form_level(form)
    code, name = str(form.get("code", "")).strip(), str(form.get("name", "")).strip()
    if not code or not name or len(code) > 64 or len(name) > 200:
        raise BadInput("a profile needs a code (up to 64 characters) and a name")
    return service.ProfileDraft(
        code=code, name=name, criteria=criteria, channel=channel,
        selection_percent=_number(form, "selection_percent", 100.0, 100),
        instructions=str(form.get("instructions", ""))[:2000],
        valid_from=_form_day(form, "valid_from"), valid_to=_form_day(form, "valid_to"),
        distribution=level, tlp=Tlp.AMBER)


@router.post("/targeting/profiles", response_class=HTMLResponse, response_model=None)
async def create_profile(request: Request) -> HTMLResponse | RedirectResponse:
    form, principal = await _form_principal(request, "profile.manage")
    try:
        draft = _draft_from(form)
        with writing(request, principal) as session:
            profile = service.create_profile(session, principal, draft)
            profile_id = profile.id
    except BadInput as exc:
        with reading(request) as session:
            profiles = service.list_profiles(session, principal)
            watchlists = service.visible_watchlists(session, principal)
        return render(request, "targeting/profiles.html", http_status=422, profiles=profiles,
                      watchlists=watchlists, can_manage=True, profile=None, form=dict(form),
                      error=exc.message, channels=service.CHANNELS,
                      levels=[d.value for d in Distribution])
    return _see_other(f"/targeting/profiles/{profile_id}")


@router.get("/targeting/profiles/{profile_id}", response_class=HTMLResponse)
def profile_page(profile_id: RowId, request: Request) -> HTMLResponse:
    principal = _principal(request, "profile.read")
    with reading(request) as session:
        profile = service.get_profile(session, principal, profile_id)
        effect = service.profile_effectiveness(session, principal, profile)
    gettext = translator(language_of(request, principal))
    chart = weekly_chart({f"profile {profile.code}": effect.weekly},
                         gettext) if effect.weekly else ""
    return render(request, "targeting/profile.html", profile=profile, error=None,
                  effect=effect, chart=chart,
                  criteria=json.dumps(profile.criteria, indent=2, ensure_ascii=False),
                  can_manage="profile.manage" in principal.permissions
                  and profile.owner_agency_id == principal.agency_id,
                  channels=service.CHANNELS, levels=[d.value for d in Distribution])


@router.post("/targeting/profiles/{profile_id}", response_class=HTMLResponse,
             response_model=None)
async def update_profile(profile_id: RowId, request: Request) -> HTMLResponse | RedirectResponse:
    form, principal = await _form_principal(request, "profile.manage")
    try:
        draft = _draft_from(form)
        with writing(request, principal) as session:
            service.update_profile(session, principal, profile_id, draft)
    except BadInput as exc:
        with reading(request) as session:
            profile = service.get_profile(session, principal, profile_id)
        return render(request, "targeting/profile.html", http_status=422, profile=profile,
                      effect=None, chart="", error=exc.message,
                      criteria=str(form.get("criteria", "")),
                      can_manage=True, channels=service.CHANNELS,
                      levels=[d.value for d in Distribution])
    return _see_other(f"/targeting/profiles/{profile_id}")


@router.post("/targeting/profiles/{profile_id}/activate")
async def activate_profile(profile_id: RowId, request: Request) -> RedirectResponse:
    _, principal = await _form_principal(request, "profile.manage")
    with writing(request, principal) as session:
        service.request_profile_activation(session, principal, profile_id)
    return _see_other(f"/targeting/profiles/{profile_id}")


@router.post("/targeting/profiles/{profile_id}/retire")
async def retire_profile(profile_id: RowId, request: Request) -> RedirectResponse:
    _, principal = await _form_principal(request, "profile.manage")
    with writing(request, principal) as session:
        service.retire_profile(session, principal, profile_id)
    return _see_other(f"/targeting/profiles/{profile_id}")


# --- SPS check frequencies -------------------------------------------------------------------

def _sps_list(request: Request, principal: Principal, *, form: dict[str, Any] | None = None,
              error: str | None = None, status: int = 200) -> HTMLResponse:
    with reading(request) as session:
        categories = sps_service.list_categories(session, principal)
    return render(request, "targeting/sps_categories.html", http_status=status,
                  categories=categories, rules=sps_service.RULES, form=form, error=error,
                  can_manage="sps_category.manage" in principal.permissions,
                  levels=[d.value for d in Distribution])


@router.get("/targeting/sps", response_class=HTMLResponse)
def sps_page(request: Request) -> HTMLResponse:
    return _sps_list(request, _principal(request, "sps_category.read"))


def _category_from(form: FormData) -> sps_service.CategoryDraft:
    level = _form_level(form)
    prefixes = tuple(p for p in str(form.get("hs_prefixes", "")).replace(",", " ").split() if p)
    return sps_service.CategoryDraft(
        code=str(form.get("code", ""))[:64], name=str(form.get("name", ""))[:200],
        commodity_category=str(form.get("commodity_category", ""))[:64],
        hs_prefixes=prefixes[:50], product_pattern=str(form.get("product_pattern", ""))[:100],
        origin_country=str(form.get("origin_country", ""))[:2],
        valid_from=_form_day(form, "valid_from"), valid_to=_form_day(form, "valid_to"),
        identity_percent=_number(form, "identity_percent", 100.0, 100),
        physical_percent=_number(form, "physical_percent", 100.0, 100),
        laboratory_percent=_number(form, "laboratory_percent", 0.0, 100),
        distribution=level)


@router.post("/targeting/sps", response_class=HTMLResponse, response_model=None)
async def create_sps_category(request: Request) -> HTMLResponse | RedirectResponse:
    form, principal = await _form_principal(request, "sps_category.manage")
    try:
        draft = _category_from(form)
        with writing(request, principal) as session:
            category_id = sps_service.create_category(session, principal, draft).id
    except BadInput as exc:
        return _sps_list(request, principal, form=dict(form), error=exc.message, status=422)
    return _see_other(f"/targeting/sps/{category_id}")


def _sps_category(request: Request, principal: Principal, category_id: int, *,
                  error: str | None = None, status: int = 200) -> HTMLResponse:
    with reading(request) as session:
        category = sps_service.get_category(session, principal, category_id)
    return render(request, "targeting/sps_category.html", http_status=status,
                  category=category, error=error, levels=[d.value for d in Distribution],
                  can_manage="sps_category.manage" in principal.permissions
                  and category.owner_agency_id == principal.agency_id)


@router.get("/targeting/sps/{category_id}", response_class=HTMLResponse)
def sps_category_page(category_id: RowId, request: Request) -> HTMLResponse:
    return _sps_category(request, _principal(request, "sps_category.read"), category_id)


@router.post("/targeting/sps/{category_id}", response_class=HTMLResponse,
             response_model=None)
async def update_sps_category(category_id: RowId, request: Request
                              ) -> HTMLResponse | RedirectResponse:
    form, principal = await _form_principal(request, "sps_category.manage")
    try:
        draft = _category_from(form)
        with writing(request, principal) as session:
            sps_service.update_category(session, principal, category_id, draft)
    except BadInput as exc:
        return _sps_category(request, principal, category_id, error=exc.message, status=422)
    return _see_other(f"/targeting/sps/{category_id}")


@router.post("/targeting/sps/{category_id}/activate")
async def activate_sps_category(category_id: RowId, request: Request) -> RedirectResponse:
    _, principal = await _form_principal(request, "sps_category.manage")
    with writing(request, principal) as session:
        sps_service.request_activation(session, principal, category_id)
    return _see_other(f"/targeting/sps/{category_id}")


@router.post("/targeting/sps/{category_id}/retire")
async def retire_sps_category(category_id: RowId, request: Request) -> RedirectResponse:
    _, principal = await _form_principal(request, "sps_category.manage")
    with writing(request, principal) as session:
        sps_service.request_retirement(session, principal, category_id)
    return _see_other(f"/targeting/sps/{category_id}")


# --- dashboard and model registry -------------------------------------------------------------

@router.get("/targeting/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request) -> HTMLResponse:
    principal = _principal(request, "model.read")
    with reading(request) as session:
        board = service.dashboard(session, principal)
        models = service.list_models(session, principal)
    gettext = translator(language_of(request, principal))

    def selector(name: str) -> str:
        return selector_words(name, gettext)

    return render(request, "targeting/dashboard.html", board=board, models=models,
                  selector=selector, rate_chart=rate_chart(board.rates, gettext),
                  weekly_chart=weekly_chart(board.weekly, gettext),
                  can_manage="model.manage" in principal.permissions)


# The service names what selected a declaration in English words ("profile CIG", "model
# 20261101T…", "random sample"); the dashboard translates the words and keeps the codes.
SELECTOR_WORDS = ("profile", "model", "random sample", "SPS check frequency", "officer override")
RATE_AXIS = "hit rate (found / inspected), 95% interval"
WEEKLY_AXIS = "hit rate"


def selector_words(name: str, gettext: Callable[[str], str]) -> str:
    kind, _space, code = name.partition(" ")
    if kind in ("profile", "model") and code:
        return f"{gettext(kind)} {code}"
    return gettext(name)


@router.post("/targeting/models/train")
async def train_model(request: Request) -> RedirectResponse:
    _, principal = await _form_principal(request, "model.manage")
    with writing(request, principal) as session:
        service.train_from_results(session, principal, owner_agency_id=principal.agency_id,
                                   home=request.app.state.settings.home,
                                   created_by=principal.username)
    return _see_other("/targeting/dashboard")


@router.post("/targeting/models/{model_id}/activate")
async def activate_model(model_id: RowId, request: Request) -> RedirectResponse:
    _, principal = await _form_principal(request, "model.manage")
    with writing(request, principal) as session:
        service.request_model_activation(session, principal, model_id)
    return _see_other("/targeting/dashboard")


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    # Only the <svg> element: the XML prologue and DOCTYPE do not belong inside HTML.
    return text[text.index("<svg"):]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "path"
    import matplotlib.pyplot as plt

    return plt


def rate_chart(rates: list[service.SelectorRate], gettext: Callable[[str], str]) -> str:
    """Hit rate per profile / model / random sample with its 95 % interval."""
    if not rates:
        return ""
    plt = _pyplot()
    shown = rates[:12]
    figure, axes = plt.subplots(figsize=(7, 0.45 * len(shown) + 1))
    try:
        y = list(range(len(shown)))[::-1]
        axes.barh(y, [r.hit_rate for r in shown], color="#1f5f99",
                  xerr=[[r.hit_rate - r.low for r in shown], [r.high - r.hit_rate for r in shown]],
                  error_kw={"ecolor": "#888", "capsize": 3})
        axes.set_yticks(y, [f"{selector_words(r.selector, gettext)} (n={r.inspected})"
                            for r in shown], fontsize=8)
        axes.set_xlim(0, 1)
        axes.set_xlabel(gettext(RATE_AXIS))
        axes.spines[["top", "right"]].set_visible(False)
        return _svg(figure)
    finally:
        plt.close(figure)


def weekly_chart(weekly: dict[str, list[tuple[str, float, int]]],
                 gettext: Callable[[str], str]) -> str:
    """Hit rate by week for the most inspected selectors."""
    if not weekly:
        return ""
    plt = _pyplot()
    busiest = sorted(weekly, key=lambda k: -sum(n for _, _, n in weekly[k]))[:6]
    weeks = sorted({w for k in busiest for w, _, _ in weekly[k]})
    figure, axes = plt.subplots(figsize=(7, 3))
    try:
        for selector in busiest:
            points = {w: rate for w, rate, _ in weekly[selector]}
            xs = [i for i, w in enumerate(weeks) if w in points]
            axes.plot(xs, [points[weeks[i]] for i in xs], marker="o",
                      label=selector_words(selector, gettext))
        axes.set_xticks(range(len(weeks)), weeks, fontsize=8)
        axes.set_ylim(0, 1)
        axes.set_ylabel(gettext(WEEKLY_AXIS))
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
        axes.spines[["top", "right"]].set_visible(False)
        return _svg(figure)
    finally:
        plt.close(figure)
