"""Three-letter codes that may stand in the issuing-state and nationality fields of an MRZ.

Doc 9303 Part 3 takes the ISO 3166-1 alpha-3 country codes and adds its own: Germany's one-letter
``D``, the British nationality classes, United Nations bodies, regional organisations, stateless
persons and refugees. The table ships as data (``data/icao_codes.tsv``) so an agency can read and
amend it without touching code; the ``kind`` column tells a first-line officer whether a code is
ordinary, special, a specimen code or one met in practice outside the standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources


class CodeKind(StrEnum):
    """Where a state or organisation code comes from."""

    ISO = "iso"
    ICAO = "icao"
    SPECIMEN = "specimen"
    LEGACY = "legacy"


@dataclass(frozen=True)
class StateCode:
    """One row of the code table."""

    code: str
    kind: CodeKind
    name: str


@cache
def state_codes() -> dict[str, StateCode]:
    """All known codes, keyed by the code without fillers (``D`` not ``D<<``)."""
    text = resources.files("chegara.documents").joinpath("data/icao_codes.tsv").read_text("utf-8")
    table: dict[str, StateCode] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, kind, name = line.split("\t", 2)
        table[code] = StateCode(code=code, kind=CodeKind(kind), name=name)
    return table


def lookup_state(code: str) -> StateCode | None:
    """The table entry for a code (fillers stripped), or None when Doc 9303 does not know it."""
    return state_codes().get(code.rstrip("<"))
