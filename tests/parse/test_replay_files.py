"""Every real replay file parses or fails with its own classified reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.replay import failures
from tasks.replay.failures import ReplayFailure
from tasks.replay.manta import manta_parse
from tasks.replay.parse import replay_parse
from tasks.replay.stream import TransferCount, file_chunks


def _parse(path: Path, match_id: int = 0):
    return replay_parse(file_chunks(path, TransferCount()), match_id)


def _reason(path: Path) -> str:
    with pytest.raises(ReplayFailure) as caught:
        _parse(path)
    return caught.value.reason


@pytest.mark.parametrize("name", ["client-bot-lobby-2024.server-path.dem",
                                  "client-bot-lobby-2024.server-path.dem.bz2"])  # fmt: skip
def test_server_replay_parses_with_its_real_header(replays_dir: Path, name: str) -> None:
    run = _parse(replays_dir / name)
    replay = run.document["replay"]
    assert replay["build_num"] == 9912
    assert replay["game_build"] == 9912
    assert replay["map_name"] == "start"
    assert replay["playback_ticks"] == 812
    assert replay["playback_time"] == pytest.approx(27.07, abs=0.01)
    assert run.stats["dem_bytes"] == 666800


def test_bot_lobby_recording_ends_before_the_horn_so_its_document_is_empty(
    replays_dir: Path,
) -> None:
    document = _parse(replays_dir / "client-bot-lobby-2024.server-path.dem.bz2").document
    # No player list in its footer, no hero snapshot before the horn, no chat in 27 s.
    assert document["players"] == []
    assert document["chat"] == []
    assert document["replay"]["combat_log_entries"] == 0
    assert document["replay"]["replay_match_id"] is None
    assert document["version"] == 22


def test_the_server_replay_holds_36_modifier_combat_log_entries(replays_dir: Path) -> None:
    raw = manta_parse(
        str(replays_dir / "client-bot-lobby-2024.server-path.dem"),
        {"combat_log": {}, "messages": {"filter": "CDemoFileInfo"}},
    )
    entries = raw["combat_log"]["entries"]
    assert len(entries) == 36
    assert {entry["type_name"] for entry in entries} == {
        "DOTA_COMBATLOG_MODIFIER_ADD",
        "DOTA_COMBATLOG_MODIFIER_REMOVE",
    }
    (file_info,) = raw["messages"]["messages"]
    assert file_info["data"]["playback_ticks"] == 812


@pytest.mark.parametrize("name", ["client-bot-lobby-2024.dem", "client-bot-lobby-2024.dem.bz2"])
def test_client_recording_is_refused_as_a_client_recording(replays_dir: Path, name: str) -> None:
    assert _reason(replays_dir / name) == failures.CLIENT_RECORDING


@pytest.mark.parametrize("name", ["source1-2013.dem", "source1-2013.dem.bz2"])
def test_source1_replay_is_classified_as_source1(replays_dir: Path, name: str) -> None:
    assert _reason(replays_dir / name) == failures.SOURCE1_REPLAY


def test_truncated_replay_is_classified_as_corrupt(replays_dir: Path) -> None:
    assert _reason(replays_dir / "truncated.dem") == failures.REPLAY_CORRUPT


def test_junk_file_is_classified_as_not_a_replay(replays_dir: Path) -> None:
    assert _reason(replays_dir / "not-a-replay.dem") == failures.NOT_A_REPLAY


def test_cut_bzip2_stream_is_classified_as_corrupt(replays_dir: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.dem.bz2"
    cut.write_bytes(
        (replays_dir / "client-bot-lobby-2024.server-path.dem.bz2").read_bytes()[:300_000]
    )
    assert _reason(cut) == failures.REPLAY_CORRUPT


def test_stdlib_decompressor_gives_the_same_result(replays_dir: Path, replay_config) -> None:
    replay_config.setenv("YASP_REPLAY_DECOMPRESSOR", "stdlib")
    run = _parse(replays_dir / "client-bot-lobby-2024.server-path.dem.bz2")
    assert run.stats["dem_bytes"] == 666800
    assert run.document["replay"]["build_num"] == 9912


def test_a_parse_that_overruns_its_time_is_stopped(replays_dir: Path, replay_config) -> None:
    replay_config.setenv("YASP_PARSE_TIMEOUT", "0.2")
    with pytest.raises(ReplayFailure) as caught:
        _parse(replays_dir / "client-bot-lobby-2024.server-path.dem.bz2")
    assert caught.value.reason == failures.PARSE_TIMEOUT


def test_an_oversized_replay_is_refused(replays_dir: Path, replay_config) -> None:
    replay_config.setenv("YASP_REPLAY_MAX_DEM_BYTES", "100000")
    assert _reason(replays_dir / "client-bot-lobby-2024.server-path.dem.bz2") == (
        failures.REPLAY_TOO_LARGE
    )
