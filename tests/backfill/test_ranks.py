"""Rank refresh through real retriever processes answering from the recorded profile cards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from flows.ranks import rank_refresh
from tasks.backfill.progress import backfill_progress
from tasks.backfill.ranks import rank_key
from tasks.config import REPO_ROOT, settings
from tasks.players.tracking import player_track
from tasks.retriever.config import retriever_settings
from tasks.storage.schema import PLAYERS
from tests.retriever import conftest as retriever_fixtures

pytestmark = pytest.mark.usefixtures("prefect_api")

retriever_start = retriever_fixtures.retriever_start

RANKED = 120269134  # recorded card: rank_tier 80, leaderboard_rank 1476
LEGACY = 88367253  # recorded 2015 card, from before rank tiers: no rank


@pytest.fixture
def hosts(monkeypatch: pytest.MonkeyPatch):
    """Point the flows at the given retrievers, with retries that take no time."""

    def use(*retrievers) -> None:
        pairs = ",".join(f"{r.host}={r.url}" for r in retrievers)
        monkeypatch.setenv("YASP_RETRIEVER_HOSTS", pairs)
        monkeypatch.setenv("YASP_SALT_RETRY_DELAYS", "[0, 0, 0]")
        retriever_settings.cache_clear()

    yield use
    retriever_settings.cache_clear()


def _player(db, account_id: int) -> dict:
    return db[PLAYERS].find_one({"_id": account_id}) or {}


def test_ranks_are_read_through_a_retriever_and_stored_with_their_history(
    db, retriever_start, hosts
):
    alpha = retriever_start("alpha")
    hosts(alpha)
    assert rank_refresh([RANKED, LEGACY]) == {"changed": 1, "unchanged": 1}
    ranked = _player(db, RANKED)
    assert (ranked["rank_tier"], ranked["leaderboard_rank"]) == (80, 1476)
    assert isinstance(ranked["rank_updated_at"], float)
    assert ranked["rank_history"] == [
        {"time": ranked["rank_updated_at"], "rank_tier": 80, "leaderboard_rank": 1476}
    ]
    legacy = _player(db, LEGACY)
    assert legacy["rank_tier"] is None and "rank_history" not in legacy
    assert alpha.stats()["host_requests_in_window"] == 2  # one GC request per card


def test_tracked_players_are_refreshed_by_default(db, retriever_start, hosts):
    hosts(retriever_start("alpha"))
    player_track(db, account_id=RANKED, permanent=True)
    assert rank_refresh() == {"changed": 1}
    assert _player(db, RANKED)["rank_tier"] == 80


def test_history_grows_only_when_the_rank_changes(db, retriever_start, hosts):
    hosts(retriever_start("alpha"))
    before = {"time": 1.0e9, "rank_tier": 75, "leaderboard_rank": None}
    db[PLAYERS].insert_one({"_id": RANKED, "rank_tier": 75, "rank_history": [before]})
    rank_refresh([RANKED])
    first = _player(db, RANKED)
    assert [e["rank_tier"] for e in first["rank_history"]] == [75, 80]
    assert rank_refresh([RANKED]) == {"unchanged": 1}
    second = _player(db, RANKED)
    assert second["rank_history"] == first["rank_history"]
    assert second["rank_updated_at"] > first["rank_updated_at"]


def test_a_quota_refusal_sends_the_rest_to_another_host_without_asking_again(
    db, retriever_start, hosts
):
    # The first card (players go in id order) is slow on alpha; meanwhile the salt fetches
    # use up alpha's quota.
    alpha = retriever_start(
        "alpha", script={"matches": {"11": {"delay": 1.5}}},
        host_daily_limit=5, gc_timeout=5,
    )  # fmt: skip
    beta = retriever_start("beta", host_daily_limit=4)
    hosts(alpha, beta)
    spender = threading.Thread(target=_spend_when_busy, args=(alpha, 4), daemon=True)
    spender.start()
    counts = rank_refresh([RANKED, 11, 12, 13])
    spender.join(timeout=10)
    assert counts == {"changed": 1, "unchanged": 3, "refused": 1}
    assert alpha.stats()["counts"]["refused"] == 1  # the refused card was not retried there
    assert beta.stats()["host_requests_in_window"] == 3
    assert db[PLAYERS].count_documents({"rank_updated_at": {"$exists": True}}) == 4


def _spend_when_busy(retriever, requests: int) -> None:
    """Once the retriever is answering its first card, spend `requests` of its quota."""
    deadline = time.monotonic() + 30
    while retriever.stats()["counts"]["sent"] < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    for _ in range(requests):
        httpx.get(f"{retriever.url}/match/7490235544", timeout=10).raise_for_status()


def test_without_quota_the_round_stops_and_the_next_run_finishes_it(db, retriever_start, hosts):
    alpha = retriever_start("alpha", host_daily_limit=2)
    hosts(alpha)
    players = [RANKED, 11, 12]  # asked in id order: 11, 12, then RANKED
    assert rank_refresh(players) == {"unchanged": 2, "no_quota": 1}
    assert not backfill_progress(db, rank_key(players))["done"]
    asked = {p: _player(db, p).get("rank_updated_at") for p in players}
    hosts(alpha, retriever_start("beta"))
    assert rank_refresh(players) == {"changed": 1}
    assert all(_player(db, p)["rank_updated_at"] == asked[p] for p in (11, 12))
    assert backfill_progress(db, rank_key(players))["done"]
    # A finished round is followed by a new one that asks everyone again.
    assert sum(rank_refresh(players).values()) == 3


@pytest.mark.slow
def test_a_killed_refresh_resumes_without_asking_the_players_already_read(
    db, retriever_start, hosts, prefect_api
):
    alpha = retriever_start("alpha")
    hosts(alpha)
    players = [RANKED, 11, 12]  # asked in id order: 11 first
    env = {
        **os.environ,
        "YASP_MONGO_URL": settings().mongo_url,
        "YASP_MONGO_DB": settings().mongo_db,
        "YASP_FAILPOINTS": "ranks.after_save=sleep:120",
        "PREFECT_API_URL": prefect_api,
    }
    code = f"from flows.ranks import rank_refresh; rank_refresh({players!r})"
    worker = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while "rank_updated_at" not in _player(db, 11):
            assert worker.poll() is None, "the worker exited early"
            assert time.monotonic() < deadline, "the worker never stored a rank"
            time.sleep(0.1)
        time.sleep(0.5)  # asleep at the failpoint, after the first save
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        first = _player(db, 11)["rank_updated_at"]
        assert rank_refresh(players) == {"changed": 1, "unchanged": 1}
        assert _player(db, 11)["rank_updated_at"] == first
        assert alpha.stats()["host_requests_in_window"] == 3  # every card asked once
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
