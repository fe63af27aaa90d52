"""A player's full match history: page `GetMatchHistory`, fetch what is not stored yet."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from pymongo.database import Database

from tasks.backfill.progress import backfill_progress_save
from tasks.failpoints import failpoint
from tasks.scan.selection import KeptMatch
from tasks.scan.store import matches_save
from tasks.steam_webapi.client import SteamWebApi
from tasks.steam_webapi.history import history_page
from tasks.steam_webapi.sequence import match_by_seq
from tasks.storage.schema import (
    MATCHES,
    PLAYERS,
    PRIORITY_TRACKED,
    STAGE_SALT_WAIT,
    STAGE_STORED,
)

KEPT_HISTORY = "history"


def history_key(account_id: int) -> str:
    """The progress key of a player's history backfill."""
    return f"history:{account_id}"


@dataclass
class HistoryStep:
    """What one history page did and where the next one starts."""

    entries: int
    counts: Counter = field(default_factory=Counter)
    next_start_at: int | None = None
    done: bool = False
    total_results: int = 0


def history_page_backfill(
    db: Database,
    api: SteamWebApi,
    *,
    account_id: int,
    start_at_match_id: int | None,
    page_size: int,
    tracked: bool,
) -> HistoryStep:
    """Save the matches of one history page that are not stored yet, then record progress."""
    page = history_page(
        api, account_id, start_at_match_id=start_at_match_id, matches_requested=page_size
    )
    ids = [entry["match_id"] for entry in page.matches]
    stored = {doc["_id"] for doc in db[MATCHES].find({"_id": {"$in": ids}}, {"_id": 1})}
    step = HistoryStep(entries=len(ids), total_results=page.total_results)
    step.counts["already_stored"] = len(stored)
    kept = []
    for entry in page.matches:
        if entry["match_id"] in stored:
            continue
        seq = entry.get("match_seq_num")
        full = match_by_seq(api, entry["match_id"], seq) if isinstance(seq, int) else None
        if full is None:
            # The sequence API has no full data for it (or the entry had no seq number).
            step.counts["full_data_missing"] += 1
            continue
        kept.append(KeptMatch(full, KEPT_HISTORY, PRIORITY_TRACKED))
    saved = matches_save(
        db, kept, now=time.time(), stage=STAGE_SALT_WAIT if tracked else STAGE_STORED
    )
    failpoint("backfill.history.after_save")
    step.counts["saved"] = saved.matches_new
    step.counts["pages"] = 1
    step.done = page.results_remaining == 0 or not ids
    step.next_start_at = None if step.done else ids[-1] - 1
    backfill_progress_save(
        db,
        history_key(account_id),
        fields={"next_start_at": step.next_start_at, "done": step.done,
                "total_results": page.total_results},
        counts=dict(step.counts),
    )  # fmt: skip
    return step


def history_private_record(db: Database, *, account_id: int, detail: str) -> None:
    """Remember that a player's history is private, to show it and stop asking."""
    db[PLAYERS].update_one(
        {"_id": account_id},
        {"$set": {"history_private": True, "history_private_at": time.time()}},
        upsert=True,
    )
    backfill_progress_save(
        db, history_key(account_id), fields={"done": True, "private": True, "detail": detail}
    )
