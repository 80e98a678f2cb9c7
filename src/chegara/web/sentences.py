"""The services' sentences (reasons, explanations, summaries) in the reader's language.

Records keep the English the services wrote (see ``chegara.messages``). A sentence is
translated by an exact catalogue entry when there is one; otherwise it is matched against the
registered templates, most specific first, and the Russian template is filled with the
captured values, themselves translated when they are known words or nested sentences. What
matches nothing is shown as it was written: an officer's own words, or wording older than the
templates.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import pass_context
from jinja2.runtime import Context

from chegara.messages import MESSAGES, Message
from chegara.web.i18n import catalogue

# What a number formatted by a format spec ("{x:.3f}", "{n:,d}", "{r:.0%}") can look like.
NUMBER = r"[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?|[-+]?inf%?|nan%?"
NUMERIC_TYPES = frozenset("bdeEfFgGnoxX%")
# Nested sentences go this deep at most (a profile's criterion inside its reason).
MAX_DEPTH = 3


@dataclass(frozen=True)
class _Pattern:
    message: Message
    regex: re.Pattern[str]


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


def _specificity(message: Message) -> int:
    """How much fixed text a sentence must have: the literal text plus the shortest word of
    each restricted placeholder ("HS chapter {shown}" is more specific than "HS {ranges}")."""
    return sum(len(literal) + min((len(w) for w in message.words.get(name or "", ())),
                                  default=0)
               for literal, name, _spec in _placeholders(message.text))


@functools.lru_cache(maxsize=1)
def patterns() -> tuple[_Pattern, ...]:
    ordered = sorted(MESSAGES, key=_specificity, reverse=True)
    return tuple(_Pattern(m, _regex(m)) for m in ordered if "{" in m.text)


def _fill(template: str, values: dict[str, str]) -> str:
    """The translated template with the values in place (format specs were for the numbers,
    which arrive already formatted)."""
    out: list[str] = []
    for literal, name, _spec in _placeholders(template):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)


def _value(lang: str, message: Message, name: str, captured: str, depth: int) -> str:
    if name in message.words:
        return catalogue(lang).get(captured, captured)
    if name in message.nested:
        return translate(lang, captured, depth + 1)
    separator = message.lists.get(name)
    if separator is not None:
        word = separator.strip()
        joint = separator.replace(word, catalogue(lang).get(word, word)) if word else separator
        return joint.join(translate(lang, part, depth + 1) for part in captured.split(separator))
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
    for pattern in patterns():
        target = table.get(pattern.message.text)
        if target is None:
            continue
        found = pattern.regex.fullmatch(text)
        if found is None:
            continue
        values = {name: _value(lang, pattern.message, name, captured, depth)
                  for name, captured in found.groupdict().items()}
        return _fill(target, values)
    return text


@pass_context
def in_reader_language(context: Context, text: object) -> str:
    """Jinja filter ``|said``: the sentence in the language of the page being rendered."""
    return translate(str(context.get("lang", "en")), "" if text is None else str(text))
