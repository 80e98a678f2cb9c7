"""Translations for the web interface.

Catalogues are JSON files keyed by the English text (``locale/<lang>.json``); English needs no
catalogue. A test checks that every string the templates and pages mark with ``_()`` has a
Russian translation, so adding Kyrgyz, Kazakh or Uzbek is adding one file.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from importlib import resources

LANGUAGES = {"ru": "Русский", "en": "English"}


@functools.lru_cache(maxsize=8)
def catalogue(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    path = resources.files("chegara.web") / "locale" / f"{lang}.json"
    if not path.is_file():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def translator(lang: str) -> Callable[[str], str]:
    table = catalogue(lang)

    def gettext(message: str) -> str:
        return table.get(message, message)

    return gettext
