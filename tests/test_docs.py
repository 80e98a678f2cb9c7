"""The README is part of the product: settings and error codes that are not documented fail."""

from __future__ import annotations

from pathlib import Path

import chegara.errors as errors
from chegara.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"`CHEGARA_{name.upper()}`" in README, f"CHEGARA_{name.upper()} not in README"


def test_every_error_code_is_documented() -> None:
    codes = {cls.code for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.ChegaraError)}
    from chegara.security.audit import MissingActor

    codes.add(MissingActor.code)
    for code in codes:
        assert f"`{code}`" in README, f"error code {code} not in README"


def test_first_screen_has_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:25])
    assert "make run" in first_screen and "make test" in first_screen
