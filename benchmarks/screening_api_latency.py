"""API latency of one screening under load from a second process on 127.0.0.1.

Starts `chegara serve` on a fresh home with the development watchlist
(../shared/data/screening/watchlist.csv, 20,150 entries) imported, then a separate load process
sends `POST /api/v1/screening/screen` requests with query names from queries.csv from several
threads for a fixed time. Each screening is recorded in the hit queue, as an officer's would be.
Prints one JSON line: requests, errors, throughput, p50/p90/p99 latency.

    python benchmarks/screening_api_latency.py [--seconds 20] [--threads 4]
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "screening"
CHEGARA = [sys.executable, "-m", "chegara"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return dict(json.loads(response.read()))


def _load(url: str, token: str, names: list[str], seconds: float, threads: int,
          queue: Any) -> None:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(offset: int) -> None:
        nonlocal errors
        i = offset
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                _post(url, {"name": names[i % len(names)]}, token)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
            except Exception:
                with lock:
                    errors += 1
            i += threads

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((latencies, errors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="chegara-bench-"))
    env = dict(os.environ, CHEGARA_HOME=str(home), CHEGARA_RATE_LIMIT_PER_MINUTE="1000000")
    env.pop("CHEGARA_DATABASE_URL", None)
    run = {"env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([*CHEGARA, "demo", "load"], **run)  # type: ignore[call-overload]
    subprocess.run([*CHEGARA, "watchlist", "import", str(DATA / "watchlist.csv"), "--list",  # type: ignore[call-overload]
                    "dev", "--format", "csv", "--agency", "KG-BS"], **run)
    port = _free_port()
    server = subprocess.Popen([*CHEGARA, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        token = _post(base + "/api/v1/auth/token", {"username": "border.officer",
                                                      "password": "Chegara-demo-2026"})["token"]
        with (DATA / "queries.csv").open(encoding="utf-8") as handle:
            names = [row["name"] for row in csv.DictReader(handle)]
        _post(base + "/api/v1/screening/screen", {"name": names[0]}, token)  # warm the index
        queue: Any = multiprocessing.Queue()
        loader = multiprocessing.Process(target=_load, args=(
            base + "/api/v1/screening/screen", token, names, args.seconds, args.threads, queue))
        loader.start()
        latencies, errors = queue.get()
        loader.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()

    def pct(p: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 2)

    print(json.dumps({
        "benchmark": "screening_api_latency", "machine": platform.machine(),
        "cpus": os.cpu_count(), "list_entries": 20150, "threads": args.threads,
        "seconds": args.seconds, "requests": len(latencies), "errors": errors,
        "requests_per_s": round(len(latencies) / args.seconds, 1),
        "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99),
        "mean_ms": round(1000 * statistics.fmean(latencies), 2) if latencies else None}))


if __name__ == "__main__":
    main()
