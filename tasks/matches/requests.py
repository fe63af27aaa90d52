"""A player's request to parse a match: it jumps the queue of whichever stage it is in."""

from __future__ import annotations

import time

from pymongo.database import Database

from tasks.storage.schema import MATCHES, PRIORITY_REQUESTED, STAGE_SALT_WAIT


def match_request(db: Database, *, match_id: int, now: float | None = None) -> None:
    """Put the match first in its queue; an unknown match starts by waiting for its salt."""
    now = time.time() if now is None else now
    db[MATCHES].update_one(
        {"_id": match_id},
        {
            "$set": {"priority": PRIORITY_REQUESTED, "requested_at": now},
            "$setOnInsert": {"match_id": match_id, "stage": STAGE_SALT_WAIT, "created_at": now},
        },
        upsert=True,
    )
