"""The tracked set: players who used the site within N days, or are tracked permanently."""

from __future__ import annotations

import time

from pymongo.database import Database

from tasks.storage.schema import PLAYERS


def player_track(
    db: Database, *, account_id: int, permanent: bool = False, now: float | None = None
) -> None:
    """Mark a player as seen now (tracked for the window), or tracked for good."""
    now = time.time() if now is None else now
    update: dict = {"$set": {"last_visit": now}, "$setOnInsert": {"first_visit": now}}
    if permanent:
        update["$set"]["tracked_permanent"] = True
    db[PLAYERS].update_one({"_id": account_id}, update, upsert=True)


def player_untrack(db: Database, *, account_id: int) -> None:
    """Stop tracking a player permanently; the visit window still applies."""
    db[PLAYERS].update_one({"_id": account_id}, {"$set": {"tracked_permanent": False}})


def tracked_account_ids(db: Database, *, days: int, now: float | None = None) -> set[int]:
    """Account ids of everyone tracked right now."""
    now = time.time() if now is None else now
    since = now - days * 86400
    cursor = db[PLAYERS].find(
        {"$or": [{"tracked_permanent": True}, {"last_visit": {"$gte": since}}]}, {"_id": 1}
    )
    return {doc["_id"] for doc in cursor}


def tracked_flags_refresh(db: Database, *, days: int, now: float | None = None) -> dict[str, int]:
    """Set `players.tracked` from the window and permanent flags; count who came and went."""
    tracked = tracked_account_ids(db, days=days, now=now)
    flagged = {doc["_id"] for doc in db[PLAYERS].find({"tracked": True}, {"_id": 1})}
    added, removed = tracked - flagged, flagged - tracked
    if added:
        db[PLAYERS].update_many({"_id": {"$in": sorted(added)}}, {"$set": {"tracked": True}})
    if removed:
        db[PLAYERS].update_many({"_id": {"$in": sorted(removed)}}, {"$set": {"tracked": False}})
    return {"tracked": len(tracked), "added": len(added), "removed": len(removed)}
