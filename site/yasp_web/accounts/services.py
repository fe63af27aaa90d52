"""Writes made by signing in."""

from __future__ import annotations

from datetime import UTC, datetime

from tasks.storage.schema import PLAYERS
from yasp_web.mongo import mongo


def player_visit_record(*, account_id: int, at: datetime | None = None) -> None:
    """Mark the player as visiting now, which keeps their matches tracked."""
    mongo()[PLAYERS].update_one(
        {"_id": account_id},
        {"$set": {"last_visit": at or datetime.now(UTC)}},
        upsert=True,
    )
