"""Jinja2 rendering with the user's language, the CSRF token and the navigation."""

from __future__ import annotations

import functools
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from chegara import __version__
from chegara.security.credentials import csrf_token_for
from chegara.security.deps import SESSION_COOKIE
from chegara.security.policy import Principal
from chegara.web.i18n import LANGUAGES, translator
from chegara.web.sentences import in_reader_language

# (path, label, permission or None, available). Capabilities still to come are listed so that
# officers see the shape of the system, greyed out and labelled as planned.
NAVIGATION: tuple[tuple[str, str, str | None, bool], ...] = (
    ("/", "Dashboard", None, True),
    ("/alerts", "Risk alerts", "alert.read", True),
    ("/screening", "Screening", "screening.run", True),
    ("/screening/hits", "Hit review", "hit.read", True),
    ("/watchlists", "Watchlists", "watchlist.read", True),
    ("/documents", "Document check", "document.check", True),
    ("/registry", "Document registry", "registry.read", True),
    ("/voyages", "Voyages", "voyage.read", True),
    ("/rules", "Traveller rules", "rule.read", True),
    ("/targeting", "Declarations", "declaration.read", True),
    ("/targeting/profiles", "Risk profiles", "profile.read", True),
    ("/targeting/dashboard", "Targeting dashboard", "model.read", True),
    ("/targeting/sps", "SPS check frequencies", "sps_category.read", True),
    ("/analysis", "Situational picture", "incident.read", True),
    ("/analysis/incidents", "Incidents", "incident.read", True),
    ("/analysis/indicators", "Indicators", "indicator.read", True),
    ("/analysis/analytics", "Analytics", "indicator.read", True),
    ("/analysis/ciram", "CIRAM and impact levels", "ciram.read", True),
    ("/analysis/products", "Bulletins and analyses", "product.read", True),
    ("/analysis/geography", "Border geography", "geography.read", True),
    ("/governance", "IBM action plan", "plan.read", True),
    ("/governance/plan", "Plan and tasks", "plan.read", True),
    ("/governance/meetings", "IBM commission", "plan.read", True),
    ("/governance/trainings", "Trainings", "training.read", True),
    ("/governance/equipment", "Equipment handovers", "training.read", True),
    ("/governance/donors", "Donor coordination", "donor.read", True),
    ("/governance/reports", "Governance reports", "governance.report", True),
    ("/approvals", "Approvals", "approval.read", True),
    ("/audit", "Audit trail", "audit.read", True),
    ("/admin/agencies", "Agencies", "agency.read", True),
    ("/admin/users", "Users", "user.read", True),
    ("/admin/sharing-groups", "Sharing groups", "sharing_group.manage", True),
    ("/account/tokens", "API tokens", "token.own", True),
)


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("chegara.web", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.globals["version"] = __version__
    env.globals["languages"] = LANGUAGES
    # The services' reasons and summaries, stored in English, shown in the page's language.
    env.filters["said"] = in_reader_language
    return env


def language_of(request: Request, principal: Principal | None) -> str:
    chosen = request.cookies.get("chegara_lang")
    if chosen in LANGUAGES:
        return chosen
    if principal is not None and principal.language in LANGUAGES:
        return principal.language
    settings = request.app.state.settings
    return str(settings.default_language)


def render(request: Request, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    principal: Principal | None = getattr(request.state, "principal", None)
    lang = language_of(request, principal)
    secret = request.cookies.get(SESSION_COOKIE, "")
    nav = [
        (path, label, available) for path, label, permission, available in NAVIGATION
        if principal is not None and (permission is None or permission in principal.permissions)
    ]
    html = environment().get_template(template).render(
        request=request, principal=principal, _=translator(lang), lang=lang,
        csrf_token=csrf_token_for(secret) if secret else "", nav=nav,
        current_path=request.url.path, active_path=_active_entry(request.url.path, nav),
        **context)
    return HTMLResponse(html, status_code=http_status)


def _active_entry(current: str, nav: list[tuple[str, str, bool]]) -> str:
    """The navigation entry of the page: the longest entry path the page's path starts with."""
    matching = [path for path, _label, _available in nav
                if current == path or (path != "/" and current.startswith(path + "/"))]
    return max(matching, key=len, default="")


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", http_status=status, status_code=status, message=message)
