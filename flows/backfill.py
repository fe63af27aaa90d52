"""Backfill and maintenance flows operators start by hand or on a schedule."""

from __future__ import annotations

import time
from collections import Counter

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE

from flows.scan import retry_if_transient, steam_api
from tasks.backfill.history import (
    HistoryStep,
    history_key,
    history_page_backfill,
    history_private_record,
)
from tasks.backfill.profiles import profiles_refresh
from tasks.backfill.progress import backfill_progress
from tasks.backfill.sequence_range import RangeStep, range_key, range_page_backfill
from tasks.config import settings
from tasks.players.tracking import tracked_account_ids, tracked_flags_refresh
from tasks.steam_webapi.history import SUMMARIES_BATCH, HistoryPrivate
from tasks.storage.mongo import database

HISTORY_CAP = 500  # Valve pages back over a player's most recent 500 matches at most


def _pause() -> None:
    # Backfills share the Web API's per-IP allowance with the live scan.
    if settings().scan_page_interval > 0:
        time.sleep(settings().scan_page_interval)


def _table(counts: Counter, **extra: object) -> list[dict[str, object]]:
    rows = [{"what": key, "count": value} for key, value in sorted(counts.items())]
    return rows + [{"what": key, "count": value} for key, value in extra.items()]


@task(name="history-page", retries=3, retry_delay_seconds=[10, 60, 300],
      retry_condition_fn=retry_if_transient, cache_policy=NO_CACHE)  # fmt: skip
def history_page_task(
    account_id: int, start_at_match_id: int | None, page_size: int, tracked: bool
) -> HistoryStep:
    """One page of a player's history: save what is missing, then record where it stopped."""
    return history_page_backfill(
        database(), steam_api(), account_id=account_id,
        start_at_match_id=start_at_match_id, page_size=page_size, tracked=tracked,
    )  # fmt: skip


@flow(name="full-history")
def full_history(account_id: int, page_size: int = 100, restart: bool = False) -> dict:
    """Fetch a player's past matches (Valve keeps ~500) and queue them if the player is tracked.

    Args:
        account_id: the player's 32-bit Dota account id.
        page_size: history entries per request (100 at most).
        restart: start again from the newest match instead of resuming.
    """
    logger = get_run_logger()
    db = database()
    key = history_key(account_id)
    progress = {} if restart else backfill_progress(db, key)
    if progress.get("done") and not restart:
        logger.info("history of %d is already complete (%s)", account_id, progress.get("totals"))
        return {"resumed": True, "done": True, **progress.get("totals", {})}
    start_at = progress.get("next_start_at")
    tracked = account_id in tracked_account_ids(db, days=settings().tracked_days)
    counts: Counter = Counter()
    progress_id = create_progress_artifact(0.0, description=f"full history of {account_id}")
    delays = settings().scan_page_retry_delays
    page_task = history_page_task.with_options(retries=len(delays), retry_delay_seconds=delays)
    seen = 0
    while True:
        try:
            step = page_task(account_id, start_at, page_size, tracked)
        except HistoryPrivate as error:
            history_private_record(db, account_id=account_id, detail=str(error))
            logger.warning("history of %d is private; recorded and stopped", account_id)
            counts["private"] = 1
            break
        counts.update(step.counts)
        seen += step.entries
        total = min(step.total_results, HISTORY_CAP) or 1
        update_progress_artifact(progress_id, min(100.0, 100.0 * seen / total))
        logger.info(
            "history of %d: page of %d entries, %d saved, %d already stored, %d without full "
            "data; %d of ~%d read",
            account_id, step.entries, step.counts["saved"], step.counts["already_stored"],
            step.counts["full_data_missing"], seen, total,
        )  # fmt: skip
        if step.done:
            update_progress_artifact(progress_id, 100.0)
            break
        start_at = step.next_start_at
        _pause()
    create_table_artifact(
        key="full-history-summary", table=_table(counts, account_id=account_id, tracked=tracked),
        description=f"Full history of {account_id}",
    )  # fmt: skip
    return dict(counts)


@task(name="sequence-range-page", retries=3, retry_delay_seconds=[10, 60, 300],
      retry_condition_fn=retry_if_transient, cache_policy=NO_CACHE)  # fmt: skip
def range_page_task(from_seq: int, to_seq: int, next_seq: int) -> RangeStep:
    """One page of a range backfill."""
    db = database()
    tracked = frozenset(tracked_account_ids(db, days=settings().tracked_days))
    return range_page_backfill(
        db, steam_api(), settings(), from_seq=from_seq, to_seq=to_seq,
        next_seq=next_seq, tracked=tracked,
    )  # fmt: skip


@flow(name="sequence-range-backfill")
def sequence_range_backfill(from_seq: int, to_seq: int, restart: bool = False) -> dict:
    """Re-read sequence numbers [from_seq, to_seq) and insert the kept matches not stored yet.

    Args:
        from_seq: first match_seq_num of the range.
        to_seq: first match_seq_num after the range.
        restart: read the range again from its start instead of resuming.
    """
    if to_seq <= from_seq:
        raise ValueError(f"empty range: to_seq {to_seq} is not above from_seq {from_seq}")
    logger = get_run_logger()
    db = database()
    progress = {} if restart else backfill_progress(db, range_key(from_seq, to_seq))
    next_seq = progress.get("next_seq", from_seq)
    counts: Counter = Counter()
    progress_id = create_progress_artifact(0.0, description=f"sequence range {from_seq}-{to_seq}")
    delays = settings().scan_page_retry_delays
    page_task = range_page_task.with_options(retries=len(delays), retry_delay_seconds=delays)
    while not progress.get("done") and next_seq < to_seq:
        step = page_task(from_seq, to_seq, next_seq)
        counts.update(step.counts)
        next_seq = step.next_seq
        done_share = (min(next_seq, to_seq) - from_seq) / (to_seq - from_seq)
        update_progress_artifact(progress_id, 100.0 * (1.0 if step.done else done_share))
        logger.info(
            "range %d-%d: now at %d, %d inserted, %d already stored",
            from_seq, to_seq, next_seq, step.counts["inserted"], step.counts["already_stored"],
        )  # fmt: skip
        if step.done:
            break
        _pause()
    create_table_artifact(
        key="sequence-range-summary", table=_table(counts, from_seq=from_seq, to_seq=to_seq),
        description=f"Sequence range backfill {from_seq}-{to_seq}",
    )  # fmt: skip
    return dict(counts)


@task(name="profiles-batch", retries=3, retry_delay_seconds=[10, 60, 300],
      retry_condition_fn=retry_if_transient, cache_policy=NO_CACHE)  # fmt: skip
def profiles_batch(account_ids: list[int]) -> dict[str, int]:
    """Refresh one batch of at most 100 profiles."""
    return profiles_refresh(database(), steam_api(), account_ids)


@flow(name="profile-refresh")
def profile_refresh(account_ids: list[int] | None = None) -> dict:
    """Refresh names, avatars and visibility of the given players, or of everyone tracked.

    Args:
        account_ids: players to refresh; all tracked players when left out.
    """
    db = database()
    ids = sorted(account_ids or tracked_account_ids(db, days=settings().tracked_days))
    counts: Counter = Counter()
    delays = settings().scan_page_retry_delays
    batch_task = profiles_batch.with_options(retries=len(delays), retry_delay_seconds=delays)
    for start in range(0, len(ids), SUMMARIES_BATCH):
        counts.update(batch_task(ids[start : start + SUMMARIES_BATCH]))
        if start + SUMMARIES_BATCH < len(ids):
            _pause()
    get_run_logger().info(
        "profiles: %d updated, %d missing (private or gone)", counts["updated"], counts["missing"]
    )
    create_table_artifact(key="profile-refresh-summary", table=_table(counts))
    return dict(counts)


@flow(name="tracked-refresh")
def tracked_refresh() -> dict:
    """Recompute who is tracked from sign-ins and the visit window; report the changes."""
    counts = tracked_flags_refresh(database(), days=settings().tracked_days)
    get_run_logger().info(
        "tracked players: %d (%d added, %d no longer tracked)",
        counts["tracked"], counts["added"], counts["removed"],
    )  # fmt: skip
    create_table_artifact(key="tracked-refresh-summary", table=_table(Counter(counts)))
    return counts
