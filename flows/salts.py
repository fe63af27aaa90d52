"""Replay-salt flows: hand waiting matches to hosts with GC quota, and fetch their salts there.

`salts-dispatch` runs anywhere: it asks each retriever for its quota and starts one
`salts-fetch` run per batch on that host's work pool (`retriever-<host>`). `salts-fetch`
runs on the host's worker and asks the retriever on the same host.
"""

from __future__ import annotations

import time
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.deployments import run_deployment

from tasks.failpoints import failpoint
from tasks.retriever.answers import OUTCOME_SALTED, salt_outcome
from tasks.retriever.client import (
    QuotaRefused,
    RetryableSaltError,
    match_details_fetch,
    retriever_stats,
)
from tasks.retriever.config import retriever_settings, work_pool_name
from tasks.retriever.matches import (
    salt_lease_release,
    salt_lease_take,
    salt_record,
    salt_wait_match_ids,
)
from tasks.retriever.routing import batches_plan, quota_left_by_host
from tasks.storage.mongo import database

FETCH_FLOW_NAME = "salts-fetch"


def retriever_url(host: str) -> str:
    """Where `host`'s retriever answers: configured, or this host's own on loopback."""
    config = retriever_settings()
    return config.retriever_hosts.get(host) or f"http://127.0.0.1:{config.retriever_port}"


def _retry_worthwhile(task: Any, task_run: Any, state: Any) -> bool:
    # Only passing failures are retried; a quota refusal goes back to the queue instead.
    error = state.data
    return isinstance(error, RetryableSaltError) and not isinstance(error, QuotaRefused)


@task(
    name="salt-fetch",
    retries=3,
    retry_delay_seconds=[30, 120, 600],
    retry_jitter_factor=0.2,
    retry_condition_fn=_retry_worthwhile,
    cache_policy=NO_CACHE,
)
def salt_fetch(match_id: int, url: str) -> str:
    """Ask the retriever for a match's salt and record the answer; returns the outcome."""
    details = match_details_fetch(url, match_id, retriever_settings().salt_http_timeout)
    outcome = salt_outcome(details)
    if outcome.outcome not in (OUTCOME_SALTED, "failed"):
        raise RetryableSaltError(f"match {match_id}: {outcome.reason}")
    failpoint("salts.before_record")
    salt_record(database(), match_id, outcome, details.get("account"))
    return outcome.reason or OUTCOME_SALTED


@flow(name=FETCH_FLOW_NAME, log_prints=False)
def salts_fetch(host: str, match_ids: list[int]) -> dict[str, int]:
    """Fetch the salts of one batch through this host's retriever."""
    logger = get_run_logger()
    config = retriever_settings()
    url = retriever_url(host)
    fetch = salt_fetch.with_options(
        retries=config.salt_retries, retry_delay_seconds=config.salt_retry_delays
    )
    counts: dict[str, int] = {}
    started = time.monotonic()
    for position, match_id in enumerate(match_ids):
        state = fetch(match_id, url, return_state=True)
        if state.is_completed():
            reason = state.result()
        else:
            error = state.data if isinstance(state.data, Exception) else None
            reason = "quota_refused" if isinstance(error, QuotaRefused) else "retry_later"
            salt_lease_release(database(), [match_id], reason=str(error or state.message))
            if reason == "quota_refused":
                left = match_ids[position + 1 :]
                salt_lease_release(database(), left, reason="quota_refused")
                counts[reason] = counts.get(reason, 0) + 1 + len(left)
                logger.warning(
                    "host %s out of quota; %d matches back in the queue", host, len(left) + 1
                )
                break
        counts[reason] = counts.get(reason, 0) + 1
    elapsed = time.monotonic() - started
    logger.info(
        "salts on %s: %d matches in %.1f s: %s",
        host,
        len(match_ids),
        elapsed,
        ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
    )
    rows = [{"outcome": key, "matches": value} for key, value in sorted(counts.items())]
    create_table_artifact(rows, key=f"salts-{_artifact_key(host)}", description=f"salts on {host}")
    return counts


def retriever_hosts_record(
    db: Any, stats: dict[str, dict[str, Any] | None], quota_left: dict[str, int]
) -> None:
    """Keep each host's last answer in `retriever_hosts`, which the status page shows."""
    now = time.time()
    for host, answer in stats.items():
        report = {
            "reachable": answer is not None,
            "quota_left": quota_left.get(host, 0),
            "checked_at": now,
        }
        if answer is not None:
            report["accounts_ready"] = answer.get("accounts_ready", 0)
            report["accounts_total"] = answer.get("accounts_total", 0)
        db["retriever_hosts"].update_one({"_id": host}, {"$set": report}, upsert=True)


@flow(name="salts-dispatch")
def salts_dispatch(limit: int = 500, wait_seconds: float = 0) -> list[dict[str, Any]]:
    """Send matches waiting for a salt, in batches, to the hosts with quota left."""
    logger = get_run_logger()
    config = retriever_settings()
    stats = {host: retriever_stats(url) for host, url in config.retriever_hosts.items()}
    quota_left = quota_left_by_host(stats)
    db = database()
    retriever_hosts_record(db, stats, quota_left)
    match_ids = salt_wait_match_ids(db, min(limit, sum(quota_left.values())))
    plan = batches_plan(match_ids, quota_left, config.salt_batch_size)
    runs = []
    for host, batch in plan:
        salt_lease_take(db, batch, host, config.salt_lease_seconds)
        try:
            flow_run = run_deployment(
                f"{FETCH_FLOW_NAME}/{work_pool_name(host)}",
                parameters={"host": host, "match_ids": batch},
                timeout=wait_seconds,
                tags=[work_pool_name(host)],
            )
        except Exception as error:
            salt_lease_release(db, batch, reason=f"dispatch failed: {type(error).__name__}")
            logger.warning("could not start a salt run on %s: %s", host, error)
            continue
        runs.append({"host": host, "matches": len(batch), "flow_run": str(flow_run.id)})
    logger.info(
        "salt dispatch: %d matches waiting in reach, %d batches to %s; quota left %s",
        len(match_ids),
        len(runs),
        sorted({run["host"] for run in runs}),
        quota_left,
    )
    create_table_artifact(
        [
            {"host": h, "quota_left": q, "reachable": stats[h] is not None}
            for h, q in quota_left.items()
        ],
        key="salts-dispatch",
        description="retriever quota seen by the dispatcher",
    )
    return runs


def _artifact_key(host: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in host.lower())
