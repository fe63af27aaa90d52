"""Two retriever hosts, each its own process, address, quota and pool; one is killed midway."""

from __future__ import annotations

import time

import httpx
import pytest

from infra.local.run import demo_start, deployment_run, final_states, pipeline_wait
from infra.local.stack import RetrieverHost
from tasks.storage.mongo import database
from tasks.storage.schema import MATCHES, STAGE_SALT_WAIT

from .conftest import EXPECTED, first_seq, kill_hard

pytestmark = pytest.mark.slow

# Matches the GC does not know: beta answers each slowly, so it can be killed mid-batch.
SLOW = tuple((match_id, "recorded", 3.0) for match_id, (_, why) in EXPECTED.items()
             if why == "gc_not_found")  # fmt: skip
ALPHA_LIMIT = 3


def _gc_requests(url: str) -> int:
    """GC requests the host's retriever counted in its rolling window."""
    stats = httpx.get(f"{url}/health", timeout=10, trust_env=False).json()
    return stats["host_requests_in_window"]


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def test_batches_follow_quota_and_a_killed_host_loses_no_match(stack_factory):
    stack = stack_factory(
        retrievers=(
            RetrieverHost("alpha", bind="127.0.0.2", host_daily_limit=ALPHA_LIMIT),
            RetrieverHost("beta", bind="127.0.0.3", host_daily_limit=100, gc_matches=SLOW),
        ),
        settings_extra={"YASP_SALT_BATCH_SIZE": "2"},
    )
    db = database()
    demo_start(stack, db, first_seq(stack))

    # beta has the most quota, so the dispatcher sends it the first batches.
    beta_done = {"salt_host": "beta", "stage": {"$ne": STAGE_SALT_WAIT}}
    _wait(lambda: db[MATCHES].count_documents(beta_done) > 0, 300, "beta to salt a match")
    kill_hard(stack, "retriever-beta")

    # With beta down, its unfinished batch comes back and only alpha, within its quota, works.
    deployment_run(stack, "salts-dispatch/dispatch")
    _wait(lambda: _gc_requests(stack.retriever_urls["alpha"]) >= 1, 300, "alpha to get work")
    time.sleep(10)
    assert _gc_requests(stack.retriever_urls["alpha"]) <= ALPHA_LIMIT
    assert db[MATCHES].count_documents({}) == len(EXPECTED), "a match went missing"

    stack.retriever_start("beta")
    deployment_run(stack, "salts-dispatch/dispatch")
    assert pipeline_wait(stack, db, timeout=600)
    deployment_run(stack, "opendota-fallback/fallback")
    assert pipeline_wait(stack, db, timeout=300)
    assert final_states(db) == EXPECTED
    assert _gc_requests(stack.retriever_urls["alpha"]) <= ALPHA_LIMIT
