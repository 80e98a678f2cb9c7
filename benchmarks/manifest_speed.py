"""Parse rate of a 300-traveller PAXLST: Chegara's reader next to pydifact; and the same
manifest loaded end to end, screened against the 20,150-entry development watchlist.

The same generated interchange (fixed seed, D:05B layout, names with released service characters)
is read repeatedly by both. Chegara's figure covers the whole job (tokenizing, UNB/UNG/UNH
envelope and count checks, PAXLST fields into ``Traveller`` objects); pydifact's covers only
tokenizing into segments, which is all it does.

End to end (no peer: pydifact only tokenizes): ``passengers.service.load_voyage`` in one
committed transaction on a fresh SQLite database, as ``POST /api/v1/voyages`` runs it: parse,
store the voyage and its 300 travellers, screen each against ``shared/data/screening/
watchlist.csv`` (index already in memory, as in the server) recording hits in the review queue,
look the documents up in the registry, run the document checks and one active rule. Ten of the
travellers are listed persons, so hits are recorded too. Prints one JSON line.

Run: .venv/bin/python benchmarks/manifest_speed.py [repetitions] [end-to-end repetitions]
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from chegara.passengers.manifest import Leg, Manifest, TravelDocument, Traveller
from chegara.passengers.paxlst_compose import compose_paxlst
from chegara.passengers.reader import parse_message

TRAVELLERS = 300
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def build_manifest(seed: int = 300) -> Manifest:
    rng = random.Random(seed)
    leg = Leg(
        carrier="KC",
        number="KC109",
        origin="ALA",
        destination="FRU",
        departure=datetime(2026, 11, 23, 8, 0),
        arrival=datetime(2026, 11, 23, 9, 10),
    )
    travellers = []
    for i in range(TRAVELLERS):
        surname = "".join(rng.choices(LETTERS, k=rng.randint(4, 12)))
        if i % 25 == 0:
            surname = "O'" + surname  # exercises the release character
        nationality = rng.choice(["KGZ", "KAZ", "UZB", "TJK", "RUS", "TUR", "CHN", "DEU"])
        travellers.append(Traveller(
            surname=surname, given_names="".join(rng.choices(LETTERS, k=rng.randint(3, 9))),
            birth_date=date(1950, 1, 1) + timedelta(days=rng.randint(0, 26000)),
            sex=rng.choice("MF"), nationality=nationality,
            documents=[TravelDocument("P", f"{rng.choice(LETTERS)}{rng.randint(0, 10**8):08d}",
                                      nationality, date(2031, 1, 1))],
            embarkation="ALA", debarkation="FRU",
        ))  # fmt: skip
    return Manifest(message_type="PAXLST", legs=[leg], travellers=travellers,
                    list_type="passengers")  # fmt: skip


def main() -> None:
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    warnings.simplefilter("ignore")
    text = compose_paxlst(build_manifest())
    from importlib.metadata import version

    from pydifact.segmentcollection import Interchange

    parsed = parse_message(text)
    assert len(parsed.travellers) == TRAVELLERS
    peer_segments = len(list(Interchange.from_str(text).segments))

    # Interleaved runs, best time of each: the machine is shared, and the minimum is the
    # figure least disturbed by other work.
    ours_times, peer_times = [], []
    for _ in range(repetitions):
        start = time.perf_counter()
        parse_message(text)
        ours_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        list(Interchange.from_str(text).segments)
        peer_times.append(time.perf_counter() - start)
    ours, peer = min(ours_times), min(peer_times)
    print(json.dumps({
        "benchmark": "manifest_speed",
        "travellers": TRAVELLERS,
        "message_bytes": len(text.encode()),
        "peer_segments_seen": peer_segments,
        "repetitions": repetitions,
        "timing": "best of the interleaved repetitions",
        "chegara_parse_ms": round(ours * 1000, 2),
        "chegara_parse_ms_median": round(sorted(ours_times)[len(ours_times) // 2] * 1000, 2),
        "chegara_messages_per_s": round(1 / ours, 1),
        "chegara_travellers_per_s": round(TRAVELLERS / ours),
        "peer_pydifact_parse_ms": round(peer * 1000, 2),
        "peer_pydifact_parse_ms_median": round(sorted(peer_times)[len(peer_times) // 2] * 1000,
                                               2),
        "peer_pydifact_messages_per_s": round(1 / peer, 1),
        "speed_ratio_chegara_over_peer": round(peer / ours, 2),
        "peer": "pydifact " + version("pydifact") + " (Interchange.from_str, tokenizing only)",
    } | end_to_end(int(sys.argv[2]) if len(sys.argv) > 2 else 5)))  # fmt: skip


WATCHLIST = (Path(__file__).resolve().parents[2] / "shared" / "data" / "screening"
             / "watchlist.csv")


def listed_travellers(people: list[Any], count: int) -> list[Traveller]:
    """Listed persons as an airline spells them (ICAO romanisation, surname and first name)."""
    from chegara.screening.names import latin_form

    chosen = [p for p in people if len(p.birth_dates) == 1 and len(p.birth_dates[0]) == 10]
    travellers = []
    for person in chosen[:count]:
        words = latin_form(person.name).upper().replace("-", " ").split()
        travellers.append(Traveller(
            surname=words[0], given_names=" ".join(words[1:2]),
            birth_date=date.fromisoformat(person.birth_dates[0]), sex=person.gender,
            nationality="KGZ", documents=[TravelDocument("P", "AC0000001", "KGZ",
                                                         date(2031, 1, 1))],
            embarkation="ALA", debarkation="FRU"))  # fmt: skip
    return travellers


def end_to_end(repetitions: int) -> dict[str, Any]:
    """Best and median wall time of a full voyage load, on a fresh database per run set."""
    from chegara.db.session import open_database
    from chegara.demo.load import load_demo
    from chegara.passengers import service as voyages
    from chegara.screening import service as screening
    from chegara.screening.importers import read_list
    from chegara.security import audit
    from chegara.security import service as security
    from chegara.settings import Settings

    people = read_list(WATCHLIST, "csv")
    manifest = build_manifest()
    manifest.travellers[::30] = listed_travellers(people, 10)
    data = compose_paxlst(manifest).encode()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        settings = Settings(home=home, argon2_time_cost=1, argon2_memory_kib=8192)  # type: ignore[call-arg]
        db = open_database(settings)
        load_demo(database=db, migrate=True, capabilities=False)
        with db.unit_of_work() as session:
            analyst = security.principal_for(session, security.find_user(session, "mvd.analyst"))
            audit.set_actor(session, security.actor_of(analyst))
            wanted = screening.create_watchlist(
                session, owner_agency_id=analyst.agency_id, name="dev", title="dev list",
                kind="wanted", maintained_here=False)
            screening.import_version(session, watchlist=wanted, people=people,
                                     source_name="watchlist.csv", source_format="csv",
                                     source_sha256="bench", requester=None)
            officer_user = security.find_user(session, "border.officer")
            analyst_user = security.find_user(session, "border.analyst")
            rule_author = security.principal_for(session, analyst_user)
            audit.set_actor(session, security.actor_of(rule_author))
            rule = voyages.create_rule(session, rule_author, name="courier", description="",
                                       severity=3, condition={"match": "all", "conditions": [
                                           {"attribute": "age", "operator": "between",
                                            "value": [18, 30]},
                                           {"attribute": "nationality", "operator": "in",
                                            "value": ["TJK", "UZB"]}]})
            rule.status, rule.active_condition, rule.active_severity = "active", rule.condition, 3
            rule.active_version = 1
        cache = screening.IndexCache(None)
        with db.reader() as session:
            start = time.perf_counter()
            cache.index_for(session, screening.get_watchlist(session, None, "dev"))
            index_build = time.perf_counter() - start
        times: list[float] = []
        hits: dict[str, int] = {}
        for run in range(repetitions):
            start = time.perf_counter()
            with db.unit_of_work() as session:
                officer = security.principal_for(session, officer_user)
                audit.set_actor(session, security.actor_of(officer))
                outcome = voyages.load_voyage(session, cache, officer, data,
                                              source_name=f"bench-{run}.edi")
            times.append(time.perf_counter() - start)
            hits = outcome.hits_by_kind
        db.engine.dispose()
    best = min(times)
    return {
        "end_to_end_watchlist_entries": len(people),
        "end_to_end_repetitions": repetitions,
        "end_to_end_index_build_s": round(index_build, 2),
        "end_to_end_screening_ms": round(best * 1000, 1),
        "end_to_end_screening_ms_median": round(sorted(times)[len(times) // 2] * 1000, 1),
        "end_to_end_travellers_per_s": round(TRAVELLERS / best),
        "end_to_end_hits_by_kind": hits,
        "end_to_end_target_ms": 1000,
        "end_to_end_database": "SQLite (fresh file, WAL), one committed transaction per load",
    }


if __name__ == "__main__":
    main()
