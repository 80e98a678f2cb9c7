"""The services' sentences (reasons, explanations, summaries) in the reader's language.

Records keep the English the services wrote (see ``chegara.messages``). A sentence is
translated by an exact catalogue entry when there is one; otherwise it is matched against the
registered templates, and the most specific match (the most fixed text, counting the words it
matched) fills its Russian template with the captured values, themselves translated when they
are known words, nested sentences or lists of them. What matches nothing is shown as it was
written: an officer's own words, or wording older than the templates.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import string
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from jinja2 import pass_context
from jinja2.runtime import Context

from chegara.messages import MESSAGES, WORDS, Message
from chegara.web.i18n import catalogue

log = logging.getLogger("chegara.web")

# What a number formatted by a format spec ("{x:.3f}", "{n:,d}", "{r:.0%}") can look like.
NUMBER = r"[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?|[-+]?inf%?|nan%?"
NUMERIC_TYPES = frozenset("bdeEfFgGnoxX%")
# Nested sentences go this deep at most: a profile's criteria nest all / any / not inside its
# reason, and every level shortens the text, so this only bounds the work on odd input.
MAX_DEPTH = 8
BRACKETS = {"(": 1, ")": -1}


@dataclass(frozen=True)
class _Pattern:
    message: Message
    regex: re.Pattern[str]
    fixed: int  # the literal text's length
    most: int  # and the longest word each restricted placeholder may take
    numbers: frozenset[str]  # placeholders formatted as numbers


def _placeholders(text: str) -> Iterator[tuple[str, str | None, str]]:
    """(literal text before, placeholder name or None at the end, its format spec)."""
    for literal, name, spec, _conversion in string.Formatter().parse(text):
        yield literal, name, spec or ""


def _group(message: Message, name: str, spec: str) -> str:
    choices = message.words.get(name)
    if choices:
        return "|".join(re.escape(word) for word in sorted(choices, key=len, reverse=True))
    if spec and spec[-1] in NUMERIC_TYPES:
        return NUMBER
    return ".+?"


def _regex(message: Message) -> re.Pattern[str]:
    parts: list[str] = []
    seen: set[str] = set()
    for literal, name, spec in _placeholders(message.text):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>{_group(message, name, spec)})")
    return re.compile("".join(parts), re.DOTALL)


def _pattern(message: Message) -> _Pattern:
    fixed = most = 0
    numbers: set[str] = set()
    for literal, name, spec in _placeholders(message.text):
        fixed += len(literal)
        most += len(literal) + max((len(w) for w in message.words.get(name or "", ())),
                                   default=0)
        if name and spec and spec[-1] in NUMERIC_TYPES and name not in message.words:
            numbers.add(name)
    return _Pattern(message, _regex(message), fixed, most, frozenset(numbers))


def _as_written_in(lang: str, number: str) -> str:
    """A formatted figure as the reader writes it: ``1 234,5`` in Russian (a no-break space
    between thousands, a decimal comma), unchanged in English."""
    if lang != "ru":
        return number
    return number.replace(",", "\u00a0").replace(".", ",")


def _specificity(pattern: _Pattern, found: re.Match[str]) -> int:
    """How much fixed text the sentence has by this template: the literal text plus the words
    its restricted placeholders matched ("HS chapter rare or new value" is the model's
    "{words} {shown}", not "HS {ranges}"; "transport mode is 40" is a profile's comparison
    of that field, not the model's code value "is 40")."""
    return pattern.fixed + sum(len(found.group(name) or "") for name in pattern.message.words)


@functools.lru_cache(maxsize=1)
def patterns() -> tuple[_Pattern, ...]:
    """The templates, those that could be the most specific first (ties: registry order)."""
    found = [_pattern(m) for m in MESSAGES if "{" in m.text]
    return tuple(sorted(found, key=lambda p: p.most, reverse=True))


def _fill(template: str, values: dict[str, str]) -> str:
    """The translated template with the values in place (format specs were for the numbers,
    which arrive already formatted)."""
    out: list[str] = []
    for literal, name, _spec in _placeholders(template):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)


@functools.lru_cache(maxsize=1)
def _words_with(separator: str) -> tuple[str, ...]:
    return tuple(w for w in WORDS if separator in w)


def _split(text: str, separator: str) -> list[str]:
    """``text`` cut at ``separator``, except inside brackets and inside a registered word
    ("species or product" is one field). Brackets that do not pair up (a stray one in a
    sender's value) are ignored rather than keeping all the rest in one piece."""
    kept = [m.span() for w in _words_with(separator) for m in re.finditer(re.escape(w), text)]
    paired = _brackets_pair_up(text)
    parts: list[str] = []
    start = depth = 0
    for at, char in enumerate(text):
        depth += BRACKETS.get(char, 0) if paired else 0
        if (depth == 0 and text.startswith(separator, at) and at >= start
                and not any(a <= at < b for a, b in kept)):
            parts.append(text[start:at])
            start = at + len(separator)
    parts.append(text[start:])
    return parts


def _brackets_pair_up(text: str) -> bool:
    depth = 0
    for char in text:
        depth += BRACKETS.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _joined(lang: str, text: str, separators: tuple[str, ...], depth: int) -> str:
    """A list of sentences in ``lang``: cut at the first separator, each part at the next."""
    if not separators:
        return translate(lang, text, depth + 1)
    separator, tighter = separators[0], separators[1:]
    word = separator.strip()
    joint = separator.replace(word, catalogue(lang).get(word, word)) if word else separator
    return joint.join(_joined(lang, part, tighter, depth) for part in _split(text, separator))


@functools.cache
def _shipped_place_names() -> dict[str, str]:
    from chegara.analysis.geography import shipped_geography

    return {p.name: p.name_ru for p in shipped_geography().crossing_points if p.name_ru}


# Crossing points as the database has them: an administrator may rename a point or add one.
# Read through a function the application sets when it starts, at most once a minute, so
# every worker process learns a change within a minute without a query per sentence.
PLACE_NAMES_EVERY_SECONDS = 60.0
_database_places: dict[str, str] = {}
_russian_places: dict[str, str] = {}  # the shipped names overlaid by the database's
_places_reader: Callable[[], dict[str, str]] | None = None
_places_read_at = -math.inf


def read_place_names_from(reader: Callable[[], dict[str, str]]) -> None:
    """Set where the Russian names of crossing points, by English name, are read from."""
    global _places_reader, _places_read_at
    _places_reader, _places_read_at = reader, -math.inf
    _database_places.clear()
    _russian_places.clear()
    translate.cache_clear()


def _refresh_place_names() -> None:
    global _places_read_at
    if _places_reader is None or time.monotonic() - _places_read_at < PLACE_NAMES_EVERY_SECONDS:
        return
    _places_read_at = time.monotonic()
    try:
        names = _places_reader()
    except Exception:  # a page must not fail for a name: keep the names read before
        log.warning("could not read the crossing points' names", exc_info=True)
        return
    if names != _database_places:
        _database_places.clear()
        _database_places.update(names)
        _russian_places.clear()
        # Sentences translated with the old names are cached: translate them again.
        translate.cache_clear()


def _place_names(lang: str) -> dict[str, str]:
    """Crossing-point names in ``lang``, by their English name: the database's, then the
    shipped geography's (a sentence written before a point was renamed keeps the old name)."""
    if lang != "ru":
        return {}
    if not _russian_places:
        _russian_places.update({**_shipped_place_names(), **_database_places})
    return _russian_places


def _value(lang: str, message: Message, name: str, captured: str, depth: int) -> str:
    if name in message.places:
        return _place_names(lang).get(captured, captured)
    if name in message.words:
        return catalogue(lang).get(captured, captured)
    if name in message.nested:
        return translate(lang, captured, depth + 1)
    separators = message.lists.get(name)
    if separators is not None:
        return _joined(lang, captured,
                       (separators,) if isinstance(separators, str) else separators, depth)
    return captured


@functools.lru_cache(maxsize=8192)
def translate(lang: str, text: str, depth: int = 0) -> str:
    """``text`` in ``lang``; unchanged when it is not a sentence we know."""
    table = catalogue(lang)
    if not table or not text:
        return text
    exact = table.get(text)
    if exact is not None:
        return exact
    if depth >= MAX_DEPTH:
        return text
    best: tuple[int, _Pattern, re.Match[str]] | None = None
    for pattern in patterns():
        if best is not None and pattern.most <= best[0]:
            break  # no template after this one can be more specific than the match in hand
        if pattern.message.text not in table:
            continue
        found = pattern.regex.fullmatch(text)
        if found is None:
            continue
        score = _specificity(pattern, found)
        if best is None or score > best[0]:
            best = (score, pattern, found)
    if best is None:
        return text
    _score, pattern, found = best
    values = {name: _as_written_in(lang, captured) if name in pattern.numbers
              else _value(lang, pattern.message, name, captured, depth)
              for name, captured in found.groupdict().items()}
    return _fill(table[pattern.message.text], values)


@pass_context
def in_reader_language(context: Context, text: object) -> str:
    """Jinja filter ``|said``: the sentence in the language of the page being rendered."""
    _refresh_place_names()
    return translate(str(context.get("lang", "en")), "" if text is None else str(text))
