"""Where a backfill stopped, stored so a crashed or stopped run resumes from there."""

from __future__ import annotations

import time
from typing import Any

from pymongo.database import Database

from tasks.storage.schema import BACKFILLS


def backfill_progress(db: Database, key: str) -> dict[str, Any]:
    """The stored progress of backfill `key`, empty when it never ran."""
    return db[BACKFILLS].find_one({"_id": key}) or {}


def backfill_progress_save(
    db: Database, key: str, *, fields: dict[str, Any], counts: dict[str, int] | None = None
) -> None:
    """Record progress (after the step's data is saved, never before)."""
    update: dict[str, Any] = {"$set": {**fields, "updated_at": time.time()}}
    if counts:
        update["$inc"] = {f"totals.{name}": value for name, value in counts.items() if value}
        if not update["$inc"]:
            del update["$inc"]
    db[BACKFILLS].update_one({"_id": key}, update, upsert=True)
