"""Build the per-player rows a player's match list reads from a Steam API match."""

from __future__ import annotations

from typing import Any

from tasks.storage.schema import ANONYMOUS_ACCOUNT_ID, player_match_id

# Copied from the player entry into the row, so a player's match list needs no join.
PLAYER_FIELDS = (
    "hero_id", "kills", "deaths", "assists", "last_hits", "denies", "gold_per_min",
    "xp_per_min", "hero_damage", "tower_damage", "hero_healing", "leaver_status", "level",
    "item_0", "item_1", "item_2", "item_3", "item_4", "item_5", "item_neutral",
)  # fmt: skip
MATCH_FIELDS = ("start_time", "duration", "game_mode", "lobby_type", "radiant_win", "leagueid")


def known_account_id(player: dict[str, Any]) -> int | None:
    """The player's account id, or None for an anonymous player or a bot."""
    account_id = player.get("account_id")
    if not isinstance(account_id, int) or account_id in (ANONYMOUS_ACCOUNT_ID, 0):
        return None
    return account_id


def is_radiant(player_slot: int) -> bool:
    """Slots 0-127 are Radiant, 128-255 Dire."""
    return player_slot < 128


def player_rows(match: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per known player of the match (anonymous players and bots have none)."""
    rows = []
    for player in match.get("players", []):
        account_id = known_account_id(player)
        if account_id is None:
            continue
        slot = player["player_slot"]
        row = {
            "_id": player_match_id(match["match_id"], slot),
            "account_id": account_id,
            "match_id": match["match_id"],
            "player_slot": slot,
        }
        row.update({key: match.get(key) for key in MATCH_FIELDS})
        row.update({key: player[key] for key in PLAYER_FIELDS if key in player})
        radiant_win = match.get("radiant_win")
        row["win"] = None if radiant_win is None else radiant_win == is_radiant(slot)
        rows.append(row)
    return rows
