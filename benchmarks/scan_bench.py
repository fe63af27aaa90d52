"""What scanning one real 100-match sequence page costs us, next to Valve's pacing.

Prints, for the recorded 2019 page: the filter alone, filter + saves + cursor (first
sight of the page and a rerun), and the Prefect overhead of running a page as a task in a
flow, in ms per page and matches/s, with the share of Valve's ~5 s per page budget.
Uses the embedded MongoDB (or YASP_MONGO_URL) and a temporary Prefect server.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VALVE_PAGE_BUDGET_MS = 5000.0
ROUNDS = 20


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:8.2f} ms  p95 {_p95(samples) * 1000:8.2f} ms"


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="yasp-bench-"))
    os.environ.setdefault("YASP_HOME", str(home))
    os.environ.setdefault("PREFECT_HOME", str(home / "prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

    from standins.steam_webapi import SteamWebApiStandIn
    from tasks.config import settings
    from tasks.players.tracking import player_track
    from tasks.scan.page import TrackedSet, page_process, page_scan
    from tasks.scan.selection import page_select
    from tasks.scan.store import cursor_init
    from tasks.steam_webapi.client import SteamWebApi
    from tasks.storage.mongo import database, server_stop
    from tasks.storage.schema import ANONYMOUS_ACCOUNT_ID, MATCHES, PLAYER_MATCHES, SCANNER

    page_file = (
        settings().data_dir
        / "steam-webapi/GetMatchHistoryBySequenceNum/godoto_seq_page_100_2019.json"
    )
    page = json.loads(page_file.read_text())["result"]["matches"]
    start = page[0]["match_seq_num"]
    db = database()
    known = [
        p["account_id"]
        for m in page
        for p in m["players"]
        if p["account_id"] != ANONYMOUS_ACCOUNT_ID
    ]
    for account_id in known[::50]:  # about 10 tracked players on the page
        player_track(db, account_id=account_id, permanent=True)
    for account_id in range(1, 100_001, 10):  # and 10,000 other tracked players elsewhere
        db["players"].update_one(
            {"_id": account_id}, {"$set": {"tracked_permanent": True}}, upsert=True
        )
    tracked = TrackedSet().get(db, settings().tracked_days)
    config = settings()
    kept = len(page_select(page, tracked=tracked, keep_leagues=True).kept)

    def reset(clear_matches: bool) -> None:
        if clear_matches:
            db[MATCHES].delete_many({})
            db[PLAYER_MATCHES].delete_many({})
        db[SCANNER].delete_many({})
        cursor_init(db, start)

    filter_s = []
    for _ in range(ROUNDS * 10):
        t = time.perf_counter()
        page_select(page, tracked=tracked, keep_leagues=True)
        filter_s.append(time.perf_counter() - t)

    first_s, rerun_s = [], []
    for _ in range(ROUNDS):
        reset(clear_matches=True)
        first_s.append(page_process(db, config, start, page, tracked).process_s)
        reset(clear_matches=False)
        rerun_s.append(page_process(db, config, start, page, tracked).process_s)

    # Prefect overhead: the same fetch + process, direct and as a task inside a flow.
    with SteamWebApiStandIn([page_file]) as standin:
        os.environ.update(YASP_STEAM_API_URL=standin.url, YASP_STEAM_API_KEYS="bench")
        settings.cache_clear()
        from prefect import flow

        from flows.scan import scan_page

        api = SteamWebApi(settings())
        direct_s = []
        cached = TrackedSet()
        cached.get(db, settings().tracked_days)
        for _ in range(ROUNDS):
            reset(clear_matches=False)
            t = time.perf_counter()
            page_scan(db, api, settings(), start, cached)
            direct_s.append(time.perf_counter() - t)

        task_s: list[float] = []

        @flow(name="scan-benchmark")
        def bench_flow() -> None:
            scan_page(start)  # warm-up: the first task run also loads the tracked set
            for _ in range(ROUNDS):
                reset(clear_matches=False)
                t = time.perf_counter()
                scan_page(start)
                task_s.append(time.perf_counter() - t)

        bench_flow()

    per_page = statistics.median(first_s) * 1000
    overhead = (statistics.median(task_s) - statistics.median(direct_s)) * 1000
    print(f"\nreal sequence page: {len(page)} matches, {kept} kept, {len(tracked)} tracked players")
    rate = {name: len(page) / statistics.median(s) for name, s in (("f", filter_s), ("n", first_s))}
    print(f"  filter only              {_ms(filter_s)}  ({rate['f']:,.0f} matches/s)")
    print(f"  filter+save+cursor, new  {_ms(first_s)}  ({rate['n']:,.0f} matches/s)")
    print(f"  filter+save+cursor, again{_ms(rerun_s)}")
    print(f"  fetch+process, direct    {_ms(direct_s)}")
    print(f"  fetch+process, as task   {_ms(task_s)}")
    print(f"  Prefect overhead / page  {overhead:8.2f} ms")
    print(
        f"  share of Valve's {VALVE_PAGE_BUDGET_MS / 1000:.0f} s page budget: own processing "
        f"{per_page / VALVE_PAGE_BUDGET_MS:.2%}, Prefect {overhead / VALVE_PAGE_BUDGET_MS:.2%}"
    )
    server_stop()


if __name__ == "__main__":
    main()
