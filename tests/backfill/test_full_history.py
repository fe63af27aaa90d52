"""A player's full history on recorded GetMatchHistory pages and match details."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time

import pytest

from flows.backfill import full_history
from flows.scan import sequence_scan
from tasks.backfill.history import history_key
from tasks.backfill.progress import backfill_progress
from tasks.config import REPO_ROOT, settings
from tasks.players.tracking import player_track
from tasks.storage.schema import MATCHES, PLAYERS, STAGE_SALT_WAIT, STAGE_STORED

from .conftest import history_requests

pytestmark = pytest.mark.usefixtures("prefect_api")

SEVEN_MATCHES = 88367253  # 7 recorded history entries, none with full data recorded
ONE_FULL_MATCH = 44665364  # played 1381866957, whose full match data is recorded
FULL_MATCH_ID = 1381866957


def test_history_pages_until_nothing_remains(db, steam_api):
    counts = full_history(SEVEN_MATCHES, page_size=3)
    queries = history_requests(steam_api)
    assert [q.get("start_at_match_id") for q in queries] == [None, "338225401", "122442003"]
    assert counts["pages"] == 3
    # Valve's sequence API holds full data for none of these 2012-2013 matches here.
    assert counts["full_data_missing"] == 7 and counts.get("saved", 0) == 0
    assert backfill_progress(db, history_key(SEVEN_MATCHES))["done"]


def test_a_tracked_players_missing_match_is_saved_and_queued(db, steam_api):
    player_track(db, account_id=ONE_FULL_MATCH)
    counts = full_history(ONE_FULL_MATCH)
    assert counts["saved"] == 1
    match = db[MATCHES].find_one({"_id": FULL_MATCH_ID})
    assert match["stage"] == STAGE_SALT_WAIT and match["duration"] == 60


def test_an_untracked_players_match_is_stored_but_not_queued(db, steam_api):
    full_history(ONE_FULL_MATCH)
    assert db[MATCHES].find_one({"_id": FULL_MATCH_ID})["stage"] == STAGE_STORED


def test_a_match_the_scanner_saved_is_not_fetched_or_duplicated(db, steam_api):
    player_track(db, account_id=ONE_FULL_MATCH)
    sequence_scan(max_pages=1, start_seq=steam_api.seq_nums[0])
    before = db[MATCHES].find_one({"_id": FULL_MATCH_ID})
    db[MATCHES].update_one({"_id": FULL_MATCH_ID}, {"$set": {"stage": "parsed"}})
    sequence_requests = sum("Sequence" in path for path, _ in steam_api.requests)
    counts = full_history(ONE_FULL_MATCH)
    assert counts["already_stored"] == 1 and counts.get("saved", 0) == 0
    assert sum("Sequence" in path for path, _ in steam_api.requests) == sequence_requests
    assert db[MATCHES].count_documents({"_id": FULL_MATCH_ID}) == 1
    assert db[MATCHES].find_one({"_id": FULL_MATCH_ID})["stage"] == "parsed"
    assert before is not None


def test_valve_reaches_back_500_matches_and_the_backfill_stops_there(db, steam_api):
    real = steam_api.histories[SEVEN_MATCHES]
    entries = []
    for index in range(650):
        entry = copy.deepcopy(real[index % len(real)])
        entry["match_id"] = 5_000_000_000 - index
        entry.pop("match_seq_num", None)
        entries.append(entry)
    steam_api.history_add(123456, entries)
    counts = full_history(123456)
    assert len(history_requests(steam_api)) == 5
    assert counts["pages"] == 5
    assert counts["full_data_missing"] == 500


def test_a_private_history_is_recorded_and_stops_the_backfill(db, steam_api):
    steam_api.private_histories.add(SEVEN_MATCHES)
    counts = full_history(SEVEN_MATCHES)
    assert counts == {"private": 1}
    assert len(history_requests(steam_api)) == 1
    assert db[PLAYERS].find_one({"_id": SEVEN_MATCHES})["history_private"]
    assert backfill_progress(db, history_key(SEVEN_MATCHES))["private"]


def test_a_429_in_the_middle_is_retried_and_the_history_completes(db, steam_api):
    steam_api.fault_rate_limit(count=2)
    counts = full_history(SEVEN_MATCHES, page_size=3)
    assert counts["pages"] == 3
    assert sum(1 for q in history_requests(steam_api)) == 5  # 3 pages + 2 refused tries


@pytest.mark.slow
def test_a_killed_backfill_resumes_where_it_stopped(db, steam_api, prefect_api):
    env = {
        **os.environ,
        "YASP_MONGO_URL": settings().mongo_url,
        "YASP_MONGO_DB": settings().mongo_db,
        "YASP_FAILPOINTS": "backfill.history.after_save=sleep:120",
        "PREFECT_API_URL": prefect_api,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "history", str(SEVEN_MATCHES), "--page-size", "3"],
        cwd=REPO_ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not history_requests(steam_api):
            assert time.monotonic() < deadline, "the worker never asked for the history"
            time.sleep(0.1)
        time.sleep(1.0)  # asleep at the failpoint inside page 1
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        # Page 1 was not recorded as done, so it is read again; then pages 2 and 3.
        assert backfill_progress(db, history_key(SEVEN_MATCHES)) == {}
        steam_api.requests.clear()
        full_history(SEVEN_MATCHES, page_size=3)
        assert [q.get("start_at_match_id") for q in history_requests(steam_api)] == [
            None, "338225401", "122442003",
        ]  # fmt: skip
        # A run stopped after page 2 resumes at page 3.
        steam_api.requests.clear()
        full_history(SEVEN_MATCHES, page_size=3, restart=True)
        assert backfill_progress(db, history_key(SEVEN_MATCHES))["done"]
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
