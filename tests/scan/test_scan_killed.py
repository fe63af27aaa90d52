"""A scan worker killed between saving a page's matches and moving the cursor loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from flows.scan import sequence_scan
from tasks.config import REPO_ROOT, settings
from tasks.scan.selection import page_select
from tasks.scan.store import cursor_seq
from tasks.storage.schema import MATCHES, PLAYER_MATCHES, SCANNER

from .test_scan_flow import _state, _track_first_known_players

pytestmark = [pytest.mark.usefixtures("prefect_api"), pytest.mark.slow]


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_a_worker_killed_after_saving_and_before_moving_the_cursor_loses_and_duplicates_nothing(
    db, steam_api, prefect_api
):
    _track_first_known_players(db, steam_api.matches, 5)
    start = steam_api.seq_nums[0]
    first_page = steam_api.matches[:100]
    tracked = {d["_id"] for d in db["players"].find()}
    expected_kept = len(page_select(first_page, tracked=tracked, keep_leagues=True).kept)

    env = {
        **os.environ,
        "YASP_MONGO_URL": settings().mongo_url,
        "YASP_MONGO_DB": settings().mongo_db,
        "YASP_FAILPOINTS": "scan.after_save=sleep:120",
        "YASP_SCAN_LEASE_SECONDS": "2",
        "PREFECT_API_URL": prefect_api,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "scan", "--start-seq", str(start), "--pages", "5",
         "--stop-when-caught-up"],
        cwd=REPO_ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(
            lambda: (
                db[MATCHES].count_documents({}) == expected_kept
                and db[PLAYER_MATCHES].count_documents({}) > 0
            ),
            timeout=120,
            what="the worker to save the first page",
        )
        time.sleep(0.5)  # the worker is now asleep at the failpoint, after its saves
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    assert worker.returncode == -signal.SIGKILL
    assert cursor_seq(db) == start, "the cursor moved although the worker died before that step"

    time.sleep(2.1)  # the dead worker's lease runs out
    sequence_scan(max_pages=5, stop_when_caught_up=True)
    after_kill = _state(db)

    for name in (MATCHES, PLAYER_MATCHES, SCANNER):
        db[name].delete_many({})
    sequence_scan(max_pages=5, start_seq=start, stop_when_caught_up=True)
    undisturbed = _state(db)

    assert after_kill == undisturbed
    assert after_kill[2] == steam_api.seq_nums[-1] + 1
