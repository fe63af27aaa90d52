"""Writes made by signing in."""

from __future__ import annotations

from tasks.players.tracking import player_track
from yasp_web.mongo import mongo


def player_visit_record(*, account_id: int, at: float | None = None) -> None:
    """Mark the player as visiting now (unix time), which keeps their matches tracked."""
    player_track(mongo(), account_id=account_id, now=at)
