"""Reading matches that wait for a salt, and recording what the GC said about them."""

from __future__ import annotations

import time

from pymongo import ASCENDING
from pymongo.database import Database

from tasks.retriever.answers import OUTCOME_SALTED, SaltOutcome
from tasks.storage.schema import MATCHES, STAGE_FAILED, STAGE_PARSE_WAIT, STAGE_SALT_WAIT


def salt_wait_match_ids(db: Database, limit: int, now: float | None = None) -> list[int]:
    """Matches waiting for a salt and not leased to a host, most urgent first."""
    now = time.time() if now is None else now
    query = {
        "stage": STAGE_SALT_WAIT,
        "$or": [{"salt_lease_until": None}, {"salt_lease_until": {"$lt": now}}],
    }
    cursor = (
        db[MATCHES]
        .find(query, {"_id": 1})
        .sort([("priority", ASCENDING), ("_id", ASCENDING)])
        .limit(limit)
    )
    return [doc["_id"] for doc in cursor]


def salt_lease_take(db: Database, match_ids: list[int], host: str, seconds: float) -> int:
    """Lease matches to a host's retriever so no other batch takes them meanwhile."""
    until = time.time() + seconds
    result = db[MATCHES].update_many(
        {"_id": {"$in": match_ids}, "stage": STAGE_SALT_WAIT},
        {"$set": {"salt_lease_until": until, "salt_host": host}},
    )
    return result.modified_count


def salt_lease_release(db: Database, match_ids: list[int], reason: str | None = None) -> int:
    """Give matches back to the queue; they stay in salt_wait and will be tried again."""
    update: dict = {"$unset": {"salt_lease_until": ""}}
    if reason:
        update["$set"] = {"salt_last_error": reason}
    result = db[MATCHES].update_many({"_id": {"$in": match_ids}, "stage": STAGE_SALT_WAIT}, update)
    return result.modified_count


def salt_record(db: Database, match_id: int, outcome: SaltOutcome, account: str | None) -> bool:
    """Store the GC's answer on the match: to parse_wait with its salt, or failed with why."""
    now = time.time()
    fields: dict = {
        "cluster": outcome.cluster,
        "replay_salt": outcome.replay_salt,
        "replay_state": outcome.replay_state,
        "salt_fetched_at": now,
        "salt_account": account,
    }
    if outcome.outcome == OUTCOME_SALTED:
        fields["stage"] = STAGE_PARSE_WAIT
    else:
        fields.update(stage=STAGE_FAILED, failed_stage="salt", stage_reason=outcome.reason)
    result = db[MATCHES].update_one(
        {"_id": match_id, "stage": STAGE_SALT_WAIT},
        {"$set": fields, "$unset": {"salt_lease_until": "", "salt_last_error": ""}},
    )
    return result.modified_count == 1
