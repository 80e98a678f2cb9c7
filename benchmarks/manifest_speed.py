"""Parse rate of a 300-traveller PAXLST: Chegara's reader next to pydifact.

The same generated interchange (fixed seed, D:05B layout, names with released service characters)
is read repeatedly by both. Chegara's figure covers the whole job (tokenizing, UNB/UNG/UNH
envelope and count checks, PAXLST fields into ``Traveller`` objects); pydifact's covers only
tokenizing into segments, which is all it does. Prints one JSON line.

Run: .venv/bin/python benchmarks/manifest_speed.py [repetitions]
"""

from __future__ import annotations

import json
import random
import sys
import time
import warnings
from datetime import date, datetime, timedelta

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
        "end_to_end_screening_ms": None,
        "end_to_end_screening_TODO": "not measured yet: screening against a 20,000-entry "
                                     "watchlist is integrated later by the passenger service",
    }))  # fmt: skip


if __name__ == "__main__":
    main()
