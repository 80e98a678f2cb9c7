"""The browser tests skip without Chromium locally, and fail without it when CI requires it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

Gate = Callable[[Path, bool], None]


def test_a_missing_browser_skips_locally(tmp_path: Path, browser_gate: Gate) -> None:
    with pytest.raises(pytest.skip.Exception):
        browser_gate(tmp_path / "no-chromium", False)


def test_a_missing_browser_fails_when_required(tmp_path: Path, browser_gate: Gate) -> None:
    with pytest.raises(pytest.fail.Exception, match="CHEGARA_REQUIRE_BROWSER"):
        browser_gate(tmp_path / "no-chromium", True)


def test_a_present_browser_passes(tmp_path: Path, browser_gate: Gate) -> None:
    executable = tmp_path / "chromium"
    executable.write_text("")
    browser_gate(executable, True)
