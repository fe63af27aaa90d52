"""The OpenDota fallback against a loopback OpenDota serving the recorded matches."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from flows.opendota_fallback import opendota_fallback
from standins.opendota import OpenDotaStandIn
from tasks.backfill.opendota import opendota_api, opendota_settings
from tasks.storage.schema import MATCHES, PARSED_MATCHES, PLAYER_MATCHES, STAGE_FAILED

pytestmark = pytest.mark.usefixtures("prefect_api")

PARSED_MATCH_ID = 7490235544  # OpenDota holds its parsed data
UNPARSED_MATCH_ID = 8821954344  # OpenDota never parsed it (od_data.has_parsed false)
UNKNOWN_MATCH_ID = 1234


@pytest.fixture
def opendota(data_dir, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenDotaStandIn]:
    """OpenDota on loopback, unpaced, with retries and 429 waits that take no time."""
    server = OpenDotaStandIn(data_dir).start()
    monkeypatch.setenv("YASP_OPENDOTA_URL", server.url)
    monkeypatch.setenv("YASP_OPENDOTA_REQUESTS_PER_MINUTE", "0")
    monkeypatch.setenv("YASP_OPENDOTA_RETRY_DELAYS", "0,0")
    monkeypatch.setenv("YASP_OPENDOTA_BACKOFF", "0.01")
    _reconfigure()
    yield server
    server.stop()
    _reconfigure()


def _reconfigure() -> None:
    opendota_settings.cache_clear()
    opendota_api.cache_clear()


def _failed(db, match_id: int, failed_stage: str, reason: str, data_dir=None) -> None:
    """A match stopped as the salt or parse stage leaves it, with Valve's data when recorded."""
    match = {"match_id": match_id, "players": []}
    if data_dir is not None:
        path = data_dir / "steam-webapi/GetMatchDetails/odota_core_7490235544_api.json"
        match = json.loads(path.read_text())
    db[MATCHES].insert_one(
        {**match, "_id": match_id, "stage": STAGE_FAILED, "failed_stage": failed_stage,
         "stage_reason": reason, "priority": 2}
    )  # fmt: skip


def test_a_match_whose_replay_expired_gets_opendotas_parsed_data(db, opendota, data_dir):
    _failed(db, PARSED_MATCH_ID, "parse", "replay_unavailable", data_dir)
    assert opendota_fallback() == {"imported": 1}
    parsed = db[PARSED_MATCHES].find_one({"_id": PARSED_MATCH_ID})
    assert parsed["source"] == "opendota" and parsed["version"] == 21
    assert len(parsed["players"][0]["gold_t"]) == 46 and len(parsed["chat"]) == 83
    match = db[MATCHES].find_one({"_id": PARSED_MATCH_ID})
    assert match["stage"] == "parsed" and "failed_stage" not in match
    assert match["opendota_reason"] == "imported"
    assert isinstance(match["opendota_checked_at"], float)
    assert db[PLAYER_MATCHES].count_documents({"match_id": PARSED_MATCH_ID}) == 10


def test_a_match_opendota_never_parsed_is_recorded_and_not_imported(db, opendota):
    _failed(db, UNPARSED_MATCH_ID, "salt", "replay_expired")
    assert opendota_fallback() == {"opendota_not_parsed": 1}
    match = db[MATCHES].find_one({"_id": UNPARSED_MATCH_ID})
    assert match["stage"] == STAGE_FAILED and match["opendota_reason"] == "opendota_not_parsed"
    assert isinstance(match["opendota_checked_at"], float)
    assert match["players"] == [] and "source" not in match  # OpenDota's copy not taken
    assert db[PARSED_MATCHES].count_documents({}) == 0


def test_a_match_opendota_does_not_know_is_recorded_as_not_found(db, opendota):
    _failed(db, UNKNOWN_MATCH_ID, "parse", "replay_unavailable")
    assert opendota_fallback() == {"opendota_not_found": 1}
    assert db[MATCHES].find_one({"_id": UNKNOWN_MATCH_ID})["opendota_reason"] == (
        "opendota_not_found"
    )


def test_matches_that_failed_for_other_reasons_are_not_asked_about(db, opendota):
    _failed(db, PARSED_MATCH_ID, "parse", "replay_corrupt")
    _failed(db, UNPARSED_MATCH_ID, "salt", "gc_not_found")
    _failed(db, UNKNOWN_MATCH_ID, "salt", "replay_not_recorded")
    assert opendota_fallback() == {}
    assert opendota.requests == []


def test_a_429_is_waited_out_and_the_match_then_imported(db, opendota, data_dir):
    _failed(db, PARSED_MATCH_ID, "parse", "replay_unavailable", data_dir)
    opendota.rate_limit(count=2, retry_after=0)
    assert opendota_fallback() == {"imported": 1}
    assert opendota.match_requests() == [PARSED_MATCH_ID] * 3


def test_a_run_rate_limited_throughout_stops_and_the_next_run_resumes(
    db, opendota, monkeypatch, data_dir
):
    monkeypatch.setenv("YASP_OPENDOTA_RATE_LIMIT_ATTEMPTS", "2")
    _reconfigure()
    _failed(db, PARSED_MATCH_ID, "parse", "replay_unavailable", data_dir)
    _failed(db, UNPARSED_MATCH_ID, "salt", "replay_expired")
    opendota.rate_limit(count=3, retry_after=0)
    assert opendota_fallback() == {"left_for_next_run": 2}
    assert len(opendota.requests) == 3  # one try and two waits, then the run stopped
    assert db[MATCHES].count_documents({"opendota_checked_at": {"$exists": True}}) == 0
    assert opendota_fallback() == {"imported": 1, "opendota_not_parsed": 1}


def test_data_parsed_from_our_replay_is_never_replaced(db, opendota):
    ours = {"_id": PARSED_MATCH_ID, "match_id": PARSED_MATCH_ID, "source": "replay",
            "version": 22, "players": []}  # fmt: skip
    db[PARSED_MATCHES].insert_one(ours)
    _failed(db, PARSED_MATCH_ID, "parse", "replay_unavailable")
    assert opendota_fallback() == {"replay_parsed": 1}
    assert db[PARSED_MATCHES].find_one({"_id": PARSED_MATCH_ID}) == ours
    assert opendota.requests == []


def test_a_second_run_asks_nothing_and_a_recheck_changes_nothing(db, opendota, data_dir):
    _failed(db, PARSED_MATCH_ID, "parse", "replay_unavailable", data_dir)
    _failed(db, UNPARSED_MATCH_ID, "salt", "replay_expired")
    opendota_fallback()
    stored = _snapshot(db)
    opendota.requests.clear()
    assert opendota_fallback() == {}
    assert opendota.requests == []
    # Asked again once the recheck delay passed, the unparsed match stays as it was.
    assert opendota_fallback(recheck_days=0) == {"opendota_not_parsed": 1}
    assert opendota.match_requests() == [UNPARSED_MATCH_ID]
    assert _snapshot(db) == stored


def test_requests_are_spaced_by_the_configured_rate(db, opendota, monkeypatch):
    monkeypatch.setenv("YASP_OPENDOTA_REQUESTS_PER_MINUTE", "240")
    _reconfigure()
    for match_id in (11, 12, 13):
        _failed(db, match_id, "parse", "replay_unavailable")
    opendota_fallback()
    times = opendota.request_times
    assert len(times) == 3
    assert all(later - earlier >= 0.24 for earlier, later in zip(times, times[1:], strict=False))


def test_the_api_key_is_sent_when_configured(db, opendota, monkeypatch):
    monkeypatch.setenv("YASP_OPENDOTA_API_KEY", "od-test-key")
    _reconfigure()
    _failed(db, UNKNOWN_MATCH_ID, "parse", "replay_unavailable")
    opendota_fallback()
    assert [query.get("api_key") for _, query in opendota.requests] == ["od-test-key"]


def _snapshot(db) -> dict:
    """Every stored document, without the times a check or an import refreshes."""
    volatile = {"opendota_checked_at", "updated_at", "imported_at"}
    return {
        name: sorted(
            ({k: v for k, v in doc.items() if k not in volatile} for doc in db[name].find()),
            key=lambda doc: str(doc["_id"]),
        )
        for name in (MATCHES, PARSED_MATCHES, PLAYER_MATCHES)
    }
