"""The CSV contracts of ``chegara watchlist import`` and ``chegara screen`` as matcher objects.

Watchlist CSV: ``id,name,aliases,birth_date,nationality,gender,document_number`` (aliases
separated by ``;``).  Query CSV: ``id,name,birth_date,nationality,gender,document_number``, only
``id`` and ``name`` required.  Kept next to the matcher so benchmarks and tests read the files
exactly as the command does; a bad row is reported with its line number.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from chegara.files import not_utf8
from chegara.screening.matcher import Query, ScreeningInputError, WatchlistEntry

WATCHLIST_COLUMNS = ("id", "name", "aliases", "birth_date", "nationality", "gender",
                     "document_number")
QUERY_COLUMNS = ("id", "name", "birth_date", "nationality", "gender", "document_number")


def _split(value: str | None, sep: str = ";") -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(v.strip() for v in value.split(sep) if v.strip())


def _opt(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


@contextmanager
def _rows_of(path: Path) -> Iterator[csv.DictReader[str]]:
    """The rows of a CSV with ``id`` and ``name`` columns. Text that is not UTF-8 and rows the
    csv module refuses (a field over its size limit) become a ScreeningInputError naming the
    file and line."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        try:
            missing = {"id", "name"} - set(reader.fieldnames or ())
            if missing:
                raise ScreeningInputError(f"{path}: missing columns {sorted(missing)}")
            yield reader
        except UnicodeDecodeError as exc:
            raise ScreeningInputError(f"{path}: {not_utf8(exc)}") from exc
        except csv.Error as exc:
            # DictReader.line_num stays at the last good row; its inner reader's is current.
            raise ScreeningInputError(f"{path}:{reader.reader.line_num}: {exc}") from exc


def read_watchlist_csv(path: Path, list_name: str) -> list[WatchlistEntry]:
    """All entries of a watchlist CSV; raises ScreeningInputError naming the bad line."""
    entries: list[WatchlistEntry] = []
    with _rows_of(path) as reader:
        for row in reader:
            line = reader.line_num
            entry_id, name = _opt(row.get("id")), _opt(row.get("name"))
            if not entry_id or not name:
                raise ScreeningInputError(f"{path}:{line}: id and name are required")
            entries.append(
                WatchlistEntry(
                    list_name=list_name,
                    entry_id=entry_id,
                    name=name,
                    aliases=_split(row.get("aliases")),
                    birth_dates=_split(row.get("birth_date")),
                    nationalities=_split(row.get("nationality")),
                    gender=_opt(row.get("gender")),
                    document_numbers=_split(row.get("document_number")),
                )
            )
    return entries


def iter_queries_csv(path: Path) -> Iterator[tuple[str, Query]]:
    """(id, query) per row of a screening CSV, in file order."""
    with _rows_of(path) as reader:
        for row in reader:
            qid = _opt(row.get("id"))
            if not qid:
                raise ScreeningInputError(f"{path}:{reader.line_num}: id is required")
            yield qid, Query(
                name=row.get("name") or "",
                birth_date=_opt(row.get("birth_date")),
                nationality=_opt(row.get("nationality")),
                gender=_opt(row.get("gender")),
                document_number=_opt(row.get("document_number")),
            )
