"""Screening lookups with nothing but the lists and the matcher: the in-memory index per list
version, and screening travellers against it.

Kept apart from :mod:`chegara.screening.service` so that ``chegara screen`` starts without the
security, approval and import machinery it does not need (the whole command is timed).
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from chegara import messages
from chegara.errors import BadInput
from chegara.screening import matcher
from chegara.screening.models import Watchlist, WatchlistEntry


def _active(watchlist: Watchlist) -> tuple[Any, ...]:
    v = watchlist.active_version
    return (WatchlistEntry.watchlist_id == watchlist.id, WatchlistEntry.valid_from <= v,
            or_(WatchlistEntry.valid_to.is_(None), WatchlistEntry.valid_to > v))


def matcher_entry(watchlist_name: str, row: WatchlistEntry | Any) -> matcher.WatchlistEntry:
    data = row.data
    return matcher.WatchlistEntry(
        list_name=watchlist_name, entry_id=row.entry_id, name=row.name,
        aliases=tuple(data.get("aliases", ())), birth_dates=tuple(data.get("birth_dates", ())),
        nationalities=tuple(data.get("nationalities", ())), gender=data.get("gender"),
        document_numbers=tuple(data.get("document_numbers", ())))


class IndexCache:
    """One screening index per list, at that list's active version.

    Held in memory by a server process and updated from one version to the next by the diff
    alone; written to ``CHEGARA_HOME/index`` so that a command-line run loads it at once.
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._indexes: dict[int, tuple[int, matcher.ScreeningIndex]] = {}
        self._lock = threading.Lock()

    def _file(self, watchlist: Watchlist) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"{watchlist.id}-{watchlist.name}-v{watchlist.active_version}.idx"

    def index_for(self, session: Session, watchlist: Watchlist) -> matcher.ScreeningIndex:
        with self._lock:
            held = self._indexes.get(watchlist.id)
            if held is not None and held[0] == watchlist.active_version:
                return held[1]
            if held is not None and held[0] < watchlist.active_version:
                index = self._step_forward(session, watchlist, held)
            else:
                index = self._load_or_build(session, watchlist)
            self._indexes[watchlist.id] = (watchlist.active_version, index)
            return index

    def _load_or_build(self, session: Session, watchlist: Watchlist) -> matcher.ScreeningIndex:
        path = self._file(watchlist)
        if path is not None and path.exists():
            try:
                return matcher.ScreeningIndex.from_bytes(path.read_bytes())
            except (ValueError, EOFError):
                path.unlink(missing_ok=True)  # stale format: rebuild below
        rows = session.execute(select(WatchlistEntry.entry_id, WatchlistEntry.name,
                                      WatchlistEntry.data).where(*_active(watchlist)))
        index = matcher.ScreeningIndex.build(matcher_entry(watchlist.name, r) for r in rows)
        self._save(path, index)
        return index

    def _step_forward(self, session: Session, watchlist: Watchlist,
                      held: tuple[int, matcher.ScreeningIndex]) -> matcher.ScreeningIndex:
        version, index = held
        for number in range(version + 1, watchlist.active_version + 1):
            closed = session.scalars(select(WatchlistEntry.entry_id).where(
                WatchlistEntry.watchlist_id == watchlist.id,
                WatchlistEntry.valid_to == number))
            for entry_id in closed:
                index.remove(watchlist.name, entry_id)
            opened = session.execute(select(WatchlistEntry.entry_id, WatchlistEntry.name,
                                            WatchlistEntry.data).where(
                WatchlistEntry.watchlist_id == watchlist.id,
                WatchlistEntry.valid_from == number))
            index.add_many(matcher_entry(watchlist.name, r) for r in opened)
        self._save(self._file(watchlist), index)
        return index

    @staticmethod
    def _save(path: Path | None, index: matcher.ScreeningIndex) -> None:
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(path.name.rsplit("-v", 1)[0] + "-v*.idx"):
            old.unlink(missing_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(index.to_bytes())
        temporary.replace(path)


@dataclass(frozen=True)
class Traveller:
    name: str
    birth_date: str | None = None
    nationality: str | None = None
    gender: str | None = None
    document_number: str | None = None

    def query(self) -> matcher.Query:
        return matcher.Query(name=self.name, birth_date=self.birth_date,
                             nationality=self.nationality, gender=self.gender,
                             document_number=self.document_number)

    def key(self) -> str:
        """Who this traveller is, for remembering cleared hits: the document when there is one,
        else the name letters and the birth date."""
        if self.document_number:
            basis = "doc:" + "".join(ch for ch in self.document_number.upper() if ch.isalnum())
            basis += "|" + (self.nationality or "").upper()
        else:
            letters = unicodedata.normalize("NFKD", self.name.casefold())
            basis = "name:" + "".join(sorted("".join(c for c in w if c.isalpha())
                                             for w in letters.split()))
            basis += "|" + (self.birth_date or "")
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "birth_date": self.birth_date,
                "nationality": self.nationality, "gender": self.gender,
                "document_number": self.document_number}


def _threshold(watchlist: Watchlist, override: float | None) -> float:
    if override is not None:
        return override
    return watchlist.threshold if watchlist.threshold is not None else (
        matcher.DEFAULT_THRESHOLD)


def screen_travellers(
    session: Session, cache: IndexCache, travellers: Sequence[Traveller], *,
    watchlists: Sequence[Watchlist], threshold: float | None = None,
    limit: int = matcher.DEFAULT_LIMIT, workers: int = 1,
) -> Iterator[tuple[Traveller, list[tuple[Watchlist, matcher.Hit]]]]:
    """Screen travellers against lists, without recording anything (batch files, benchmarks).

    ``workers`` > 1 screens long batches in that many forked processes sharing the index.
    """
    if threshold is not None and not 0 <= threshold <= 1:
        raise BadInput(messages.THRESHOLD_NOT_BETWEEN.format(threshold=threshold))
    queries = [t.query() for t in travellers]
    per_list = []
    for watchlist in watchlists:
        index = cache.index_for(session, watchlist)
        results = index.screen_many(queries, _threshold(watchlist, threshold), limit,
                                    workers=workers)
        per_list.append((watchlist, results))
    for position, traveller in enumerate(travellers):
        found: list[tuple[Watchlist, matcher.Hit]] = []
        for watchlist, results in per_list:
            hits = results[position]
            if isinstance(hits, matcher.ScreeningInputError):
                raise BadInput(messages.TRAVELLER_NOT_SCREENABLE.format(
                    position=position + 1, name=traveller.name, problem=hits))
            found.extend((watchlist, h) for h in hits)
        found.sort(key=lambda pair: (-pair[1].score, pair[0].name, pair[1].entry_id))
        yield traveller, found[:limit]
