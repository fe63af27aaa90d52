"""rank-refresh: read players' rank tier and leaderboard rank from their GC profile cards."""

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

from tasks.backfill.progress import backfill_progress_save
from tasks.backfill.ranks import (
    CardUnavailable,
    HostUnusable,
    players_to_refresh,
    profile_card_fetch,
    rank_key,
    rank_round_start,
    rank_save,
)
from tasks.config import settings
from tasks.failpoints import failpoint
from tasks.players.tracking import tracked_account_ids
from tasks.retriever.client import retriever_stats
from tasks.retriever.config import retriever_settings
from tasks.retriever.routing import batches_plan, quota_left_by_host
from tasks.storage.mongo import database


def _retry_passing(task: Any, task_run: Any, state: Any) -> bool:
    # A refusal is never retried on the same host: the flow moves the player to another one.
    return isinstance(state.result(raise_on_failure=False), CardUnavailable)


# Same retry policy as the salt fetches (`YASP_SALT_RETRIES`, `YASP_SALT_RETRY_DELAYS`).
@task(name="rank-card", task_run_name="rank-card-{account_id}", retries=3,
      retry_delay_seconds=[30, 120, 600], retry_condition_fn=_retry_passing,
      cache_policy=NO_CACHE)  # fmt: skip
def rank_card(url: str, account_id: int) -> bool:
    """Read one player's card through a retriever and store the rank; True when it changed."""
    card = profile_card_fetch(url, account_id, retriever_settings().salt_http_timeout)
    changed = rank_save(database(), account_id=account_id, card=card, now=time.time())
    failpoint("ranks.after_save")
    return changed


@flow(name="rank-refresh")
def rank_refresh(
    account_ids: list[int] | None = None, restart: bool = False, leave_quota: int = 0
) -> dict:
    """Refresh rank tier and leaderboard rank of the given players, or of everyone tracked.

    Args:
        account_ids: players to refresh; all tracked players when left out.
        restart: ask every player again instead of resuming an unfinished round.
        leave_quota: GC requests left untouched on each host for the live salt fetches.
    """
    logger = get_run_logger()
    db = database()
    config = retriever_settings()
    listed = sorted(set(account_ids)) if account_ids else None
    ids = listed or sorted(tracked_account_ids(db, days=settings().tracked_days))
    key = rank_key(listed)
    since, resumed = rank_round_start(db, key, restart=restart, now=time.time())
    pending = players_to_refresh(db, ids, since)
    stats = {host: retriever_stats(url) for host, url in config.retriever_hosts.items()}
    left = {h: max(0, q - leave_quota) for h, q in quota_left_by_host(stats).items()}
    logger.info(
        "rank refresh of %d players (%s round, %d already read); GC quota left %s",
        len(ids), "resumed" if resumed else "new", len(ids) - len(pending), left,
    )  # fmt: skip
    progress_id = create_progress_artifact(
        _share(len(ids) - len(pending), len(ids)), description=f"rank refresh of {len(ids)} players"
    )
    card = rank_card.with_options(
        retries=config.salt_retries, retry_delay_seconds=config.salt_retry_delays
    )
    counts: Counter = Counter()
    finished = len(ids) - len(pending)
    while pending:
        plan = batches_plan(pending, left, config.salt_batch_size)
        if not plan:
            break
        planned = sum(len(batch) for _, batch in plan)
        pending = pending[planned:]  # beyond every host's quota: stays for the next run
        for host, batch in plan:
            if left[host] <= 0:
                pending.extend(batch)  # refused earlier in this plan
                continue
            asked = _batch_refresh(card, host, config.retriever_hosts[host], batch, counts)
            left[host] = 0 if asked < len(batch) else left[host] - asked
            pending.extend(batch[asked:])
            finished += asked
            update_progress_artifact(progress_id, _share(finished, len(ids)))
    if pending:
        counts["no_quota"] = len(pending)
        logger.warning(
            "rank refresh stopped with %d players left: no retriever has quota; "
            "the next run resumes", len(pending),
        )  # fmt: skip
    else:
        update_progress_artifact(progress_id, 100.0)
    backfill_progress_save(db, key, fields={"done": not pending}, counts=dict(counts))
    create_table_artifact(
        key="rank-refresh-summary",
        table=[{"what": k, "count": v} for k, v in sorted(counts.items())]
        + [{"what": f"quota left on {h}", "count": q} for h, q in sorted(left.items())],
        description=f"Rank refresh of {len(ids)} players",
    )
    return dict(counts)


def _batch_refresh(card: Any, host: str, url: str, batch: list[int], counts: Counter) -> int:
    """Read the cards of one batch on `host`; returns how many were asked before a refusal."""
    logger = get_run_logger()
    batch_counts: Counter = Counter()
    for position, account_id in enumerate(batch):
        state = card(url, account_id, return_state=True)
        if state.is_completed():
            batch_counts["changed" if state.result() else "unchanged"] += 1
            continue
        error = state.result(raise_on_failure=False)
        if isinstance(error, HostUnusable):
            logger.warning(
                "host %s refused a profile card (%s); %d players move to other hosts",
                host, error, len(batch) - position,
            )  # fmt: skip
            batch_counts["refused"] += 1
            counts.update(batch_counts)
            return position
        # Retries spent: this player waits for the next round.
        batch_counts["failed"] += 1
        logger.warning("profile card of %d not read: %s", account_id, error)
    counts.update(batch_counts)
    logger.info(
        "ranks via %s: %d cards, %d changed, %d unchanged, %d failed",
        host, len(batch), batch_counts["changed"], batch_counts["unchanged"],
        batch_counts["failed"],
    )  # fmt: skip
    return len(batch)


def _share(done: int, total: int) -> float:
    return 100.0 if total == 0 else min(100.0, 100.0 * done / total)
