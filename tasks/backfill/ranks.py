"""Rank refresh: each player's GC profile card (rank tier, leaderboard rank) via the retrievers.

A card costs one GC request, counted against the same per-account and per-host quotas as
the replay salts. A refresh runs in rounds: a round asks every player once; a run that
stops early (crash, no quota left) resumes the round and skips the players already read.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pymongo.database import Database

from tasks.backfill.progress import backfill_progress, backfill_progress_save
from tasks.retriever.answers import gc_int
from tasks.retriever.client import RetrieverUnreachable, retriever_get
from tasks.storage.schema import BACKFILLS, PLAYERS


class HostUnusable(Exception):
    """The retriever refused the card without asking the GC: quota reached or no account ready."""


class CardUnavailable(Exception):
    """The card could not be read now (GC timeout, retriever down); worth another try."""



def profile_card_fetch(url: str, account_id: int, timeout: float) -> dict[str, Any]:
    """Ask a retriever for a player's profile card; `{account_id, rank_tier, ...}`."""
    try:
        status, body = retriever_get(url, f"/profile/{account_id}", timeout)
    except RetrieverUnreachable as error:
        raise CardUnavailable(str(error)) from None
    if status == 200:
        return body
    error = body.get("error", f"http_{status}")
    if status == 429:
        raise HostUnusable(f"{error} ({body.get('scope')}) at {url}")
    if status == 503:
        raise HostUnusable(f"{error} at {url}")
    if status in (500, 502, 504):
        raise CardUnavailable(f"{error} at {url}")
    raise RuntimeError(f"retriever at {url} answered {status}: {error}")


def rank_key(account_ids: list[int] | None) -> str:
    """The progress key of a refresh: the tracked set, or one list of players."""
    if account_ids is None:
        return "rank-refresh:tracked"
    listed = ",".join(str(a) for a in sorted(set(account_ids)))
    return f"rank-refresh:{hashlib.sha1(listed.encode()).hexdigest()[:12]}"


def rank_round_start(db: Database, key: str, *, restart: bool, now: float) -> tuple[float, bool]:
    """When the current round began, and whether it is resumed; a finished round starts anew."""
    progress = backfill_progress(db, key)
    if progress and not progress.get("done") and not restart:
        return float(progress["round_started_at"]), True
    db[BACKFILLS].delete_one({"_id": key})
    backfill_progress_save(db, key, fields={"round_started_at": now, "done": False})
    return now, False


def players_to_refresh(db: Database, account_ids: list[int], since: float) -> list[int]:
    """The players of `account_ids` whose card was not read since `since`, in order."""
    read = {
        doc["_id"]
        for doc in db[PLAYERS].find(
            {"_id": {"$in": account_ids}, "rank_updated_at": {"$gte": since}}, {"_id": 1}
        )
    }
    return [account_id for account_id in account_ids if account_id not in read]


def rank_save(db: Database, *, account_id: int, card: dict[str, Any], now: float) -> bool:
    """Store a card's rank on the player; returns True when it changed (and was added to history).

    The first entry of `rank_history` is the first known rank: an unranked player gets none.
    """
    tier = gc_int(card.get("rank_tier"))
    leaderboard = gc_int(card.get("leaderboard_rank"))
    player = db[PLAYERS].find_one({"_id": account_id}, {"rank_history": 1}) or {}
    history = player.get("rank_history") or []
    last = history[-1] if history else {}
    changed = (tier, leaderboard) != (last.get("rank_tier"), last.get("leaderboard_rank"))
    fields: dict[str, Any] = {
        "rank_tier": tier, "leaderboard_rank": leaderboard, "rank_updated_at": now
    }  # fmt: skip
    if changed:
        # The whole list is written, not `$push`ed: the embedded server turns the documents
        # already in an array into JSON text on `$push` (nx-27017 0.8.1).
        entry = {"time": now, "rank_tier": tier, "leaderboard_rank": leaderboard}
        fields["rank_history"] = [*history, entry]
    db[PLAYERS].update_one({"_id": account_id}, {"$set": fields}, upsert=True)
    return changed
