"""Writing command output so that a failure never leaves a half-written file behind, and
saying plainly what is wrong with a file given on the command line."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from chegara.errors import BadInput

# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula, so a
# value read from a file and written again to a CSV we produce must not start with one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def check_output_path(out: Path) -> None:
    """Refuse, before any work is done, an output path that cannot become a file."""
    if out.is_dir():
        raise BadInput(f"{out} is a directory; give the name of the file to write")
    if not out.resolve().parent.is_dir():
        raise BadInput(f"{out}: the directory {out.resolve().parent} does not exist")


def not_utf8(exc: UnicodeDecodeError) -> str:
    """Why a file could not be read as text, in words an operator can act on."""
    # No offset: a streaming decoder reports it within its buffer, not within the file.
    return f"not UTF-8 text (it holds the byte 0x{exc.object[exc.start]:02x}); save it as UTF-8"


def utf8_or_cp1251(raw: bytes, *, errors: str = "strict") -> str:
    """A file from a Russian-speaking office as text: UTF-8 (a byte-order mark dropped), else
    Windows-1251, in which Excel on a Russian Windows saves CSV.

    Raises UnicodeDecodeError when the bytes are neither, unless ``errors`` (of the
    Windows-1251 step) says otherwise: a few bytes have no character in Windows-1251.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1251", errors=errors)


def os_error_message(exc: OSError) -> str:
    """One line naming the file and what the system said about it."""
    target = exc.filename2 if exc.filename2 is not None else exc.filename
    return f"{target}: {exc.strerror}" if target is not None and exc.strerror else str(exc)


def write_bytes_atomically(out: Path, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``out`` through a temporary file in the same folder, renamed into
    place only when everything is written. Raises OSError when the folder cannot be written."""
    target = out.resolve()
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_lines_atomically(out: Path, lines: Iterable[str]) -> None:
    """Each line (without its newline) as UTF-8, see :func:`write_bytes_atomically`."""
    write_bytes_atomically(out, ((line + "\n").encode("utf-8") for line in lines))
