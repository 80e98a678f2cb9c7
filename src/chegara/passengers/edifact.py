"""UN/EDIFACT reader for passenger messages (PAXLST, PNRGOV): tolerant of quirks, strict on
structure.

Why our own reader: pydifact, the maintained Python EDIFACT library (installed as a peer and
benchmarked against this reader in ``benchmarks/manifest_speed.py``), fails on 4 of the 10 public
GTAS test messages (blanks before a segment tag, a short service string advice, a declared
U+2019 terminator, a last segment without terminator), does not check the UNB/UNZ, UNG/UNE and
UNH/UNT envelopes, and cannot say where in the file a segment sits. Airline and reservation
systems send exactly these quirks, and an officer needs a rejection to name the segment.

What is tolerated (each recorded as a warning on the interchange, never silent):
- no UNA (default separators ``: + . ? *`` and ``'``), a UNA advice one character short;
- the typographic apostrophe U+2019 used for, or instead of, the declared ``'`` terminator;
- line breaks anywhere (they are not data), blanks between segments and around tags;
- a last segment without terminator; a line that starts a new segment while the previous one
  was never terminated (``...SQ\\nLTS+...``);
- text after UNZ; input that is not UTF-8 (read as ISO 8859-1);
- control counts (UNT, UNE, UNZ) that disagree with the content, a missing UNT reference and a
  UNZ reference different from UNB's.

What is refused (``EdifactError`` naming the segment, its position and its line): no message,
a segment tag that is not three letters or digits, UNH inside an open message, UNT/UNE without
their header, segments outside a message, a message or interchange that is never closed, and a
UNT reference that names another message. ``strict=True`` also refuses the tolerated count and
reference mismatches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chegara import messages as wording

_TAG = re.compile(r"^[A-Z0-9]{3}$")
_NEW_SEGMENT_AFTER_BREAK = re.compile(r"[A-Z]{3}[+']")
_QUOTES = frozenset("'\u2019")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


class EdifactError(ValueError):
    """A message that cannot be read as UN/EDIFACT, with where it went wrong."""

    def __init__(self, message: str, segment: str | None = None, position: int | None = None,
                 line: int | None = None) -> None:  # fmt: skip
        self.segment = segment
        self.position = position
        self.line = line
        where = ""
        if segment is not None:
            where = f"segment {segment}"
            if position is not None:
                where += f" (segment #{position}"
                where += f", line {line})" if line is not None else ")"
            where += ": "
        super().__init__(where + message)


@dataclass(frozen=True)
class Delimiters:
    """The service characters of an interchange (UNA or the defaults)."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = "*"
    terminator: str = "'"


@dataclass(frozen=True)
class Segment:
    """One segment: its tag, its data elements (each a tuple of components), where it was."""

    tag: str
    elements: tuple[tuple[str, ...], ...]
    position: int
    line: int

    def element(self, index: int) -> tuple[str, ...]:
        """Data element ``index`` (1 = the first after the tag); empty when absent."""
        return self.elements[index - 1] if 0 < index <= len(self.elements) else ()

    def value(self, index: int, component: int = 0) -> str:
        """One component of one data element, '' when absent."""
        parts = self.element(index)
        return parts[component].strip() if component < len(parts) else ""

    def where(self) -> str:
        return wording.AT_SEGMENT.format(tag=self.tag, position=self.position, line=self.line)


@dataclass
class Message:
    """One UNH ... UNT message; ``segments`` are those between the two."""

    reference: str
    message_type: str
    version: str
    header: Segment
    trailer: Segment
    segments: list[Segment]


@dataclass
class Interchange:
    """A whole UNB ... UNZ interchange and what was tolerated while reading it."""

    delimiters: Delimiters
    sender: str
    recipient: str
    control_reference: str
    messages: list[Message]
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes | str, warnings: list[str]) -> str:
    """Text of a message: UTF-8 if it is, else ISO 8859-1 (every byte is a character there)."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        warnings.append(wording.NOT_UTF8.text)
        return data.decode("latin-1")


def _read_una(text: str, warnings: list[str]) -> tuple[Delimiters, int]:
    """Delimiters and the offset where segments start."""
    start = len(text) - len(text.lstrip())
    if not text.startswith("UNA", start):
        return Delimiters(), start
    advice = text[start + 3 : start + 9]
    rest = text[start + 9 :].lstrip()
    clean = not any(c in "\r\n" for c in advice)
    if clean and len(advice) == 6 and _TAG.match(rest[:3] or "") and rest[:3].startswith("UN"):
        chosen = Delimiters(advice[0], advice[1], advice[2], advice[3], advice[4], advice[5])
        return chosen, start + 9
    # A short advice (seen in the wild: ``UNA:+\\*'``): the tag of the next segment ends it.
    found = re.search(r"UN[BGH]", text[start + 3 : start + 16])
    if found is None:
        raise EdifactError("service string advice is not followed by UNB, UNG or UNH", "UNA", 1, 1)
    raw = text[start + 3 : start + 3 + found.start()].replace("\r", "").replace("\n", "")
    raw = raw.rstrip(" ") if len(raw) > 6 else raw
    if len(raw) < 3:
        raise EdifactError(f"service string advice {raw!r} is too short", "UNA", 1, 1)
    middle = raw[2:-1]
    release = next((c for c in middle if c in "?\\"), "?")
    chosen = Delimiters(raw[0], raw[1], ".", release, "*", raw[-1])
    warnings.append(wording.SHORT_SERVICE_ADVICE.format(
        advice=raw, length=len(raw), component=chosen.component, element=chosen.element,
        release=chosen.release, terminator=chosen.terminator))
    return chosen, start + 3 + found.start()


def tokenize(
    text: str,
    delimiters: Delimiters,
    offset: int = 0,
    warnings: list[str] | None = None,
    careful: bool = False,
) -> list[Segment]:
    """Split ``text`` into segments from ``offset`` on, stopping after UNZ.

    ``careful`` skips the fast path (tests use it to show both paths agree).
    """
    return _Tokenizer(text, delimiters, warnings if warnings is not None else []).run(offset,
                                                                                    careful)


class _Tokenizer:
    """Scans from one service character to the next (a regex search), not character by character,
    so that a 300-traveller list reads in milliseconds."""

    def __init__(self, text: str, delimiters: Delimiters, notes: list[str]) -> None:
        self.text = text
        self.delimiters = delimiters
        self.notes = notes
        terminators = set(delimiters.terminator)
        if delimiters.terminator in _QUOTES:
            # The two apostrophes are confused by word processors and by some senders' UNA.
            terminators |= _QUOTES
        self.terminators = terminators
        specials = terminators | {delimiters.release, delimiters.component, delimiters.element,
                                  "\n", "\r"}  # fmt: skip
        self.pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(specials)) + "]")
        self.segments: list[Segment] = []
        self.elements: list[tuple[str, ...]] = []
        self.components: list[str] = []
        self.buffer: list[str] = []
        self.opened = False
        self.start_line = 1

    def close(self, ended_by: str | None = None) -> Segment | None:
        self.components.append("".join(self.buffer))
        self.elements.append(tuple(self.components))
        elements = self.elements
        self.buffer, self.components, self.elements, self.opened = [], [], [], False
        raw_tag = elements[0][0].strip()
        data = tuple(elements[1:])
        if not raw_tag and not any(any(c.strip() for c in e) for e in data):
            return None
        segment = self.make_segment(raw_tag, data, self.start_line)
        if ended_by:
            self.notes.append(wording.AT_SEGMENT_PROBLEM.format(
                where=segment.where(), problem=wording.NO_TERMINATOR.format(why=ended_by)))
        return segment

    def _plain(self, chunk: str, line: int) -> None:
        if not self.opened:
            chunk = chunk.lstrip(" \t")
            if not chunk:
                return
            self.opened = True
            self.start_line = line
        self.buffer.append(chunk)

    def make_segment(self, raw_tag: str, data: tuple[tuple[str, ...], ...], line: int) -> Segment:
        if not _TAG.match(raw_tag):
            shown = raw_tag[:20]
            raise EdifactError(f"{shown!r} is not a segment tag (three letters or digits)",
                               shown or "?", len(self.segments) + 1, line)  # fmt: skip
        segment = Segment(raw_tag, data, len(self.segments) + 1, line)
        self.segments.append(segment)
        return segment

    def split_plainly(self, offset: int) -> list[Segment] | None:
        """Fast path (string splits in C) for the common message: no other apostrophe and no
        line break inside a segment. Released characters are first swapped for private-use
        code points and swapped back per component. None when the careful scan is needed."""
        text, d = self.text[offset:], self.delimiters
        if any(q in text for q in self.terminators - {d.terminator}):
            return None
        restore: dict[int, str] | None = None
        if d.release in text:
            if _PRIVATE_USE.search(text):
                return None
            released: dict[str, str] = {}

            def hide(match: re.Match[str]) -> str:
                char = match.group(1)
                return released.setdefault(char, chr(0xE000 + len(released)))

            text = re.sub(re.escape(d.release) + "(.)", hide, text, flags=re.DOTALL)
            if text.endswith(d.release):
                return None
            restore = {ord(code): char for char, code in released.items()}
        line = 1 + self.text.count("\n", 0, offset)
        pieces = text.split(d.terminator)
        for index, piece in enumerate(pieces):
            body = piece.lstrip(" \t\r\n")
            start_line = line + piece.count("\n", 0, len(piece) - len(body))
            line += piece.count("\n")
            if not body.strip():
                continue
            if "\n" in body or "\r" in body or index == len(pieces) - 1:
                return None
            parts = body.split(d.element)
            if restore is None:
                data = tuple(tuple(e.split(d.component)) for e in parts[1:])
                tag = parts[0].split(d.component)[0].strip()
            else:
                data = tuple(tuple(c.translate(restore) for c in e.split(d.component))
                             for e in parts[1:])  # fmt: skip
                tag = parts[0].split(d.component)[0].translate(restore).strip()
            segment = self.make_segment(tag, data, start_line)
            if segment.tag == "UNZ":
                trailing = d.terminator.join(pieces[index + 1 :]).strip()
                if restore is not None:
                    trailing = trailing.translate(restore)
                if trailing:
                    self.notes.append(wording.TEXT_AFTER_UNZ.format(text=trailing[:40]))
                break
        return self.segments

    def run(self, offset: int, careful: bool = False) -> list[Segment]:
        plain = None if careful else self.split_plainly(offset)
        if plain is not None:
            return plain
        self.segments = []
        text, size = self.text, len(self.text)
        release = self.delimiters.release
        line = 1 + text.count("\n", 0, offset)
        other_quote = 0
        pos = offset
        finished = False
        while pos < size:
            found = self.pattern.search(text, pos)
            end = found.start() if found else size
            if end > pos:
                self._plain(text[pos:end], line)
            if found is None:
                pos = size
                break
            char, pos = found.group(), found.end()
            if char == "\n" or char == "\r":
                if char == "\n":
                    line += 1
                if not self.opened:
                    continue
                tag = (self.elements[0][0] if self.elements else "".join(self.buffer)).strip()
                if tag == "UNZ" or (char == "\n" and _NEW_SEGMENT_AFTER_BREAK.match(text, pos)):
                    closed = self.close(wording.ENDED_BY_LINE_BREAK)
                    if closed is not None and closed.tag == "UNZ":
                        finished = True
                        break
                continue
            if not self.opened:
                self.opened = True
                self.start_line = line
            if char == release:
                if pos < size:
                    self.buffer.append(text[pos])
                    pos += 1
            elif char in self.terminators:
                if char != self.delimiters.terminator:
                    other_quote += 1
                closed = self.close()
                if closed is not None and closed.tag == "UNZ":
                    finished = True
                    break
            elif char == self.delimiters.element:
                self.components.append("".join(self.buffer))
                self.elements.append(tuple(self.components))
                self.buffer, self.components = [], []
            else:
                self.components.append("".join(self.buffer))
                self.buffer = []
        if not finished and self.opened:
            self.close(wording.ENDED_BY_END_OF_INPUT)
        trailing = text[pos:].strip()
        if trailing:
            self.notes.append(wording.TEXT_AFTER_UNZ.format(text=trailing[:40]))
        if other_quote:
            self.notes.append(wording.OTHER_APOSTROPHE.format(
                count=other_quote, terminator=self.delimiters.terminator))
        return self.segments


def read_interchange(data: bytes | str, strict: bool = False) -> Interchange:
    """Read and check the envelope structure of one EDIFACT interchange."""
    warnings: list[str] = []
    text = decode(data, warnings)
    if not text.strip():
        raise EdifactError("the input is empty")
    delimiters, offset = _read_una(text, warnings)
    segments = tokenize(text, delimiters, offset, warnings)
    if not segments:
        raise EdifactError("no segments found")
    return _check_envelopes(segments, delimiters, warnings, strict)


def _mismatch(strict: bool, warnings: list[str], segment: Segment, message: str) -> None:
    if strict:
        raise EdifactError(message, segment.tag, segment.position, segment.line)
    warnings.append(wording.AT_SEGMENT_PROBLEM.format(where=segment.where(), problem=message))


def _check_envelopes(segments: list[Segment], delimiters: Delimiters, warnings: list[str],
                     strict: bool) -> Interchange:  # fmt: skip
    first = segments[0]
    body = segments
    sender = recipient = reference = ""
    if first.tag == "UNB":
        sender, recipient, reference = first.value(2), first.value(3), first.value(5)
        last = segments[-1]
        if last.tag != "UNZ":
            # A message cut short says more than a missing UNZ: report it first.
            _read_messages(segments[1:], warnings, strict)
            raise EdifactError("interchange not closed: UNZ missing after it", last.tag,
                               last.position, last.line)  # fmt: skip
        body = segments[1:-1]
    elif first.tag in ("UNH", "UNG"):
        warnings.append(wording.NO_INTERCHANGE_ENVELOPE.text)
        last = segments[-1]
        if last.tag == "UNZ":
            raise EdifactError("UNZ without UNB", last.tag, last.position, last.line)
    else:
        raise EdifactError("an interchange starts with UNA, UNB or UNH", first.tag,
                           first.position, first.line)  # fmt: skip
    messages, groups = _read_messages(body, warnings, strict)
    if first.tag == "UNB":
        trailer = segments[-1]
        count = trailer.value(1)
        expected = groups if groups else len(messages)
        if count != str(expected) and count.lstrip("0") != str(expected):
            held = wording.INTERCHANGE_GROUP_COUNT if groups else wording.INTERCHANGE_MESSAGE_COUNT
            _mismatch(strict, warnings, trailer, held.format(count=count, held=expected))
        if trailer.value(2) != reference:
            _mismatch(strict, warnings, trailer, wording.REFERENCE_DIFFERS.format(
                reference=trailer.value(2), header="UNB", expected=reference))
    if not messages:
        raise EdifactError("the interchange holds no message (UNH ... UNT)")
    return Interchange(delimiters, sender, recipient, reference, messages, warnings)


def _read_messages(body: list[Segment], warnings: list[str], strict: bool
                   ) -> tuple[list[Message], int]:  # fmt: skip
    messages: list[Message] = []
    groups = 0
    group: Segment | None = None
    group_messages = 0
    header: Segment | None = None
    inside: list[Segment] = []
    for segment in body:
        tag = segment.tag
        if header is not None:
            if tag == "UNT":
                messages.append(_close_message(header, segment, inside, warnings, strict))
                group_messages += 1
                header, inside = None, []
            elif tag in ("UNH", "UNB", "UNZ", "UNG", "UNE"):
                raise EdifactError(f"message {header.value(1)!r} opened at segment "
                                   f"#{header.position} has no UNT before this {tag}", tag,
                                   segment.position, segment.line)  # fmt: skip
            else:
                inside.append(segment)
            continue
        if tag == "UNH":
            header = segment
        elif tag == "UNG":
            if group is not None:
                raise EdifactError("UNG inside an open group", tag, segment.position, segment.line)
            group, group_messages = segment, 0
            groups += 1
        elif tag == "UNE":
            if group is None:
                raise EdifactError("UNE without UNG", tag, segment.position, segment.line)
            if segment.value(1).lstrip("0") != str(group_messages):
                _mismatch(strict, warnings, segment, wording.GROUP_MESSAGE_COUNT.format(
                    count=segment.value(1), held=group_messages))
            if segment.value(2) != group.value(5):
                _mismatch(strict, warnings, segment, wording.REFERENCE_DIFFERS.format(
                    reference=segment.value(2), header="UNG", expected=group.value(5)))
            group = None
        elif tag == "UNT":
            raise EdifactError("UNT without UNH", tag, segment.position, segment.line)
        else:
            raise EdifactError("segment outside a message (UNH ... UNT)", tag, segment.position,
                               segment.line)  # fmt: skip
    if header is not None:
        raise EdifactError(f"message {header.value(1)!r} is never closed: UNT missing", "UNH",
                           header.position, header.line)  # fmt: skip
    if group is not None:
        raise EdifactError("functional group never closed: UNE missing", "UNG", group.position,
                           group.line)  # fmt: skip
    return messages, groups


def _close_message(header: Segment, trailer: Segment, inside: list[Segment],
                   warnings: list[str], strict: bool) -> Message:  # fmt: skip
    reference = header.value(1)
    count = trailer.value(1)
    actual = len(inside) + 2
    if count.lstrip("0") != str(actual):
        _mismatch(strict, warnings, trailer,
                  wording.SEGMENT_COUNT.format(count=count, held=actual))
    trailer_reference = trailer.value(2)
    if not trailer_reference:
        _mismatch(strict, warnings, trailer, wording.NO_MESSAGE_REFERENCE.text)
    elif trailer_reference == reference:
        pass
    elif trailer_reference.replace(" ", "") == reference.replace(" ", ""):
        warnings.append(wording.AT_SEGMENT_PROBLEM.format(
            where=trailer.where(),
            problem=wording.BLANKS_IN_REFERENCE.format(reference=trailer_reference)))
    elif trailer_reference != reference:
        raise EdifactError(f"reference {trailer_reference!r} does not match UNH reference "
                           f"{reference!r}", "UNT", trailer.position, trailer.line)  # fmt: skip
    return Message(reference=reference, message_type=header.value(2, 0),
                   version=":".join(header.element(2)[1:3]), header=header, trailer=trailer,
                   segments=inside)  # fmt: skip
