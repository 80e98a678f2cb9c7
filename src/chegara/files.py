"""Writing command output so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


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
