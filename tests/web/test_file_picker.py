"""The file pickers read in the page's language, not the browser's.

A browser writes the button and "no file chosen" of a native file input in its own language:
a Russian page on an English browser showed "Choose file / No file chosen". Every file input
of the pages now comes from one macro (templates/_file_picker.html) that shows our words. The
browser here is English and the pages Russian, so the browser's own words cannot pass for
ours.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from chegara.security.schemas import Username
from chegara.web.i18n import catalogue
from web_helpers import browser_sign_in

RU = catalogue("ru")
TEMPLATES = Path(str(resources.files("chegara.web"))) / "templates"
MACRO = TEMPLATES / "_file_picker.html"
REGISTRY = ("document_number,document_type,issuing_state,status,reported_on,source\n"
            "AC4417902,P,KGZ,stolen,2026-09-14,national\n")
PICKER = "form[action='/registry/import'] .file-picker"


def test_every_file_input_comes_from_the_one_macro() -> None:
    with_file_inputs = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
                              if 'type="file"' in path.read_text(encoding="utf-8"))
    assert with_file_inputs == ["_file_picker.html"]
    users = [path for path in TEMPLATES.rglob("*.html")
             if "import file_picker" in path.read_text(encoding="utf-8")]
    assert len(users) >= 7


def _choose_and_import(page: Any, tmp_path: Path) -> None:
    """Choose a registry CSV in the registry's import form, import it, and find the document."""
    csv = tmp_path / "stolen-passports.csv"
    csv.write_text(REGISTRY, encoding="utf-8")
    page.locator(f"{PICKER} input[type=file]").set_input_files(str(csv))
    with page.expect_navigation():
        page.locator("form[action='/registry/import'] button[type=submit]").click()
    assert page.locator("p.ok[role=status]").count() == 1, page.locator("main").inner_text()
    page.goto("/registry?number=AC4417902")
    assert page.locator("main table td", has_text="AC4417902").count() >= 1


@pytest.mark.browser
def test_a_russian_page_on_an_english_browser_shows_the_picker_in_russian(
        english_page: Any, tmp_path: Path) -> None:
    page = english_page
    browser_sign_in(page, "mvd.analyst")
    page.goto("/registry")
    assert page.locator("html").get_attribute("lang") == "ru"
    picker = page.locator(PICKER)
    native = picker.locator("input[type=file]")
    assert picker.locator(".file-button").inner_text() == RU["Choose file"]
    assert picker.locator(".file-name").inner_text() == RU["No file chosen"]
    # The native input, which would write English here, is out of sight but still in the
    # form, required, and named by its label.
    box = native.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    assert native.get_attribute("required") is not None
    assert native.get_attribute("name") == "file"
    assert native.evaluate("input => input.labels[0].textContent").startswith(RU["File"])

    # Reached by the keyboard, the picker shows a focus ring.
    page.locator("form[action='/registry/import'] select[name=distribution]").focus()
    page.keyboard.press("Shift+Tab")
    assert native.evaluate("input => input === document.activeElement")
    ring = picker.locator(".file-face").evaluate(
        "face => { const s = getComputedStyle(face); return [s.outlineStyle, s.outlineWidth]; }")
    assert ring[0] == "solid" and float(ring[1].removesuffix("px")) >= 2

    # Submitting without a file is stopped by the browser, as before.
    page.locator("form[action='/registry/import'] button[type=submit]").click()
    assert native.evaluate("input => input.validity.valueMissing")
    assert page.locator("p.ok[role=status]").count() == 0

    csv = tmp_path / "chosen-file.csv"
    csv.write_text(REGISTRY, encoding="utf-8")
    native.set_input_files(str(csv))
    assert picker.locator(".file-name").inner_text() == "chosen-file.csv"
    if os.environ.get("CHEGARA_SCREENSHOTS"):
        page.locator("form[action='/registry/import']").screenshot(
            path=os.environ["CHEGARA_SCREENSHOTS"] + "/file-picker.png")
    native.set_input_files([])
    assert picker.locator(".file-name").inner_text() == RU["No file chosen"]

    _choose_and_import(page, tmp_path)


@pytest.mark.browser
def test_the_picker_imports_without_javascript(english_page_without_javascript: Any,
                                               tmp_path: Path) -> None:
    page = english_page_without_javascript
    browser_sign_in(page, "mvd.analyst")
    page.goto("/registry")
    picker = page.locator(PICKER)
    # Without the script nothing would write the chosen file's name on our face, so the
    # browser's own input is shown instead: in the browser's language, but naming the file.
    native = picker.locator("input[type=file]")
    assert not picker.locator(".file-face").is_visible()
    box = native.bounding_box()
    assert native.is_visible() and box is not None and box["width"] > 50
    assert native.evaluate("input => input.labels[0].textContent").startswith(RU["File"])
    _choose_and_import(page, tmp_path)


def _browser_accepts(field: Any, name: str) -> bool:
    field.fill(name)
    return bool(field.evaluate("input => input.checkValidity()"))


def _rule_accepts(name: str) -> bool:
    try:
        TypeAdapter(Username).validate_python(name)
    except ValidationError:
        return False
    return True


@pytest.mark.browser
def test_the_user_form_hints_the_one_user_name_rule(english_page: Any) -> None:
    """The browser's hint on the new-user form is the ``Username`` rule itself. Copied into the
    template by hand it had its hyphen unescaped, and Chromium dropped the pattern whole."""
    page = english_page
    browser_sign_in(page, "border.admin")
    page.goto("/admin/users")
    field = page.locator("form#new-user input[name=username]")
    names = ["border.officer", "a_b-c", "abc", "a" * 64, "ab", "a" * 65, "with space",
             "bad/name", "имя.фамилия", "a-", "-", "x" * 3 + "!"]
    for name in names:
        assert _browser_accepts(field, name) == _rule_accepts(name), name
