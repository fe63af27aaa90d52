"""Daily GC quotas: per account and per host, rolling, and kept across restarts."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tasks.retriever.quota import QuotaExceeded, QuotaLedger


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def ledger_at(path: Path, clock: Clock, account_limit: int = 100, host_limit: int = 500):
    return QuotaLedger(
        path, account_limit=account_limit, host_limit=host_limit, window_seconds=86400, clock=clock
    )


def test_the_101st_request_of_an_account_is_refused_and_not_counted(tmp_path: Path) -> None:
    ledger = ledger_at(tmp_path / "q.sqlite", Clock())
    for _ in range(100):
        ledger.reserve("alice", "match_details")
    with pytest.raises(QuotaExceeded) as refused:
        ledger.reserve("alice", "match_details")
    assert refused.value.scope == "account"
    assert ledger.usage(["alice"]).account_used["alice"] == 100
    ledger.reserve("bob", "match_details")


def test_the_501st_request_of_a_host_is_refused_whatever_the_account(tmp_path: Path) -> None:
    ledger = ledger_at(tmp_path / "q.sqlite", Clock())
    for number in range(500):
        ledger.reserve(f"account-{number % 6}", "match_details")
    with pytest.raises(QuotaExceeded) as refused:
        ledger.reserve("fresh-account", "match_details")
    assert refused.value.scope == "host"


def test_the_rolling_window_frees_capacity_as_old_requests_age_out(tmp_path: Path) -> None:
    clock = Clock()
    ledger = ledger_at(tmp_path / "q.sqlite", clock, account_limit=3)
    for _ in range(2):
        ledger.reserve("alice", "match_details")
    clock.now += 12 * 3600
    ledger.reserve("alice", "match_details")
    with pytest.raises(QuotaExceeded):
        ledger.reserve("alice", "match_details")
    clock.now += 12 * 3600 + 1
    ledger.reserve("alice", "match_details")
    assert ledger.usage(["alice"]).account_used["alice"] == 2
    ledger.reserve("alice", "match_details")
    with pytest.raises(QuotaExceeded):
        ledger.reserve("alice", "match_details")


def test_a_released_reservation_gives_its_request_back(tmp_path: Path) -> None:
    ledger = ledger_at(tmp_path / "q.sqlite", Clock(), account_limit=1)
    reservation = ledger.reserve("alice", "match_details")
    ledger.release(reservation)
    ledger.reserve("alice", "match_details")


def _spend(url: str, requests: int) -> list[int]:
    with httpx.Client(base_url=url, timeout=10) as client:
        return [client.get(f"/match/{7490235544}").status_code for _ in range(requests)]


def test_an_account_quota_refuses_over_http_and_after_a_restart(retriever_start) -> None:
    retriever = retriever_start(accounts={"alice": "pw-Zx81-alice-secret"})
    assert set(_spend(retriever.url, 100)) == {200}
    refused = httpx.get(f"{retriever.url}/match/7490235544", timeout=10)
    assert refused.status_code == 429
    assert refused.json()["error"] == "quota_exceeded"
    assert refused.json()["scope"] == "account"

    retriever.stop()
    retriever.start()
    assert _spend(retriever.url, 1) == [429]
    stats = retriever.stats()
    assert stats["quota_left"] == 0
    assert stats["accounts"][0]["requests_in_window"] == 100
    assert stats["counts"]["sent"] == 0


def test_a_host_quota_refuses_the_501st_request_also_after_a_restart(retriever_start) -> None:
    accounts = {f"acct{n}": f"pw-host-{n}-secret" for n in range(6)}
    retriever = retriever_start(accounts=accounts)
    assert set(_spend(retriever.url, 500)) == {200}
    assert retriever.stats()["quota_left"] == 0
    assert _spend(retriever.url, 1) == [429]

    retriever.stop()
    retriever.start()
    answer = httpx.get(f"{retriever.url}/match/7490235544", timeout=10)
    assert answer.status_code == 429
    assert answer.json()["scope"] == "host"
    assert retriever.stats()["host_requests_in_window"] == 500
