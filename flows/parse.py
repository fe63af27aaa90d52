"""Prefect flows of the parse stage: one run per match, and a picker over the waiting queue."""

from __future__ import annotations

import time
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from tasks.failpoints import failpoint
from tasks.replay import failures
from tasks.replay.config import replay_settings
from tasks.replay.failures import ReplayFailure
from tasks.replay.parse import replay_parse
from tasks.replay.save import (
    match_parse_deferred,
    match_parse_failed,
    matches_to_parse,
    parsed_match_save,
)
from tasks.replay.stream import TransferCount, replay_download
from tasks.replay.url import replay_url
from tasks.storage.mongo import database
from tasks.storage.schema import MATCHES


def _retry_download(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only transient download failures; every other outcome is final for this run."""
    try:
        state.result()
    except ReplayFailure as failure:
        return failure.reason == failures.DOWNLOAD_FAILED
    except Exception:  # noqa: BLE001 - unknown errors are not retried blindly
        return False
    return False


@task(
    name="replay-fetch-parse",
    retries=replay_settings().replay_download_attempts - 1,
    retry_delay_seconds=replay_settings().replay_download_retry_delay,
    retry_condition_fn=_retry_download,
)
def replay_fetch_parse(match_id: int, cluster: int, replay_salt: int) -> dict[str, Any]:
    """Stream, decompress and parse one replay; the document and the step figures."""
    url = replay_url(match_id, cluster, replay_salt)
    run = replay_parse(replay_download(url, TransferCount()), match_id)
    get_run_logger().info(
        "parsed match %s: %s compressed -> %s bytes, stream %.2f s, parse %.2f s, rss %s MB",
        match_id, run.stats["compressed_bytes"], run.stats["dem_bytes"],
        run.stats["stream_seconds"], run.stats["parse_seconds"], run.stats["parser_peak_rss_mb"],
    )  # fmt: skip
    return {"document": run.document, "stats": run.stats, "url": url}


@task(name="parsed-match-save", cache_policy=NO_CACHE)
def parsed_match_store(match_id: int, document: dict[str, Any]) -> None:
    """Save the parsed document and mark the match parsed."""
    parsed_match_save(database(), match_id=match_id, document=document)


def _artifact(match_id: int, outcome: str, stats: dict[str, Any], detail: str = "") -> None:
    rows = "\n".join(f"| {key} | {value} |" for key, value in stats.items())
    create_markdown_artifact(
        key=f"parse-match-{match_id}",
        markdown=f"# Parse of match {match_id}\n\n**Outcome:** {outcome} {detail}\n\n"
        f"| step | value |\n|---|---|\n{rows}\n",
        description=f"parse of match {match_id}: {outcome}",
    )


@flow(name="parse-match", log_prints=False)
def parse_match(match_id: int) -> str:
    """Parse one match's replay and save it; returns the outcome (`parsed` or a reason)."""
    logger = get_run_logger()
    db = database()
    match = db[MATCHES].find_one({"_id": match_id})
    if match is None or match.get("replay_salt") is None or match.get("cluster") is None:
        logger.warning("match %s has no replay salt/cluster yet; nothing to parse", match_id)
        return "no_salt"
    now = time.time()
    try:
        result = replay_fetch_parse(match_id, match["cluster"], match["replay_salt"])
    except ReplayFailure as failure:
        return _failure_record(match, failure, now)
    failpoint("parse.before_save")
    parsed_match_store(match_id, result["document"])
    _artifact(match_id, "parsed", result["stats"])
    return "parsed"


def _failure_record(match: dict[str, Any], failure: ReplayFailure, now: float) -> str:
    cfg = replay_settings()
    logger = get_run_logger()
    db = database()
    match_id = match["_id"]
    stats = getattr(failure, "stats", {})
    if failure.reason == failures.REPLAY_NOT_READY:
        since = match.get("replay_missing_since") or now
        waited = now - since
        if waited < cfg.replay_missing_window:
            retry_at = now + cfg.replay_missing_retry_delay
            match_parse_deferred(
                db, match_id=match_id, reason=failure.reason, retry_at=retry_at,
                missing_since=since,
            )  # fmt: skip
            logger.info(
                "replay of match %s not found after %.0f s; retry in %.0f s",
                match_id, waited, cfg.replay_missing_retry_delay,
            )  # fmt: skip
            _artifact(match_id, "deferred", stats, f"({failure.reason}, waited {waited:.0f} s)")
            return failure.reason
        failure = ReplayFailure(failures.REPLAY_UNAVAILABLE, f"404 for {waited:.0f} s")
    if failure.retryable:
        retry_at = now + cfg.replay_missing_retry_delay
        match_parse_deferred(db, match_id=match_id, reason=failure.reason, retry_at=retry_at)
        logger.warning(
            "match %s: %s; retry at %s",
            match_id,
            failure,
            time.strftime("%H:%M:%S", time.gmtime(retry_at)),
        )
    else:
        match_parse_failed(db, match_id=match_id, reason=failure.reason, detail=failure.detail)
        logger.warning("match %s failed to parse: %s", match_id, failure)
    _artifact(match_id, "failed" if not failure.retryable else "deferred", stats, failure.reason)
    return failure.reason


@flow(name="parse-queue")
def parse_queue(limit: int = 20) -> dict[str, int]:
    """Parse up to `limit` matches waiting in stage parse_wait; counts by outcome."""
    logger = get_run_logger()
    match_ids = matches_to_parse(database(), limit=limit)
    outcomes: dict[str, int] = {}
    for match_id in match_ids:
        outcome = parse_match(match_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    logger.info("parse queue: %d matches picked, outcomes %s", len(match_ids), outcomes)
    rows = "\n".join(f"| {name} | {count} |" for name, count in sorted(outcomes.items()))
    create_markdown_artifact(
        key="parse-queue", markdown=f"| outcome | matches |\n|---|---|\n{rows}\n",
        description=f"{len(match_ids)} matches picked",
    )  # fmt: skip
    return outcomes
