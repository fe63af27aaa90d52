"""Split an OpenDota-format JSON body into the documents yasp stores.

Three shapes are understood:
- a Steam Web API match (`GetMatchDetails` / sequence entry), bare or wrapped in `result`;
- an OpenDota `/matches/{id}` document (Valve fields plus OpenDota's computed ones, and the
  parsed fields when OpenDota parsed the replay);
- an OpenDota parser blob (parsed fields only, players keyed by `player_slot`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Match-level keys the replay parse produces (FIELDS.md); never part of the match document.
PARSED_MATCH_KEYS = (
    "version", "chat", "objectives", "teamfights", "radiant_gold_adv", "radiant_xp_adv",
    "draft_timings", "pauses",
)  # fmt: skip
# Per-player keys the parse produces, besides `player_slot`.
PARSED_PLAYER_KEYS = frozenset(
    """times gold_t xp_t lh_t dn_t camps_stacked_t hero_damage_t hero_healing_t kills_log
    purchase_log runes_log buyback_log connection_log obs_log sen_log obs_left_log sen_left_log
    neutral_tokens_log neutral_item_history purchase gold_reasons xp_reasons killed killed_by
    item_uses ability_uses ability_targets damage_targets hero_hits damage damage_taken
    damage_inflictor damage_inflictor_received healing runes kill_streaks multi_kills life_state
    actions pings lane_pos obs sen obs_placed sen_placed observers_placed creeps_stacked
    camps_stacked rune_pickups firstblood_claimed teamfight_participation towers_killed
    roshans_killed stuns max_hero_hit randomed repicked pred_vict performance_others
    gold_delta xp_delta xp_start xp_end""".split()
)
# What OpenDota adds to a match or a player when serving it; not Valve's, so not stored.
OPENDOTA_MATCH_KEYS = frozenset(
    """od_data metadata league radiant_team dire_team patch region replay_url throw comeback
    loss stomp all_word_counts my_word_counts cosmetics""".split()
)
OPENDOTA_PLAYER_KEYS = frozenset(
    """abandons benchmarks cluster computed_mmr duration game_mode lobby_type start_time
    radiant_win isRadiant is_contributor is_subscriber kda kills_per_min last_login lose win
    name personaname patch region total_gold total_xp rank_tier match_id""".split()
)


@dataclass
class Imported:
    """The documents found in one JSON body."""

    match_id: int
    match: dict[str, Any] | None = None
    parsed: dict[str, Any] | None = None
    personanames: dict[int, str] = field(default_factory=dict)


def _is_parsed_player(player: dict[str, Any]) -> bool:
    return "hero_id" not in player and ("times" in player or "gold_t" in player)


INT64_MAX = 2**63 - 1


def bson_safe(value: Any) -> Any:
    """`value` with integers too large for BSON (team logo ids) turned into strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and not -INT64_MAX - 1 <= value <= INT64_MAX:
        return str(value)
    if isinstance(value, dict):
        return {k: bson_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [bson_safe(v) for v in value]
    return value


def documents_from_json(body: dict[str, Any]) -> Imported:
    """Find the match, the parsed data and the persona names carried by `body`."""
    body = bson_safe(body)
    if isinstance(body.get("result"), dict) and "players" in body["result"]:
        body = body["result"]
    if "match_id" not in body or not isinstance(body.get("players"), list):
        raise ValueError("not an OpenDota or Steam match document: no match_id or players")
    match_id = int(body["match_id"])
    players = body["players"]
    imported = Imported(match_id=match_id)

    if players and all(_is_parsed_player(p) for p in players):
        imported.parsed = _parsed_document(body)
        return imported

    match = {k: v for k, v in body.items() if k not in OPENDOTA_MATCH_KEYS}
    match = {k: v for k, v in match.items() if k not in PARSED_MATCH_KEYS}
    match["players"] = [
        {
            k: v
            for k, v in p.items()
            if k not in OPENDOTA_PLAYER_KEYS and k not in PARSED_PLAYER_KEYS
        }
        for p in players
    ]
    imported.match = match
    for p in players:
        if p.get("account_id") and p.get("personaname"):
            imported.personanames[int(p["account_id"])] = str(p["personaname"])
    if any("gold_t" in p for p in players):
        imported.parsed = _parsed_document(body)
    return imported


def _parsed_document(body: dict[str, Any]) -> dict[str, Any]:
    parsed: dict[str, Any] = {"_id": int(body["match_id"]), "match_id": int(body["match_id"])}
    for key in PARSED_MATCH_KEYS:
        if key in body:
            parsed[key] = body[key]
    parsed["players"] = [
        {"player_slot": p["player_slot"], **{k: v for k, v in p.items() if k in PARSED_PLAYER_KEYS}}
        for p in body["players"]
    ]
    return parsed
