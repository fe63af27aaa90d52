"""Reading GC answers into plain values, and deciding what each answer means for a match.

GC messages arrive either decoded by protobuf (`MessageToDict`) or as protobufjs JSON:
in both, 64-bit integers may be strings (or `{low, high}` longs) and enums may be names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

GC_RESULT_OK = 1
GC_RESULT_NOT_FOUND = 2
GC_RESULT_BLOCKED = 15

REPLAY_AVAILABLE = "REPLAY_AVAILABLE"
REPLAY_NOT_RECORDED = "REPLAY_NOT_RECORDED"
REPLAY_EXPIRED = "REPLAY_EXPIRED"
_REPLAY_STATES = {0: REPLAY_AVAILABLE, 1: REPLAY_NOT_RECORDED, 2: REPLAY_EXPIRED}

OUTCOME_SALTED = "salted"
OUTCOME_FAILED = "failed"
OUTCOME_RETRY = "retry"


def gc_int(value: Any) -> int | None:
    """An integer from an int, a decimal string or a protobufjs `{low, high}` long."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value)
    if isinstance(value, dict) and "low" in value:
        return ((int(value.get("high", 0)) & 0xFFFFFFFF) << 32) | (int(value["low"]) & 0xFFFFFFFF)
    raise ValueError(f"not a GC integer: {value!r}")


def replay_state_name(value: Any) -> str:
    """The replay state as its enum name; protobuf omits the default, REPLAY_AVAILABLE."""
    if value is None:
        return REPLAY_AVAILABLE
    if isinstance(value, str) and not value.isdigit():
        return value
    number = gc_int(value)
    return _REPLAY_STATES.get(number, f"REPLAY_STATE_{number}")


def match_details_read(match_id: int, response: dict[str, Any]) -> dict[str, Any]:
    """The fields yasp keeps from a CMsgGCMatchDetailsResponse."""
    match = response.get("match") or {}
    salt = gc_int(match.get("replay_salt"))
    return {
        "match_id": match_id,
        "result": gc_int(response.get("result")),
        "cluster": gc_int(match.get("cluster")),
        "replay_salt": salt or None,
        "replay_state": replay_state_name(match.get("replay_state")) if match else None,
    }


def profile_card_read(account_id: int, response: dict[str, Any]) -> dict[str, Any]:
    """The rank fields yasp keeps from a CMsgDOTAProfileCard."""
    return {
        "account_id": account_id,
        "rank_tier": gc_int(response.get("rank_tier")),
        "leaderboard_rank": gc_int(response.get("leaderboard_rank")),
        "previous_rank_tier": gc_int(response.get("previous_rank_tier")),
    }


@dataclass(frozen=True)
class SaltOutcome:
    """What a match-details answer means: salted, failed for good, or worth another try."""

    outcome: str
    reason: str | None = None
    cluster: int | None = None
    replay_salt: int | None = None
    replay_state: str | None = None


def salt_outcome(details: dict[str, Any]) -> SaltOutcome:
    """Classify the fields read by `match_details_read`."""
    result = details.get("result")
    if result == GC_RESULT_BLOCKED:
        return SaltOutcome(OUTCOME_FAILED, "gc_blocked")
    if result == GC_RESULT_NOT_FOUND:
        return SaltOutcome(OUTCOME_FAILED, "gc_not_found")
    if result != GC_RESULT_OK:
        # Other GC results (busy, internal error) are passing conditions worth a later try.
        return SaltOutcome(OUTCOME_RETRY, f"gc_result_{result}")
    found = SaltOutcome(
        OUTCOME_SALTED,
        cluster=details.get("cluster"),
        replay_salt=details.get("replay_salt"),
        replay_state=details.get("replay_state"),
    )
    if found.replay_state == REPLAY_NOT_RECORDED:
        return SaltOutcome(OUTCOME_FAILED, "replay_not_recorded", **_fields(found))
    if found.replay_state == REPLAY_EXPIRED:
        return SaltOutcome(OUTCOME_FAILED, "replay_expired", **_fields(found))
    if not found.replay_salt or not found.cluster:
        return SaltOutcome(OUTCOME_FAILED, "no_salt", **_fields(found))
    return found


def _fields(found: SaltOutcome) -> dict[str, Any]:
    return {
        "cluster": found.cluster,
        "replay_salt": found.replay_salt,
        "replay_state": found.replay_state,
    }
