"""Text people type into names, titles and notes: what it may not contain.

Control characters (C0, DEL, C1) and the Unicode bidirectional overrides and isolates are
refused: an escape sequence in a name prints raw to a terminal running the CLI, a NUL cannot
be stored on PostgreSQL, and a right-to-left override makes a name on a page read as
something else.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS_AND_TABS = frozenset("\n\t")


def control_character_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be kept as typed, or None; ``multiline`` text may hold line breaks
    (as ``\\n`` or, from a browser's text area, ``\\r\\n``) and tabs."""
    allowed = LINE_BREAKS_AND_TABS if multiline else frozenset()
    if multiline:
        text = text.replace("\r\n", "\n")
    for char in text:
        if char in allowed:
            continue
        if unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS:
            return f"contains a control character (U+{ord(char):04X})"
    return None


def _single_line(text: str) -> str:
    problem = control_character_problem(text)
    if problem:
        raise PydanticCustomError("control_character", problem)
    return text


def _single_line_if_given(text: str | None) -> str | None:
    return None if text is None else _single_line(text)


def _multiline(text: str) -> str:
    problem = control_character_problem(text, multiline=True)
    if problem:
        raise PydanticCustomError("control_character", problem)
    return text


# A name or title: one line, printable.
Line = Annotated[str, AfterValidator(_single_line)]
# The same, for a field that may be left out. Validating the whole ``str | None`` (rather than
# ``Line | None``) keeps pydantic's own messages for the field's length limits.
OptionalLine = Annotated[str | None, AfterValidator(_single_line_if_given)]
# Free text (a note, a description, minutes): may span lines and hold tabs.
FreeText = Annotated[str, AfterValidator(_multiline)]
