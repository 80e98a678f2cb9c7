"""One entry point for every passenger list: detect PAXLST, PNRGOV or a CSV manifest and read it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from chegara.passengers.edifact import EdifactError, read_interchange
from chegara.passengers.manifest import Manifest
from chegara.passengers.paxlst import read_paxlst
from chegara.passengers.pnrgov import read_pnrgov

SUPPORTED = ("PAXLST", "PNRGOV")


def parse_message(data: str | bytes, today: date | None = None, strict: bool = False) -> Manifest:
    """Read a PAXLST or PNRGOV interchange (type taken from UNH) into a manifest.

    Raises ``EdifactError`` naming the segment when the structure is broken or the message type
    is not a passenger message.
    """
    interchange = read_interchange(data, strict=strict)
    types = {m.message_type for m in interchange.messages}
    unsupported = types - set(SUPPORTED)
    if unsupported:
        first = next(m for m in interchange.messages if m.message_type in unsupported)
        raise EdifactError(f"message type {first.message_type!r} is not PAXLST or PNRGOV", "UNH",
                           first.header.position, first.header.line)  # fmt: skip
    if len(types) > 1:
        second = next(m for m in interchange.messages if m.message_type != "PAXLST")
        raise EdifactError("PAXLST and PNRGOV mixed in one interchange", "UNH",
                           second.header.position, second.header.line)  # fmt: skip
    if types == {"PAXLST"}:
        manifest = read_paxlst(interchange.messages, today=today, strict=strict)
    else:
        manifest = read_pnrgov(interchange.messages, today=today, strict=strict)
    manifest.warnings[:0] = interchange.warnings
    if manifest.sender is None:
        manifest.sender = interchange.sender or None
    return manifest


_SEGMENT_START = re.compile(r"[A-Z0-9]{3}[+:']")


def looks_like_edifact(text: str) -> bool:
    """True when the text starts like EDIFACT: UNA, UNB, UNH, or any ``TAG+`` segment (so that a
    message missing its envelope is refused as EDIFACT, naming the segment, not read as CSV)."""
    head = text.lstrip("\ufeff \t\r\n")
    return head[:3] in ("UNA", "UNB", "UNH") or bool(_SEGMENT_START.match(head))


def read_manifest_file(path: Path, today: date | None = None, strict: bool = False) -> Manifest:
    """Read any supported manifest file: EDIFACT by content, otherwise a CSV manifest."""
    from chegara.passengers.manifest_csv import read_csv_manifest

    raw = path.read_bytes()
    if looks_like_edifact(raw[:64].decode("latin-1")):
        return parse_message(raw, today=today, strict=strict)
    return read_csv_manifest(path)
