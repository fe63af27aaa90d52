"""Store a parse result and move the match through its stages, idempotently."""

from __future__ import annotations

import time
from typing import Any

from pymongo.database import Database

from tasks.storage.schema import (
    MATCHES,
    PARSED_MATCHES,
    PLAYER_MATCHES,
    STAGE_FAILED,
    STAGE_PARSE_WAIT,
    STAGE_PARSED,
    player_match_id,
)

PARSE_STAGE = "parse"


def _now() -> float:
    return time.time()


def parsed_match_save(db: Database, *, match_id: int, document: dict[str, Any]) -> None:
    """Replace the match's parsed document, mark it parsed and flag its player rows."""
    match = db[MATCHES].find_one({"_id": match_id}) or {}
    stored = dict(document, _id=match_id, match_id=match_id, parsed_at=_now())
    for key in ("start_time", "duration", "leagueid"):
        if key in match:
            stored[key] = match[key]
    db[PARSED_MATCHES].replace_one({"_id": match_id}, stored, upsert=True)
    row_ids = [player_match_id(match_id, p["player_slot"]) for p in document.get("players", [])]
    if row_ids:
        db[PLAYER_MATCHES].update_many(
            {"_id": {"$in": row_ids}},
            {"$set": {"parsed": True, "parsed_version": document.get("version")}},
        )
    db[MATCHES].update_one(
        {"_id": match_id},
        {
            "$set": {"stage": STAGE_PARSED, "parsed_at": stored["parsed_at"]},
            "$unset": {"failed_stage": "", "stage_reason": "", "parse_retry_at": "",
                       "replay_missing_since": ""},
        },
    )  # fmt: skip


def match_parse_failed(db: Database, *, match_id: int, reason: str, detail: str = "") -> None:
    """Stop a match at the parse stage for a reason that retrying cannot fix."""
    db[MATCHES].update_one(
        {"_id": match_id},
        {"$set": {"stage": STAGE_FAILED, "failed_stage": PARSE_STAGE, "stage_reason": reason,
                  "stage_detail": detail[:500], "failed_at": _now()}},
    )  # fmt: skip


def match_parse_deferred(
    db: Database, *, match_id: int, reason: str, retry_at: float, missing_since: float | None = None
) -> None:
    """Leave a match waiting for a later parse attempt."""
    fields: dict[str, Any] = {
        "stage": STAGE_PARSE_WAIT,
        "stage_reason": reason,
        "parse_retry_at": retry_at,
    }
    if missing_since is not None:
        fields["replay_missing_since"] = missing_since
    db[MATCHES].update_one({"_id": match_id}, {"$set": fields, "$inc": {"parse_attempts": 1}})


def matches_to_parse(db: Database, *, limit: int, now: float | None = None) -> list[int]:
    """Match ids waiting for a parse whose retry time (unix seconds, if any) has come."""
    now = _now() if now is None else now
    # `$exists` as well: the embedded server lets `$ne: None` match a missing field.
    known = {"$exists": True, "$ne": None}
    query = {
        "stage": STAGE_PARSE_WAIT,
        "replay_salt": known,
        "cluster": known,
        "$or": [{"parse_retry_at": None}, {"parse_retry_at": {"$lte": now}}],
    }
    cursor = db[MATCHES].find(query, {"_id": 1}).sort("priority", 1).limit(limit)
    return [match["_id"] for match in cursor]
