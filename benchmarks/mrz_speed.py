"""MRZ checks per second: Chegara's ``check_mrz`` next to the ``mrz`` package from PyPI.

Both check the same generated MRZs (all five formats, fixed seed, one in ten with one character
changed in a check-digit-covered position so that a check digit must fail) plus the Doc 9303
specimens. Prints one JSON line: throughput of each, their ratio, and how many verdicts each got
right against the known truth (a generated MRZ is valid; a mutated one is not).

Run: .venv/bin/python benchmarks/mrz_speed.py [count]
"""

from __future__ import annotations

import json
import random
import sys
import time
import warnings
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from chegara.documents.codes import CodeKind, state_codes
from chegara.documents.mrz import _VALUES, MRZ_ALPHABET, check_mrz
from chegara.documents.mrz_compose import MrzData, compose_mrz

TODAY = date(2026, 11, 22)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
COVERED = {  # (line, start, end) spans covered by check digits, as in the property tests
    "TD1": [(0, 5, 15), (1, 0, 7), (1, 8, 15)],
    "TD2": [(1, 0, 10), (1, 13, 20), (1, 21, 28)],
    "TD3": [(1, 0, 10), (1, 13, 20), (1, 21, 28)],
    "MRVA": [(1, 0, 10), (1, 13, 20), (1, 21, 28)],
    "MRVB": [(1, 0, 10), (1, 13, 20), (1, 21, 28)],
}


def generate(count: int, seed: int = 9303) -> list[tuple[str, str, bool]]:
    """(format, mrz text, truly valid) triples."""
    rng = random.Random(seed)
    codes = sorted(c.code for c in state_codes().values() if c.kind is CodeKind.ISO)
    items: list[tuple[str, str, bool]] = []
    for _ in range(count):
        fmt = rng.choice(["TD1", "TD2", "TD3", "MRVA", "MRVB"])
        first = {"TD1": "I", "TD2": "A", "TD3": "P", "MRVA": "V", "MRVB": "V"}[fmt]
        data = MrzData(
            format=fmt, document_code=first, issuing_state=rng.choice(codes),
            surname="".join(rng.choices(LETTERS, k=rng.randint(3, 10))),
            given_names="".join(rng.choices(LETTERS, k=rng.randint(3, 8))),
            document_number="".join(rng.choices(LETTERS[:6] + "0123456789", k=9)),
            nationality=rng.choice(codes),
            birth_date=TODAY - timedelta(days=rng.randint(1, 36000)), sex=rng.choice("MF"),
            expiry_date=TODAY + timedelta(days=rng.randint(-3000, 3650)),
        )  # fmt: skip
        text = compose_mrz(data)
        valid = True
        if rng.random() < 0.1:
            lines = text.split("\n")
            line, start, end = rng.choice(COVERED[fmt])
            pos = rng.randrange(start, end)
            old = lines[line][pos]
            new = rng.choice([c for c in sorted(MRZ_ALPHABET) if (_VALUES[c] - _VALUES[old]) % 10])
            lines[line] = lines[line][:pos] + new + lines[line][pos + 1 :]
            text, valid = "\n".join(lines), False
        items.append((fmt, text, valid))
    return items


Item = tuple[str, str, bool]


def peer_checkers() -> dict[str, Any]:
    from mrz.checker.mrva import MRVACodeChecker
    from mrz.checker.mrvb import MRVBCodeChecker
    from mrz.checker.td1 import TD1CodeChecker
    from mrz.checker.td2 import TD2CodeChecker
    from mrz.checker.td3 import TD3CodeChecker

    return {"TD1": TD1CodeChecker, "TD2": TD2CodeChecker, "TD3": TD3CodeChecker,
            "MRVA": MRVACodeChecker, "MRVB": MRVBCodeChecker}  # fmt: skip


def run_peer(items: list[tuple[str, str, bool]]) -> list[bool]:
    checkers = peer_checkers()
    verdicts = []
    for fmt, text, _ in items:
        try:
            verdicts.append(bool(checkers[fmt](text)))
        except Exception:  # the peer raises on some inputs; count as "invalid"
            verdicts.append(False)
    return verdicts


def timed(func: Callable[[list[Item]], list[bool]], items: list[Item]
          ) -> tuple[list[bool], float]:  # fmt: skip
    start = time.perf_counter()
    result = func(items)
    return result, time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    warnings.simplefilter("ignore")
    items = generate(count)
    specimens_path = (Path(__file__).resolve().parents[2] / "shared" / "data" / "travel"
                      / "mrz_specimens.jsonl")  # fmt: skip
    specimens = [json.loads(line) for line in specimens_path.read_text().splitlines() if line]
    # Five interleaved rounds, best round of each: the machine is shared with other work.
    our_times, peer_times = [], []
    for _ in range(5):
        ours, elapsed = timed(lambda xs: [check_mrz(t, today=TODAY).valid for _, t, _ in xs],
                              items)  # fmt: skip
        our_times.append(elapsed)
        peer, elapsed = timed(run_peer, items)
        peer_times.append(elapsed)
    our_time, peer_time = min(our_times), min(peer_times)
    truth = [v for _, _, v in items]
    spec_items = [(s["expected"]["format"], s["mrz"], s["expected"]["valid"]) for s in specimens]
    spec_ours = [check_mrz(t, today=TODAY).valid for _, t, _ in spec_items]
    spec_peer = run_peer(spec_items)
    spec_truth = [v for _, _, v in spec_items]
    print(json.dumps({
        "benchmark": "mrz_speed",
        "mrz_count": count,
        "mutated": truth.count(False),
        "timing": "best of 5 interleaved rounds",
        "chegara_checks_per_s": round(count / our_time),
        "peer_mrz_checks_per_s": round(count / peer_time),
        "speed_ratio_chegara_over_peer": round(peer_time / our_time, 2),
        "chegara_correct": sum(a == b for a, b in zip(ours, truth, strict=True)),
        "peer_correct": sum(a == b for a, b in zip(peer, truth, strict=True)),
        "chegara_valid_rejected": sum(t and not a for a, t in zip(ours, truth, strict=True)),
        "peer_valid_rejected": sum(t and not a for a, t in zip(peer, truth, strict=True)),
        "chegara_mutation_missed": sum(a and not t for a, t in zip(ours, truth, strict=True)),
        "peer_mutation_missed": sum(a and not t for a, t in zip(peer, truth, strict=True)),
        "specimens": len(spec_items),
        "chegara_specimens_correct": sum(a == b for a, b in zip(spec_ours, spec_truth,
                                                                strict=True)),
        "peer_specimens_correct": sum(a == b for a, b in zip(spec_peer, spec_truth, strict=True)),
        "peer": "mrz (PyPI) " + _peer_version(),
    }))  # fmt: skip


def _peer_version() -> str:
    from importlib.metadata import version

    return version("mrz")


if __name__ == "__main__":
    main()
