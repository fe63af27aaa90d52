"""Sequence-range backfill, profile refresh and the tracked-set report on recorded data."""

from __future__ import annotations

import time

import pytest

from flows.backfill import profile_refresh, sequence_range_backfill, tracked_refresh
from flows.scan import sequence_scan
from tasks.players.ids import STEAMID64_BASE
from tasks.players.tracking import player_track
from tasks.storage.schema import ANONYMOUS_ACCOUNT_ID, MATCHES, PLAYERS

pytestmark = pytest.mark.usefixtures("prefect_api")


def _matches(db):
    return {d["_id"]: {k: v for k, v in d.items() if k != "first_seen"} for d in db[MATCHES].find()}


def test_a_range_backfill_inserts_exactly_the_matches_the_scan_missed(db, steam_api):
    known = [
        next(p["account_id"] for p in m["players"] if p["account_id"] != ANONYMOUS_ACCOUNT_ID)
        for m in steam_api.matches
        if any(p["account_id"] != ANONYMOUS_ACCOUNT_ID for p in m["players"])
    ]
    for account_id in known[:6]:
        player_track(db, account_id=account_id, permanent=True)
    sequence_scan(max_pages=5, start_seq=steam_api.seq_nums[0], stop_when_caught_up=True)
    complete = _matches(db)
    missed = sorted(complete)[:2]
    db[MATCHES].delete_many({"_id": {"$in": missed}})

    counts = sequence_range_backfill(steam_api.seq_nums[0], steam_api.seq_nums[-1] + 1)
    assert counts["inserted"] == 2
    assert counts["already_stored"] == len(complete) - 2
    assert _matches(db) == complete


def test_a_finished_range_is_not_read_again_unless_restarted(db, steam_api):
    sequence_range_backfill(steam_api.seq_nums[0], steam_api.seq_nums[5])
    steam_api.requests.clear()
    assert sequence_range_backfill(steam_api.seq_nums[0], steam_api.seq_nums[5]) == {}
    assert steam_api.requests == []
    counts = sequence_range_backfill(steam_api.seq_nums[0], steam_api.seq_nums[5], restart=True)
    assert counts["matches_seen"] == 5


def test_profiles_are_refreshed_and_absent_ones_marked_missing(db, steam_api):
    recorded = [int(steamid) - STEAMID64_BASE for steamid in steam_api.profiles]
    counts = profile_refresh(recorded + [11, 12])
    assert counts == {"updated": len(recorded), "missing": 2}
    player = db[PLAYERS].find_one({"_id": 120269134})
    assert player["personaname"] == "player-9134"
    assert player["profileurl"] == "https://example.invalid/profiles/120269134"
    assert db[PLAYERS].find_one({"_id": 11})["profile_missing"]


def test_profiles_are_asked_for_100_at_a_time(db, steam_api):
    profile_refresh(list(range(1, 251)))
    calls = [q for path, q in steam_api.requests if "GetPlayerSummaries" in path]
    assert [len(q["steamids"].split(",")) for q in calls] == [100, 100, 50]


def test_tracked_refresh_reports_who_came_and_went(db):
    now = time.time()
    player_track(db, account_id=1, now=now)
    player_track(db, account_id=2, now=now - 30 * 86400)
    db[PLAYERS].update_one({"_id": 2}, {"$set": {"tracked": True}})
    assert tracked_refresh() == {"tracked": 1, "added": 1, "removed": 1}
    assert tracked_refresh() == {"tracked": 1, "added": 0, "removed": 0}
