"""opendota-fallback: OpenDota's parsed data for matches whose replay expired before our parse."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE

from tasks.backfill.opendota import (
    OpenDotaRateLimited,
    OpenDotaUnavailable,
    fallback_match_ids,
    match_fallback,
    opendota_api,
    opendota_settings,
)
from tasks.storage.mongo import database


def _retry_passing(task: Any, task_run: Any, state: Any) -> bool:
    # A run that OpenDota keeps rate limiting stops instead of retrying.
    return isinstance(state.result(raise_on_failure=False), OpenDotaUnavailable)


# Retries default to 3 (10 s, 60 s, 300 s); `YASP_OPENDOTA_RETRY_DELAYS` changes them per run.
@task(name="opendota-match", task_run_name="opendota-match-{match_id}", retries=3,
      retry_delay_seconds=[10, 60, 300], retry_condition_fn=_retry_passing,
      cache_policy=NO_CACHE)  # fmt: skip
def opendota_match(match_id: int) -> str:
    """Ask OpenDota for one match and import its parsed data if it has any."""
    return match_fallback(database(), opendota_api(), match_id, now=time.time())


@flow(name="opendota-fallback")
def opendota_fallback(limit: int = 100, recheck_days: float = 7.0) -> dict:
    """Fill in parsed data from OpenDota for matches whose replay was unavailable or expired.

    Args:
        limit: matches asked for in this run (OpenDota's free tier allows 2000 calls a day).
        recheck_days: ask again about a match OpenDota had not parsed after this many days.
    """
    logger = get_run_logger()
    db = database()
    delays = opendota_settings().opendota_retry_delays
    fetch = opendota_match.with_options(retries=len(delays), retry_delay_seconds=delays)
    match_ids = fallback_match_ids(
        db, limit=limit, checked_before=time.time() - recheck_days * 86400
    )
    logger.info("OpenDota fallback: %d matches without a replay to ask about", len(match_ids))
    progress_id = create_progress_artifact(
        0.0 if match_ids else 100.0, description=f"OpenDota fallback of {len(match_ids)} matches"
    )
    counts: Counter = Counter()
    for position, match_id in enumerate(match_ids, start=1):
        state = fetch(match_id, return_state=True)
        if state.is_completed():
            counts[state.result()] += 1
        else:
            error = state.result(raise_on_failure=False)
            if isinstance(error, OpenDotaRateLimited | OpenDotaUnavailable):
                left = len(match_ids) - position + 1
                counts["left_for_next_run"] = left
                logger.warning(
                    "OpenDota %s; stopping with %d matches left for the next run",
                    "keeps rate limiting" if isinstance(error, OpenDotaRateLimited)
                    else "is unavailable", left,
                )  # fmt: skip
                break
            counts["errors"] += 1
            logger.warning("match %d: %s", match_id, error)
        if position % 10 == 0 or position == len(match_ids):
            update_progress_artifact(progress_id, 100.0 * position / len(match_ids))
    logger.info(
        "OpenDota fallback: %d imported, %d not parsed there, %d unknown there, %d left",
        counts["imported"], counts["opendota_not_parsed"], counts["opendota_not_found"],
        counts["left_for_next_run"],
    )  # fmt: skip
    create_table_artifact(
        key="opendota-fallback-summary",
        table=[{"what": key, "count": value} for key, value in sorted(counts.items())],
        description="OpenDota fallback for matches without a replay",
    )
    return {key: value for key, value in counts.items() if value}
