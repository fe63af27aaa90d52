"""Routing: batches go through Prefect workers to hosts with quota, never to one without."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from flows.salts import salts_dispatch, salts_fetch
from tasks.retriever.config import work_pool_name
from tasks.retriever.routing import batches_plan, quota_left_by_host
from tasks.storage.schema import MATCHES
from tests.retriever.conftest import REPO_ROOT, matches_insert


def test_batches_fill_the_host_with_most_quota_and_skip_exhausted_hosts() -> None:
    plan = batches_plan(list(range(12)), {"alpha": 7, "beta": 0, "gamma": 3}, batch_size=4)
    assert plan == [("alpha", [0, 1, 2, 3]), ("alpha", [4, 5, 6]), ("gamma", [7, 8, 9])]
    assert sum(len(batch) for _, batch in plan) == 10


def test_a_host_that_is_down_or_has_no_ready_account_has_no_quota() -> None:
    stats = {
        "a": None,
        "b": {"accounts_ready": 0, "quota_left": 50},
        "c": {"accounts_ready": 1, "quota_left": 5},
    }
    assert quota_left_by_host(stats) == {"a": 0, "b": 0, "c": 5}


@pytest.fixture
def workers(prefect_api: str, mongo_url: str, tmp_path: Path) -> Iterator[callable]:
    """Start real `prefect worker` processes on loopback, one per retriever pool."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    started: list[subprocess.Popen] = []

    def start(hosts: dict[str, str]) -> None:
        with get_client(sync_client=True) as client:
            for host in hosts:
                try:
                    client.create_work_pool(
                        WorkPoolCreate(name=work_pool_name(host), type="process")
                    )
                except ObjectAlreadyExists:
                    pass
        for host in hosts:
            flow = salts_fetch.from_source(
                source=str(REPO_ROOT), entrypoint="flows/salts.py:salts_fetch"
            )
            flow.deploy(
                name=work_pool_name(host),
                work_pool_name=work_pool_name(host),
                print_next_steps=False,
            )
        env = dict(os.environ)
        env.update(
            PREFECT_API_URL=prefect_api,
            PREFECT_WORKER_QUERY_SECONDS="1",
            PYTHONPATH=str(REPO_ROOT),
            YASP_RETRIEVER_HOSTS=",".join(f"{h}={u}" for h, u in hosts.items()),
            YASP_SALT_RETRY_DELAYS="[0, 0, 0]",
        )
        for host in hosts:
            log = open(tmp_path / f"worker-{host}.log", "wb")
            started.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "prefect",
                        "worker",
                        "start",
                        "--pool",
                        work_pool_name(host),
                        "--type",
                        "process",
                    ],
                    cwd=REPO_ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )

    yield start
    for worker in started:
        worker.terminate()
    for worker in started:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_a_batch_lands_on_the_host_with_quota_and_never_on_the_one_without(
    db, prefect_api, retriever_start, salt_settings, workers
) -> None:
    alpha = retriever_start("alpha", script={"default": "like:7490235544"})
    beta = retriever_start(
        "beta",
        accounts={"carol": "pw-Lk55-carol-secret"},
        account_daily_limit=1,
        script={"default": "like:7490235544"},
    )
    assert beta.stats()["quota_left"] == 1
    assert httpx.get(f"{beta.url}/match/7490235544", timeout=10).status_code == 200
    assert beta.stats()["quota_left"] == 0
    hosts = {"alpha": alpha.url, "beta": beta.url}
    salt_settings(
        retriever_hosts=",".join(f"{h}={u}" for h, u in hosts.items()), salt_batch_size=10
    )
    workers(hosts)
    match_ids = list(range(5000, 5025))
    matches_insert(db, match_ids)

    started = time.monotonic()
    runs = salts_dispatch(limit=100, wait_seconds=240)
    elapsed = time.monotonic() - started

    assert {run["host"] for run in runs} == {"alpha"}
    assert sum(run["matches"] for run in runs) == 25
    docs = list(db[MATCHES].find({"_id": {"$in": match_ids}}))
    assert {d["stage"] for d in docs} == {"parse_wait"}, elapsed
    assert {d["salt_host"] for d in docs} == {"alpha"}
    assert {d["salt_account"] for d in docs} <= {"alice", "bob"}
    assert alpha.stats()["host_requests_in_window"] == 25
    assert beta.stats()["counts"]["sent"] == 1
    _assert_no_run_on_pool(work_pool_name("beta"))


def _assert_no_run_on_pool(pool: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import WorkPoolFilter, WorkPoolFilterName

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            work_pool_filter=WorkPoolFilter(name=WorkPoolFilterName(any_=[pool]))
        )
    assert runs == []
