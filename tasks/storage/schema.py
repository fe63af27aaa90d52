"""Collection names, document keys and the indexes the site and the flows read through.

Documents:
- `matches`: `_id` = match_id; the match exactly as the sequence API returned it, plus
  `stage` (where it is in the pipeline), `kept_reason` and timestamps.
- `player_matches`: one row per known (non-anonymous) player of a kept match, for a
  player's match list; `_id` = `player_match_id(match_id, player_slot)`.
- `players`: `_id` = account_id; tracking (`last_visit`, `tracked_permanent`) and profile.
- `parsed_matches`: `_id` = match_id; what the replay parse produced (OpenDota field
  names), with `version`, `source` and per-player entries keyed by `player_slot`.
- `scanner`: `_id` = scanner name; the sequence cursor, its lease and running counts.
- `backfills`: `_id` = a backfill's name; where it stopped, so a crashed run resumes.

Times are unix epoch seconds (as Valve's `start_time`), never BSON dates: the embedded
server returns a date written by `$set` as a string, which would break comparisons.

A match moves through `stage`: salt_wait -> parse_wait -> parsed, or to `failed` with
`failed_stage` and `stage_reason` saying why it stopped.
"""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

MATCHES = "matches"
PLAYER_MATCHES = "player_matches"
PLAYERS = "players"
PARSED_MATCHES = "parsed_matches"
SCANNER = "scanner"
BACKFILLS = "backfills"

STAGE_STORED = "stored"  # saved for the record, not queued for a replay (nobody tracked)
STAGE_SALT_WAIT = "salt_wait"
STAGE_PARSE_WAIT = "parse_wait"
STAGE_PARSED = "parsed"
STAGE_FAILED = "failed"

# Lower runs first: a player's explicit request, then league games, then tracked players.
PRIORITY_REQUESTED = 0
PRIORITY_LEAGUE = 1
PRIORITY_TRACKED = 2

ANONYMOUS_ACCOUNT_ID = 4294967295


def player_match_id(match_id: int, player_slot: int) -> int:
    """The `_id` of a player row: unique per match and slot (slots fit in one byte)."""
    return match_id * 256 + (player_slot & 0xFF)


def indexes_ensure(db: Database) -> None:
    """Create the indexes the hot reads use; safe to call on every start."""
    db[MATCHES].create_index([("stage", ASCENDING), ("priority", ASCENDING)])
    db[MATCHES].create_index([("match_seq_num", ASCENDING)])
    db[PLAYER_MATCHES].create_index([("account_id", ASCENDING), ("start_time", DESCENDING)])
    db[PLAYER_MATCHES].create_index([("match_id", ASCENDING)])
    db[PLAYERS].create_index([("last_visit", DESCENDING)])
    db[PLAYERS].create_index([("tracked_permanent", ASCENDING)])
