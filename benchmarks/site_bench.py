"""Latency and throughput of the site's heaviest pages, served by gunicorn on loopback.

Seeds a player with 10,000 matches and imports the real parsed match, then prints p50/p95
latency of the player page and the parsed match page, and requests/s under concurrent load
from `wrk` (a second process) when it is installed.

Usage: .venv/bin/python benchmarks/site_bench.py [--requests 200] [--seconds 10]
Uses a fresh embedded MongoDB under a temporary YASP_HOME unless YASP_MONGO_URL is set.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_ACCOUNT_ID = 900_000_001
MATCH_COUNT = 10_000
PARSED_MATCH_ID = 7490235544


def _environment() -> dict[str, str]:
    work = Path(tempfile.mkdtemp(prefix="yasp-site-bench-"))
    env = {
        "YASP_HOME": os.environ.get("YASP_HOME", str(work / "home")),
        "YASP_MONGO_DB": "yasp_site_bench",
        "YASP_SITE_SQLITE": str(work / "site.sqlite3"),
        "YASP_SITE_STATIC_ROOT": str(work / "static"),
        "YASP_SITE_SECRET_KEY": "benchmark-only",
        "YASP_SITE_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "yasp_web.settings",
    }
    os.environ.update(env)
    return env


def data_seed() -> None:
    """Import the real parsed match and give one player 10,000 matches."""
    sys.path[:0] = [str(REPO / "site"), str(REPO)]
    from tasks.config import settings
    from tasks.opendota.importer import file_import
    from tasks.storage.mongo import database
    from tasks.storage.schema import PLAYER_MATCHES, PLAYERS, player_match_id

    db = database()
    for name in db.list_collection_names():
        db.drop_collection(name)
    data = settings().data_dir
    file_import(db=db, path=data / "opendota/7490235544_parsed.json")
    file_import(db=db, path=data / "steam-webapi/GetMatchDetails/odota_core_7490235544_api.json")
    rng = random.Random(7)
    rows = []
    for i in range(MATCH_COUNT):
        match_id, slot = 7_000_000_000 + i, rng.choice([0, 1, 2, 3, 4, 128, 129, 130, 131, 132])
        radiant_win = rng.random() < 0.5
        rows.append({
            "_id": player_match_id(match_id, slot), "account_id": BENCH_ACCOUNT_ID,
            "match_id": match_id, "player_slot": slot, "hero_id": rng.randint(1, 130),
            "start_time": 1_600_000_000 + i * 3_000, "duration": rng.randint(900, 4000),
            "game_mode": rng.choice([1, 22, 23]), "lobby_type": rng.choice([0, 7]),
            "radiant_win": radiant_win, "win": (slot < 128) == radiant_win,
            "kills": rng.randint(0, 25), "deaths": rng.randint(0, 15),
            "assists": rng.randint(0, 30), "last_hits": rng.randint(0, 600),
            "denies": rng.randint(0, 40), "gold_per_min": rng.randint(200, 900),
            "xp_per_min": rng.randint(200, 1000), "hero_damage": rng.randint(0, 60000),
            "tower_damage": rng.randint(0, 20000), "hero_healing": rng.randint(0, 10000),
            "leaver_status": 0,
        })  # fmt: skip
    db[PLAYER_MATCHES].insert_many(rows)
    db[PLAYERS].replace_one(
        {"_id": BENCH_ACCOUNT_ID},
        {"_id": BENCH_ACCOUNT_ID, "personaname": "benchmark player", "rank_tier": 55},
        upsert=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _latencies(port: int, path: str, count: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        timings.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
    connection.close()
    return timings


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description="Site latency and load benchmark")
    parser.add_argument("--requests", type=int, default=200, help="sequential requests a page")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration a page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()
    env = _environment()
    started = time.perf_counter()
    data_seed()
    print(f"seeded {MATCH_COUNT} matches in {time.perf_counter() - started:.1f} s")
    from tasks.storage.mongo import mongo_url

    env["YASP_MONGO_URL"] = mongo_url()
    manage = [sys.executable, str(REPO / "site" / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env={**os.environ, **env})
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], check=True,
                   env={**os.environ, **env})  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--chdir", str(REPO / "site"), "--workers",
         str(args.workers), "--bind", f"127.0.0.1:{port}", "yasp_web.wsgi"],
        env={**os.environ, **env, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    try:
        _wait_for(port)
        pages = {
            f"player page ({MATCH_COUNT} matches)": f"/players/{BENCH_ACCOUNT_ID}/",
            "player matches, filtered": f"/players/{BENCH_ACCOUNT_ID}/matches/?game_mode=22&win=1",
            "parsed match page": f"/matches/{PARSED_MATCH_ID}/",
        }
        print(f"\n{'page':40} {'p50 ms':>8} {'p95 ms':>8}   (n={args.requests}, sequential)")
        for label, path in pages.items():
            _latencies(port, path, 3)
            timings = _latencies(port, path, args.requests)
            p50, p95 = statistics.median(timings), _percentile(timings, 0.95)
            print(f"{label:40} {p50:8.1f} {p95:8.1f}")
        wrk = shutil.which("wrk")
        if wrk is None:
            print("\nwrk not installed (apt-get install wrk): no load test")
            return
        print(f"\nload: wrk -t2 -c8 -d{args.seconds}s, gunicorn {args.workers} workers")
        for label, path in pages.items():
            out = subprocess.run(
                [wrk, "-t2", "-c8", f"-d{args.seconds}s", "--latency",
                 f"http://127.0.0.1:{port}{path}"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            rps = next(line for line in out.splitlines() if "Requests/sec" in line).split()[-1]
            p50 = next(
                (ln.split()[-1] for ln in out.splitlines() if ln.strip().startswith("50%")), "?"
            )
            errors = [ln.strip() for ln in out.splitlines() if "Non-2xx" in ln or "errors" in ln]
            print(f"{label:40} {rps:>10} req/s  p50 {p50}  {' '.join(errors)}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            _latencies(port, "/status/", 1)
            return
        except (OSError, RuntimeError, http.client.HTTPException):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


if __name__ == "__main__":
    main()
