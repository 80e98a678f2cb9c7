"""Every string the web interface shows through ``_()`` has a Russian translation.

The msgids are collected from where they live, never copied here: literal ``_("...")`` calls in
the templates, the lists a template loops over and translates, and the labels the code passes
through ``_()`` at run time (navigation, alert categories, distribution levels, roles, approval
kinds, agency kinds of the demo data, sign-in errors).
"""

from __future__ import annotations

import ast
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from chegara.analysis import charts, ciram
from chegara.db.base import Distribution
from chegara.db.session import Database
from chegara.exchange import service as alert_service
from chegara.exchange.schemas import ALERT_CATEGORIES
from chegara.passengers import rules as rule_engine
from chegara.security import approvals
from chegara.security.models import Agency, Approval
from chegara.security.policy import Role
from chegara.web import pages, targeting_pages
from chegara.web.i18n import catalogue
from chegara.web.render import NAVIGATION

WEB = Path(str(resources.files("chegara.web")))
TEMPLATES = WEB / "templates"
DOUBLE_QUOTED = re.compile(r'_\(\s*"((?:[^"\\]|\\.)*)"\s*\)')
SINGLE_QUOTED = re.compile(r"_\(\s*'((?:[^'\\]|\\.)*)'\s*\)")
LOOP_OVER_LIST = re.compile(r"{%-?\s*for\s+(\w+)\s+in\s+\[(.*?)\]\s*-?%}", re.DOTALL)
QUOTED = re.compile(r"""["']([^"']*)["']""")


def _templates() -> list[Path]:
    found = sorted(TEMPLATES.rglob("*.html"))
    assert found, f"no templates under {TEMPLATES}"
    return found


def template_msgids(text: str) -> set[str]:
    """Literal msgids plus the items of ``{% for x in [...] %}`` lists whose ``x`` is
    translated, such as the distribution levels offered in a form."""
    found = set(DOUBLE_QUOTED.findall(text)) | set(SINGLE_QUOTED.findall(text))
    for variable, items in LOOP_OVER_LIST.findall(text):
        if re.search(r"_\(\s*" + variable + r"\s*\)", text):
            found |= set(QUOTED.findall(items))
    return found


def login_messages() -> set[str]:
    """The strings ``pages.login`` assigns to ``message``: the login template translates them."""
    tree = ast.parse(Path(pages.__file__).read_text(encoding="utf-8"))
    login = next(node for node in ast.walk(tree)
                 if isinstance(node, ast.AsyncFunctionDef) and node.name == "login")
    return {node.value.value for node in ast.walk(login)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and any(isinstance(t, ast.Name) and t.id == "message" for t in node.targets)}


def dynamic_msgids() -> dict[str, set[str]]:
    return {
        "navigation": {label for _path, label, _permission, _available in NAVIGATION},
        "alert categories": set(ALERT_CATEGORIES),
        "distribution levels": {level.value for level in Distribution},
        "roles": {role.value for role in Role},
        "sign-in errors": login_messages(),
        # The traveller rule editor shows the engine's attribute descriptions, kinds and
        # operators (underscores read as spaces).
        "traveller rule attributes": {text for _kind, text in rule_engine.ATTRIBUTES.values()},
        "traveller rule vocabulary": {word.replace("_", " ") for word in (
            *rule_engine.OPERATORS, *(kind for kind, _text in rule_engine.ATTRIBUTES.values()))},
        # The default reaction to each impact level (a ciram.json may replace them).
        "impact level reactions": set(ciram.REACTIONS.values()),
        "targeting dashboard": {*targeting_pages.SELECTOR_WORDS, targeting_pages.RATE_AXIS,
                                targeting_pages.WEEKLY_AXIS},
        "declaration fields": {label for _name, label in targeting_pages.FIELD_LABELS},
        # The situational picture's map: north arrow, scale bar and point symbols.
        "map words": set(charts.MAP_WORDS),
    }


def test_the_extractor_finds_what_it_should() -> None:
    sample = ('{{ _("Sign in") }} {{ _(\'Reason\') }} {% for d in ["agency", "national"] %}'
              "{{ _(d) }}{% endfor %} {% for t in ['red'] %}{{ t|upper }}{% endfor %}")
    assert template_msgids(sample) == {"Sign in", "Reason", "agency", "national"}


def test_login_messages_are_found() -> None:
    assert len(login_messages()) >= 2


def test_russian_catalogue_is_a_flat_table_of_non_empty_strings() -> None:
    raw: Any = json.loads((WEB / "locale" / "ru.json").read_text(encoding="utf-8"))
    assert isinstance(raw, dict) and raw
    bad = {k: v for k, v in raw.items() if not isinstance(v, str) or not v.strip()}
    assert not bad


@pytest.mark.parametrize("template", _templates(),
                         ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_every_template_string_has_a_russian_translation(template: Path) -> None:
    msgids = template_msgids(template.read_text(encoding="utf-8"))
    missing = sorted(m for m in msgids if not catalogue("ru").get(m, "").strip())
    assert not missing, f"{template.name}: no Russian for {missing}"


@pytest.mark.parametrize("source", sorted(dynamic_msgids()))
def test_every_dynamic_label_has_a_russian_translation(source: str) -> None:
    msgids = dynamic_msgids()[source]
    assert msgids
    missing = sorted(m for m in msgids if not catalogue("ru").get(m, "").strip())
    assert not missing, f"{source}: no Russian for {missing}"


def test_every_registered_kind_of_change_is_translated(app: Any) -> None:
    # Creating the app imports every capability, and with it each kind of four-eyes change
    # it registers; their titles are shown in the approvals inbox.
    titles = {kind.title for kind in approvals.kinds()}
    assert approvals.kind_title(alert_service.SHARE_WITH_PARTNERS) in titles
    missing = sorted(t for t in titles if not catalogue("ru").get(t, "").strip())
    assert not missing


def test_demo_agency_kinds_and_approval_kinds_are_translated(demo: Database) -> None:
    with demo.reader() as session:
        kinds = set(session.scalars(select(Agency.kind)))
        approval_titles = {approvals.kind_title(k) for k in session.scalars(select(Approval.kind))}
    assert kinds and approval_titles
    missing = sorted(m for m in kinds | approval_titles if not catalogue("ru").get(m, "").strip())
    assert not missing


def test_pages_are_in_russian_by_default_and_in_english_after_choosing_it(
        client: Any, demo: Database) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="ru">' in page.text
    assert catalogue("ru")["Sign in"] in page.text
    assert "User name" not in page.text

    chosen = client.get("/lang/en", params={"next": "/login"}, follow_redirects=False)
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/login"
    page = client.get("/login")
    assert '<html lang="en">' in page.text
    assert "User name" in page.text
    assert catalogue("ru")["User name"] not in page.text


def test_the_signed_in_navigation_follows_the_language(client: Any, sign_in: Any) -> None:
    sign_in("border.supervisor")
    russian = client.get("/")
    assert catalogue("ru")["Approvals"] in russian.text
    client.get("/lang/en")
    english = client.get("/")
    assert ">Approvals<" in english.text
