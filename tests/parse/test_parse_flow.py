"""The parse-match flow saves parsed matches and records every failure on the match."""

from __future__ import annotations

import time

import pytest

from tasks.replay import failures
from tasks.replay.save import matches_to_parse, parsed_match_save
from tasks.storage.schema import (
    MATCHES,
    PARSED_MATCHES,
    PLAYER_MATCHES,
    STAGE_FAILED,
    STAGE_PARSE_WAIT,
    STAGE_PARSED,
    player_match_id,
)
from tests.parse.conftest import BROKEN_MATCH_ID, BROKEN_SALT, GOOD_MATCH_ID, GOOD_SALT


def _waiting_match(db, match_id: int, salt: int, **extra) -> None:
    db[MATCHES].insert_one({"_id": match_id, "stage": STAGE_PARSE_WAIT, "cluster": 153,
                            "replay_salt": salt, "priority": 2, "start_time": 1700000000,
                            "duration": 27, **extra})  # fmt: skip


def test_saving_twice_keeps_one_parsed_document_and_flags_player_rows(db) -> None:
    _waiting_match(db, 10, 1)
    db[PLAYER_MATCHES].insert_one({"_id": player_match_id(10, 128), "match_id": 10,
                                   "player_slot": 128, "account_id": 5})  # fmt: skip
    document = {"version": 22, "players": [{"player_slot": 128, "times": [0]}], "chat": []}
    parsed_match_save(db, match_id=10, document=document)
    parsed_match_save(db, match_id=10, document=document)
    assert db[PARSED_MATCHES].count_documents({}) == 1
    stored = db[PARSED_MATCHES].find_one({"_id": 10})
    assert stored["start_time"] == 1700000000 and stored["players"][0]["times"] == [0]
    # The embedded server hands booleans set by $set back as 1; compare by truth.
    assert db[PLAYER_MATCHES].find_one({"_id": player_match_id(10, 128)})["parsed"]
    assert db[MATCHES].find_one({"_id": 10})["stage"] == STAGE_PARSED


def test_queue_skips_matches_whose_retry_time_has_not_come(db) -> None:
    now = time.time()
    _waiting_match(db, 1, 1)
    _waiting_match(db, 2, 1, parse_retry_at=now + 3600)
    _waiting_match(db, 3, 1, parse_retry_at=now - 3600)
    db[MATCHES].insert_one({"_id": 4, "stage": STAGE_PARSE_WAIT, "priority": 0})
    assert sorted(matches_to_parse(db, limit=10)) == [1, 3]


@pytest.mark.usefixtures("prefect_harness")
def test_parse_match_flow_saves_the_parsed_match(db, cdn) -> None:
    from flows.parse import parse_match

    _waiting_match(db, GOOD_MATCH_ID, GOOD_SALT)
    assert parse_match(GOOD_MATCH_ID) == "parsed"
    assert db[MATCHES].find_one({"_id": GOOD_MATCH_ID})["stage"] == STAGE_PARSED
    assert db[PARSED_MATCHES].find_one({"_id": GOOD_MATCH_ID})["replay"]["build_num"] == 9912


@pytest.mark.usefixtures("prefect_harness")
def test_parse_match_flow_fails_a_source1_replay_for_good(db, cdn) -> None:
    from flows.parse import parse_match

    _waiting_match(db, BROKEN_MATCH_ID, BROKEN_SALT)
    assert parse_match(BROKEN_MATCH_ID) == failures.SOURCE1_REPLAY
    match = db[MATCHES].find_one({"_id": BROKEN_MATCH_ID})
    assert (match["stage"], match["failed_stage"], match["stage_reason"]) == (
        STAGE_FAILED,
        "parse",
        failures.SOURCE1_REPLAY,
    )


@pytest.mark.usefixtures("prefect_harness")
def test_missing_replay_waits_then_becomes_unavailable(db, cdn, replay_config) -> None:
    from flows.parse import parse_match

    _waiting_match(db, GOOD_MATCH_ID, 4242)
    assert parse_match(GOOD_MATCH_ID) == failures.REPLAY_NOT_READY
    match = db[MATCHES].find_one({"_id": GOOD_MATCH_ID})
    assert match["stage"] == STAGE_PARSE_WAIT and match["parse_retry_at"] is not None
    since = time.time() - 3 * 3600
    db[MATCHES].update_one({"_id": GOOD_MATCH_ID}, {"$set": {"replay_missing_since": since}})
    assert parse_match(GOOD_MATCH_ID) == failures.REPLAY_UNAVAILABLE
    assert db[MATCHES].find_one({"_id": GOOD_MATCH_ID})["stage"] == STAGE_FAILED


@pytest.mark.usefixtures("prefect_harness")
def test_parse_queue_runs_every_waiting_match(db, cdn) -> None:
    from flows.parse import parse_queue

    _waiting_match(db, GOOD_MATCH_ID, GOOD_SALT)
    _waiting_match(db, BROKEN_MATCH_ID, BROKEN_SALT)
    assert parse_queue(limit=5) == {"parsed": 1, failures.SOURCE1_REPLAY: 1}
