"""Replays stream from the replay host into the parser; HTTP trouble is classified."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from standins.replay_cdn import ReplayCdn
from tasks.replay import failures
from tasks.replay.failures import ReplayFailure
from tasks.replay.parse import replay_parse
from tasks.replay.stream import TransferCount, replay_available, replay_download
from tasks.replay.url import replay_path, replay_url
from tests.parse.conftest import BROKEN_MATCH_ID, BROKEN_SALT, GOOD_MATCH_ID, GOOD_SALT


def _fetch_parse(match_id: int, salt: int):
    count = TransferCount()
    run = replay_parse(replay_download(replay_url(match_id, 153, salt), count), match_id)
    return run, count


def test_replay_streams_from_the_host_and_parses(cdn: ReplayCdn) -> None:
    run, count = _fetch_parse(GOOD_MATCH_ID, GOOD_SALT)
    assert count.compressed_bytes == 521017
    assert run.stats["dem_bytes"] == 666800
    assert run.document["replay"]["build_num"] == 9912


def test_nothing_is_written_to_disk_while_streaming(
    cdn: ReplayCdn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    _fetch_parse(GOOD_MATCH_ID, GOOD_SALT)
    assert os.listdir(scratch) == []


def test_missing_replay_is_not_ready(cdn: ReplayCdn) -> None:
    with pytest.raises(ReplayFailure) as caught:
        _fetch_parse(GOOD_MATCH_ID, 777)
    assert caught.value.reason == failures.REPLAY_NOT_READY
    assert caught.value.retryable


def test_availability_check_sees_present_and_missing_replays(cdn: ReplayCdn) -> None:
    assert replay_available(replay_url(GOOD_MATCH_ID, 153, GOOD_SALT))
    cdn.behaviour.missing.add(replay_path(GOOD_MATCH_ID, GOOD_SALT))
    assert not replay_available(replay_url(GOOD_MATCH_ID, 153, GOOD_SALT))


def test_connection_dropped_mid_body_is_a_retryable_download_failure(cdn: ReplayCdn) -> None:
    cdn.behaviour.drop_after[replay_path(GOOD_MATCH_ID, GOOD_SALT)] = 200_000
    with pytest.raises(ReplayFailure) as caught:
        _fetch_parse(GOOD_MATCH_ID, GOOD_SALT)
    assert caught.value.reason == failures.DOWNLOAD_FAILED
    assert caught.value.retryable


def test_slow_body_still_parses(cdn: ReplayCdn) -> None:
    cdn.behaviour.slow_seconds_per_chunk[replay_path(GOOD_MATCH_ID, GOOD_SALT)] = 0.05
    run, _ = _fetch_parse(GOOD_MATCH_ID, GOOD_SALT)
    assert run.stats["stream_seconds"] >= 0.3


def test_body_slower_than_the_read_timeout_fails_as_a_download_failure(
    cdn: ReplayCdn, replay_config
) -> None:
    replay_config.setenv("YASP_REPLAY_READ_TIMEOUT", "0.2")
    cdn.behaviour.slow_seconds_per_chunk[replay_path(GOOD_MATCH_ID, GOOD_SALT)] = 1.0
    with pytest.raises(ReplayFailure) as caught:
        _fetch_parse(GOOD_MATCH_ID, GOOD_SALT)
    assert caught.value.reason == failures.DOWNLOAD_FAILED


def test_source1_replay_from_the_host_is_classified(cdn: ReplayCdn) -> None:
    with pytest.raises(ReplayFailure) as caught:
        _fetch_parse(BROKEN_MATCH_ID, BROKEN_SALT)
    assert caught.value.reason == failures.SOURCE1_REPLAY
