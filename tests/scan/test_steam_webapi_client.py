"""The Steam Web API client against the loopback stand-in serving real recorded bodies."""

from __future__ import annotations

import json

import pytest

from standins.http import Reply
from tasks.config import settings
from tasks.steam_webapi.client import SteamWebApi
from tasks.steam_webapi.errors import ApiRejected, MalformedResponse, RateLimited, ServerError
from tasks.steam_webapi.sequence import sequence_page


def test_a_page_starts_at_the_first_match_at_or_after_the_requested_seq(steam_api):
    seqs = steam_api.seq_nums
    # The first number missing from the real page: no match was given that seq.
    gap_seq = next(seq for seq in range(seqs[0], seqs[-1]) if seq not in seqs)
    page = sequence_page(SteamWebApi(), gap_seq, 5)
    assert [m["match_seq_num"] for m in page] == [seq for seq in seqs if seq > gap_seq][:5]


def test_429_with_an_html_body_is_retried_with_backoff(steam_api):
    steam_api.fault_rate_limit(count=2)
    api = SteamWebApi()
    page = sequence_page(api, steam_api.seq_nums[0], 100)
    assert len(page) == 100
    assert api.retries == 2
    assert api.requests_sent == 3


def test_500_with_an_empty_object_body_is_retried(steam_api):
    steam_api.fault_server_error(count=1)
    api = SteamWebApi()
    assert len(sequence_page(api, steam_api.seq_nums[0], 10)) == 10
    assert api.retries == 1


def test_a_dropped_connection_is_retried(steam_api):
    steam_api.fault_drop(count=1)
    api = SteamWebApi()
    assert len(sequence_page(api, steam_api.seq_nums[0], 10)) == 10
    assert api.retries == 1


def test_429_that_never_ends_gives_up_with_a_rate_limit_error(steam_api):
    steam_api.fault_rate_limit(count=settings().steam_api_attempts)
    with pytest.raises(RateLimited, match="429"):
        sequence_page(SteamWebApi(), steam_api.seq_nums[0], 10)


def test_retry_after_sets_the_least_wait(steam_api):
    api = SteamWebApi()
    delay = api._backoff(1, RateLimited("429", retry_after=7))
    assert 7 <= delay <= 7 * 1.25


def test_a_body_that_is_not_json_is_a_clear_malformed_error(steam_api):
    steam_api.fault_malformed(count=settings().steam_api_attempts)
    with pytest.raises(MalformedResponse, match="not JSON"):
        sequence_page(SteamWebApi(), steam_api.seq_nums[0], 10)


def test_a_match_without_a_seq_num_is_a_malformed_page(steam_api, page_2019):
    broken = [dict(m) for m in page_2019[:3]]
    del broken[1]["match_seq_num"]
    body = json.dumps({"result": {"status": 1, "matches": broken}}).encode()
    steam_api.fault_add(Reply(200, body))
    with pytest.raises(MalformedResponse, match="match 1 has no integer `match_seq_num`"):
        sequence_page(SteamWebApi(), page_2019[0]["match_seq_num"], 10)


def test_a_status_other_than_1_is_refused_without_retry(steam_api, data_dir):
    body = (data_dir / "steam-webapi/errors/steamapi_status2_error_retrieving.json").read_bytes()
    steam_api.fault_add(Reply(200, body))
    api = SteamWebApi()
    with pytest.raises(ApiRejected, match="status 2: Error retrieving match data"):
        sequence_page(api, steam_api.seq_nums[0], 10)
    assert api.requests_sent == 1


def test_a_request_without_a_key_is_refused_with_403(steam_api, monkeypatch):
    monkeypatch.setenv("YASP_STEAM_API_KEYS", "")
    settings.cache_clear()
    api = SteamWebApi()
    with pytest.raises(ApiRejected, match="403"):
        sequence_page(api, steam_api.seq_nums[0], 10)
    assert api.requests_sent == 1


def test_keys_are_used_in_turn(steam_api):
    api = SteamWebApi()
    for _ in range(4):
        sequence_page(api, steam_api.seq_nums[0], 1)
    assert [query["key"] for _, query in steam_api.requests[-4:]] == [
        "test-key-1", "test-key-2", "test-key-1", "test-key-2",
    ]  # fmt: skip


def test_the_recorded_empty_page_is_an_empty_list(steam_api, data_dir):
    steam_api.fault_add(
        Reply(200, (data_dir / "steam-webapi/errors/sequence_empty_page.json").read_bytes())
    )
    assert sequence_page(SteamWebApi(), steam_api.seq_nums[0], 10) == []


def test_a_page_without_a_matches_key_is_an_empty_list(steam_api):
    steam_api.fault_add(Reply(200, b'{"result": {"status": 1}}'))
    assert sequence_page(SteamWebApi(), steam_api.seq_nums[0], 10) == []


def test_server_error_is_retryable_and_rejection_is_not():
    assert ServerError("x").retryable and RateLimited("x").retryable
    assert not ApiRejected("x").retryable


def test_the_api_key_never_appears_in_an_error_or_its_traceback(steam_api, monkeypatch):
    import traceback

    monkeypatch.setenv("YASP_STEAM_API_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("YASP_STEAM_API_KEYS", "SECRETKEY123")
    settings.cache_clear()
    with pytest.raises(ServerError) as raised:
        sequence_page(SteamWebApi(), 1, 10)
    text = "".join(traceback.format_exception(raised.value))
    assert "SECRETKEY123" not in text
