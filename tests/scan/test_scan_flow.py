"""The sequence-scan flow on real recorded pages, with a real Prefect server and MongoDB."""

from __future__ import annotations

import asyncio
import time

import pytest

from flows.scan import sequence_scan
from tasks.players.tracking import player_track
from tasks.scan.store import SEQUENCE_SCANNER, cursor_seq, lease_acquire
from tasks.storage.schema import (
    ANONYMOUS_ACCOUNT_ID,
    MATCHES,
    PLAYER_MATCHES,
    SCANNER,
    STAGE_SALT_WAIT,
)

pytestmark = pytest.mark.usefixtures("prefect_api")


def _track_first_known_players(db, matches, count):
    """Track the first known player of the first `count` matches that have one."""
    chosen = []
    for match in matches:
        known = [
            p["account_id"] for p in match["players"] if p["account_id"] != ANONYMOUS_ACCOUNT_ID
        ]
        if known:
            player_track(db, account_id=known[0], permanent=True)
            chosen.append(match["match_id"])
        if len(chosen) == count:
            return chosen
    raise AssertionError("not enough matches with known players")


def _state(db):
    """Everything a scan writes, without its timestamps."""
    matches = {
        d["_id"]: {k: v for k, v in d.items() if k != "first_seen"} for d in db[MATCHES].find()
    }
    rows = {d["_id"]: d for d in db[PLAYER_MATCHES].find()}
    return matches, rows, cursor_seq(db)


def test_the_cursor_moves_past_the_last_match_of_a_full_page_with_gaps(db, steam_api):
    first_page = steam_api.matches[:100]
    kept_ids = _track_first_known_players(db, first_page, 3)
    summary = sequence_scan(max_pages=1, start_seq=steam_api.seq_nums[0])
    # 100 matches span 185 seq numbers: the cursor follows the matches, not start + 100.
    assert summary.matches == 100
    assert cursor_seq(db) == first_page[-1]["match_seq_num"] + 1
    assert cursor_seq(db) != steam_api.seq_nums[0] + 100
    assert sorted(d["_id"] for d in db[MATCHES].find()) == sorted(kept_ids)


def test_kept_matches_wait_for_a_salt_and_get_rows_only_for_known_players(db, steam_api):
    kept_ids = _track_first_known_players(db, steam_api.matches, 2)
    sequence_scan(max_pages=1, start_seq=steam_api.seq_nums[0])
    for match_id in kept_ids:
        match = db[MATCHES].find_one({"_id": match_id})
        assert match["stage"] == STAGE_SALT_WAIT
        assert match["kept_reason"] == "tracked"
        known = [p for p in match["players"] if p["account_id"] != ANONYMOUS_ACCOUNT_ID]
        rows = list(db[PLAYER_MATCHES].find({"match_id": match_id}))
        assert sorted(r["account_id"] for r in rows) == sorted(p["account_id"] for p in known)


def test_a_short_page_means_caught_up_and_the_cursor_stops_after_its_last_match(db, steam_api_2019):
    # Starting at the second match leaves 99 matches in the recorded page.
    start = steam_api_2019.seq_nums[1]
    summary = sequence_scan(max_pages=5, start_seq=start, stop_when_caught_up=True)
    assert summary.pages == 1 and summary.matches == 99 and summary.caught_up
    assert cursor_seq(db) == steam_api_2019.seq_nums[-1] + 1


def test_an_empty_page_leaves_the_cursor_where_it_was(db, steam_api):
    past_the_end = steam_api.seq_nums[-1] + 1
    summary = sequence_scan(max_pages=3, start_seq=past_the_end, stop_when_caught_up=True)
    assert summary.pages == 1 and summary.matches == 0
    assert cursor_seq(db) == past_the_end


def test_rerunning_a_page_changes_nothing(db, steam_api):
    _track_first_known_players(db, steam_api.matches, 4)
    sequence_scan(max_pages=1, start_seq=steam_api.seq_nums[0])
    before = _state(db)
    db[SCANNER].update_one({"_id": SEQUENCE_SCANNER}, {"$set": {"next_seq": steam_api.seq_nums[0]}})
    summary = sequence_scan(max_pages=1)
    assert summary.matches_new == 0
    assert _state(db) == before


def test_a_match_further_along_keeps_its_stage_when_seen_again(db, steam_api):
    (match_id,) = _track_first_known_players(db, steam_api.matches, 1)
    sequence_scan(max_pages=1, start_seq=steam_api.seq_nums[0])
    db[MATCHES].update_one({"_id": match_id}, {"$set": {"stage": "parsed"}})
    db[SCANNER].update_one({"_id": SEQUENCE_SCANNER}, {"$set": {"next_seq": steam_api.seq_nums[0]}})
    sequence_scan(max_pages=1)
    assert db[MATCHES].find_one({"_id": match_id})["stage"] == "parsed"


def test_429s_and_a_500_during_a_run_are_retried_and_nothing_is_lost(db, steam_api):
    kept_ids = _track_first_known_players(db, steam_api.matches, 3)
    steam_api.fault_rate_limit(count=2)
    steam_api.fault_server_error(count=1)
    summary = sequence_scan(max_pages=5, start_seq=steam_api.seq_nums[0], stop_when_caught_up=True)
    assert summary.matches == len(steam_api.matches)
    league_ids = [m["match_id"] for m in steam_api.matches if m.get("leagueid")]
    assert sorted(d["_id"] for d in db[MATCHES].find()) == sorted(kept_ids + league_ids)


def test_a_malformed_page_fails_the_run_clearly_and_keeps_the_cursor(db, steam_api, monkeypatch):
    from tasks.config import settings

    steam_api.fault_malformed(count=100)
    start = steam_api.seq_nums[0]
    with pytest.raises(Exception, match="not JSON"):
        sequence_scan(max_pages=1, start_seq=start)
    assert cursor_seq(db) == start
    assert db[MATCHES].count_documents({}) == 0
    assert settings().steam_api_attempts * 3 == len(steam_api.requests)  # 1 try + 2 retries


def test_a_second_scan_does_not_run_while_the_first_holds_the_lease(db, steam_api):
    sequence_scan(max_pages=1, start_seq=steam_api.seq_nums[0])
    assert lease_acquire(db, owner="another-host:1:run", seconds=60, now=time.time())
    summary = sequence_scan(max_pages=1)
    assert summary.pages == 0
    assert "another scan holds the lease" in summary.stopped_because


def test_the_run_publishes_a_summary_artifact(db, steam_api):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    _track_first_known_players(db, steam_api.matches, 2)
    sequence_scan(max_pages=5, start_seq=steam_api.seq_nums[0], stop_when_caught_up=True)

    async def latest():
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(
                    key=ArtifactFilterKey(any_=["sequence-scan-summary"])
                ),
                limit=1,
                sort="CREATED_DESC",
            )

    (artifact,) = asyncio.run(latest())
    table = {row["what"]: row["count"] for row in _table(artifact.data)}
    assert table["matches seen"] == 101
    assert table["kept: tracked"] == 2
    assert table["dropped: untracked"] + table["dropped: anonymous_only"] == 98


def _table(data):
    import json

    return json.loads(data) if isinstance(data, str) else data
