"""What each recorded GC answer means for a match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from standins.gc import recorded_match_details, recorded_profile_cards
from tasks.config import settings
from tasks.retriever.answers import (
    OUTCOME_FAILED,
    OUTCOME_RETRY,
    OUTCOME_SALTED,
    gc_int,
    match_details_read,
    profile_card_read,
    salt_outcome,
)

DATA = Path(settings().data_dir)


def outcome_of(match_id: int, response: dict):
    return salt_outcome(match_details_read(match_id, response))


def test_a_protobufjs_answer_with_an_expired_replay_is_recorded_without_download() -> None:
    response = json.loads((DATA / "gc" / "odota_core_retriever_match_2024.json").read_text())
    outcome = outcome_of(1781962623, response)
    assert (outcome.outcome, outcome.reason) == (OUTCOME_FAILED, "replay_expired")
    assert (outcome.cluster, outcome.replay_salt) == (132, 1)
    assert outcome.replay_state == "REPLAY_EXPIRED"


def test_a_recorded_real_salt_is_a_salted_match() -> None:
    outcome = outcome_of(7490235544, recorded_match_details(DATA)[7490235544])
    assert outcome.outcome == OUTCOME_SALTED
    assert (outcome.cluster, outcome.replay_salt) == (153, 447089001)
    assert outcome.replay_state == "REPLAY_AVAILABLE"


def test_every_real_replay_url_in_the_recordings_gives_a_salted_match() -> None:
    answers = recorded_match_details(DATA)
    assert len(answers) >= 10
    salted = [outcome_of(m, r) for m, r in answers.items() if m != 1781962623]
    assert {o.outcome for o in salted} == {OUTCOME_SALTED}


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        ({"result": 15}, "gc_blocked"),
        ({"result": 2}, "gc_not_found"),
        ({"result": 1, "match": {"match_id": "5", "cluster": 132}}, "no_salt"),
        (
            {"result": 1, "match": {"cluster": 132, "replay_salt": 9, "replay_state": 1}},
            "replay_not_recorded",
        ),
        (
            {
                "result": 1,
                "match": {"cluster": 1, "replay_salt": 9, "replay_state": "REPLAY_NOT_RECORDED"},
            },
            "replay_not_recorded",
        ),
        (
            {"result": 1, "match": {"cluster": 1, "replay_salt": 9, "replay_state": 2}},
            "replay_expired",
        ),
    ],
)
def test_answers_that_must_never_be_retried_carry_their_reason(response: dict, reason: str) -> None:
    outcome = outcome_of(5, response)
    assert (outcome.outcome, outcome.reason) == (OUTCOME_FAILED, reason)


def test_an_unexpected_gc_result_is_worth_another_try() -> None:
    assert outcome_of(5, {"result": 3}).outcome == OUTCOME_RETRY


def test_uint64_values_arrive_as_strings_numbers_or_longs() -> None:
    assert gc_int("1781962623") == 1781962623
    assert gc_int({"low": 1, "high": 1, "unsigned": True}) == (1 << 32) + 1
    assert gc_int(None) is None


def test_profile_cards_of_every_recorded_era_give_rank_fields() -> None:
    cards = recorded_profile_cards(DATA)
    assert profile_card_read(120269134, cards[120269134])["rank_tier"] == 80
    assert profile_card_read(120269134, cards[120269134])["leaderboard_rank"] == 1476
    longs = json.loads((DATA / "gc" / "odota_core_retriever_player_2023_longs.json").read_text())
    assert profile_card_read(120269134, longs)["rank_tier"] == 80
    assert profile_card_read(88367253, cards[88367253])["rank_tier"] is None
