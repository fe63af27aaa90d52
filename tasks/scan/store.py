"""Save a page's kept matches and move the sequence cursor, each step idempotent."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from pymongo import ReturnDocument, UpdateOne
from pymongo.database import Database

from tasks.matches.documents import player_rows
from tasks.scan.selection import KeptMatch
from tasks.storage.schema import MATCHES, PLAYER_MATCHES, SCANNER, STAGE_SALT_WAIT

SEQUENCE_SCANNER = "sequence"


@dataclass(frozen=True)
class SaveResult:
    """How many documents a save created, and how many it found already there."""

    matches_new: int
    matches_existing: int
    player_rows: int


def matches_save(
    db: Database, kept: list[KeptMatch], *, now: float, stage: str = STAGE_SALT_WAIT
) -> SaveResult:
    """Upsert kept matches and their player rows; a match already further along keeps its stage."""
    if not kept:
        return SaveResult(0, 0, 0)
    match_ops = [
        UpdateOne(
            {"_id": item.match["match_id"]},
            {
                "$set": item.match,
                "$setOnInsert": {
                    "stage": stage,
                    "kept_reason": item.reason,
                    "first_seen": now,
                },
                "$min": {"priority": item.priority},
            },
            upsert=True,
        )
        for item in kept
    ]
    result = db[MATCHES].bulk_write(match_ops, ordered=False)
    rows = [row for item in kept for row in player_rows(item.match)]
    if rows:
        db[PLAYER_MATCHES].bulk_write(
            [
                UpdateOne({"_id": row["_id"]}, {"$set": _without_id(row)}, upsert=True)
                for row in rows
            ],
            ordered=False,
        )
    return SaveResult(result.upserted_count, result.matched_count, len(rows))


def _without_id(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key != "_id"}


def cursor_seq(db: Database) -> int | None:
    """The next `match_seq_num` the scan will ask for, or None before the first scan."""
    doc = db[SCANNER].find_one({"_id": SEQUENCE_SCANNER})
    return None if doc is None else doc.get("next_seq")


def cursor_init(db: Database, start_seq: int) -> int:
    """Place the cursor at `start_seq` unless one exists; return where it is."""
    # update_one, not find_one_and_update: the embedded server ignores $setOnInsert there.
    db[SCANNER].update_one(
        {"_id": SEQUENCE_SCANNER},
        {"$setOnInsert": {"next_seq": start_seq, "updated_at": time.time()}},
        upsert=True,
    )
    return cursor_seq(db)


def cursor_advance(
    db: Database,
    *,
    expected_seq: int,
    next_seq: int,
    counts: dict[str, int],
    last_start_time: int | None,
    now: float,
) -> bool:
    """Move the cursor from `expected_seq` to `next_seq`; False if it was not at `expected_seq`.

    The compare-and-set means two scans can never both move the cursor for one page.
    """
    update: dict[str, Any] = {"$set": {"next_seq": next_seq, "updated_at": now}}
    if last_start_time is not None:
        update["$set"]["last_match_start_time"] = last_start_time
    if counts:
        update["$inc"] = {f"totals.{name}": value for name, value in counts.items()}
    result = db[SCANNER].update_one({"_id": SEQUENCE_SCANNER, "next_seq": expected_seq}, update)
    return result.matched_count == 1


def lease_acquire(db: Database, *, owner: str, seconds: float, now: float) -> bool:
    """Take (or renew) the scan lease: at most one scan moves the cursor at a time."""
    doc = db[SCANNER].find_one_and_update(
        {
            "_id": SEQUENCE_SCANNER,
            "$or": [
                {"lease_owner": owner},
                {"lease_until": {"$exists": False}},
                {"lease_until": None},
                {"lease_until": {"$lt": now}},
            ],
        },
        {"$set": {"lease_owner": owner, "lease_until": now + seconds}},
        return_document=ReturnDocument.AFTER,
    )
    return doc is not None


def lease_holder(db: Database) -> tuple[str | None, float | None]:
    """Who holds the scan lease and until when."""
    doc = db[SCANNER].find_one({"_id": SEQUENCE_SCANNER}) or {}
    return doc.get("lease_owner"), doc.get("lease_until")


def lease_release(db: Database, *, owner: str) -> None:
    """Give the lease back so the next scan need not wait for it to expire."""
    db[SCANNER].update_one(
        {"_id": SEQUENCE_SCANNER, "lease_owner": owner}, {"$set": {"lease_until": None}}
    )
