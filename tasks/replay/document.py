"""Build the parsed-match document (OpenDota field names) from manta's parse output.

Filled from the replay: per-player combat-log maps and logs, ward logs, runes, chat,
objectives, teamfights (deaths, kills, damage, healing, uses, buybacks), and per-minute
`times`/`xp_t`/`lh_t`/`dn_t` from hero snapshots with `radiant_xp_adv`.
Left empty: `gold_t` and `radiant_gold_adv` (manta's hero snapshot carries current gold and
net worth, not total earned gold; fill them once the team-data entity is read), and
`lane_pos`, `actions`, `pings`, `life_state`, `cosmetics`, `pauses`. Clock: manta's
`game_time`, which counts paused time (exact only for matches without pauses).
"""

from __future__ import annotations

from typing import Any

from tasks.replay.players import Roster

VERSION = 22
DAMAGE, HEAL, DEATH, ABILITY, ITEM, GOLD, GAME_STATE, XP = 0, 1, 4, 5, 6, 8, 9, 10
PURCHASE, BUYBACK, MULTIKILL, KILLSTREAK = 11, 12, 15, 16
RUNE_PICKUP = "CHAT_MESSAGE_RUNE_PICKUP"
OBJECTIVE_CHAT = {
    "CHAT_MESSAGE_FIRSTBLOOD", "CHAT_MESSAGE_ROSHAN_KILL", "CHAT_MESSAGE_AEGIS",
    "CHAT_MESSAGE_AEGIS_STOLEN", "CHAT_MESSAGE_DENIED_AEGIS", "CHAT_MESSAGE_COURIER_LOST",
    "CHAT_MESSAGE_MINIBOSS_KILL",
}  # fmt: skip
PER_PLAYER_MAPS = (
    "damage", "damage_taken", "damage_inflictor", "damage_targets", "healing", "hero_hits",
    "ability_uses", "item_uses", "purchase", "gold_reasons", "xp_reasons", "killed",
    "killed_by", "multi_kills", "kill_streaks", "runes", "obs", "sen",
)  # fmt: skip
PER_PLAYER_LOGS = (
    "times", "gold_t", "xp_t", "lh_t", "dn_t", "kills_log", "purchase_log", "runes_log",
    "buyback_log", "obs_log", "sen_log", "obs_left_log", "sen_left_log",
)  # fmt: skip
FILLED_ELSEWHERE = ["gold_t", "radiant_gold_adv", "lane_pos", "actions", "pings", "life_state"]


def _key(name: str) -> str | None:
    if not name or name == "dota_unknown":
        return None
    return name.removeprefix("item_")


def _unit(name: str, illusion: bool) -> str:
    return f"illusion_{name}" if illusion else name


def _bump(counts: dict, key: Any, amount: int = 1) -> None:
    key = "null" if key is None else str(key)
    counts[key] = counts.get(key, 0) + amount


def document_build(raw: dict[str, Any], match_id: int | None = None) -> dict[str, Any]:
    """The parsed-match document for one successful manta parse."""
    roster = Roster.from_raw(raw)
    players = [_empty_player(player_slot) for player_slot in roster.player_slots]
    combat_log = (raw.get("combat_log") or {}).get("entries") or []
    deaths = _combat_log_apply(combat_log, roster, players)
    chat, objectives = _messages_apply(raw, roster, players)
    objectives.extend(_building_kills(combat_log, roster))
    objectives.sort(key=lambda objective: objective["time"])
    _wards_apply(raw, roster, players)
    _snapshots_apply(raw, roster, players)
    header = raw.get("header") or {}
    game_info = raw.get("game_info") or {}
    return {
        "_id": match_id or game_info.get("match_id") or None,
        "match_id": match_id or game_info.get("match_id") or None,
        "version": VERSION,
        "source": "replay",
        "replay": {
            "build_num": header.get("build_num"),
            "game_build": header.get("game_build"),
            "map_name": header.get("map_name"),
            "playback_ticks": game_info.get("playback_ticks"),
            "playback_time": game_info.get("playback_time"),
            "replay_match_id": game_info.get("match_id") or None,
            "combat_log_entries": len(combat_log),
        },
        "chat": chat,
        "objectives": objectives,
        "teamfights": _teamfights(deaths, combat_log, roster),
        "radiant_gold_adv": [],
        "radiant_xp_adv": _advantage(players, "xp_t"),
        "draft_timings": [],
        "players": players,
        "empty_fields": FILLED_ELSEWHERE,
    }


def _empty_player(player_slot: int) -> dict[str, Any]:
    player: dict[str, Any] = {"player_slot": player_slot}
    player.update({name: {} for name in PER_PLAYER_MAPS})
    player.update({name: [] for name in PER_PLAYER_LOGS})
    return player


def _combat_log_apply(entries: list[dict], roster: Roster, players: list[dict]) -> list[dict]:
    deaths: list[dict] = []
    for entry in entries:
        kind = entry.get("type")
        time = roster.clock(entry)
        source = roster.slot_of(entry.get("damage_source_name", ""))
        attacker = roster.slot_of(entry.get("attacker_name", ""))
        target = roster.slot_of(entry.get("target_name", ""))
        real_target = entry.get("is_target_hero") and not entry.get("is_target_illusion")
        target_name = _unit(entry.get("target_name", ""), entry.get("is_target_illusion", False))
        inflictor = _key(entry.get("inflictor_name", ""))
        value = int(entry.get("value") or 0)
        if kind == DAMAGE:
            if source is not None:
                _bump(players[source]["damage"], target_name, value)
                if real_target:
                    _bump(players[source]["hero_hits"], inflictor)
                    hit = players[source]["damage_targets"].setdefault(str(inflictor), {})
                    _bump(hit, entry["target_name"], value)
                    if entry["target_name"] != entry.get("damage_source_name"):
                        _bump(players[source]["damage_inflictor"], inflictor, value)
            if target is not None and real_target:
                _bump(players[target]["damage_taken"], entry.get("damage_source_name"), value)
        elif kind == HEAL and source is not None:
            _bump(players[source]["healing"], target_name, value)
        elif kind == DEATH:
            if source is not None:
                _bump(players[source]["killed"], target_name)
                if real_target and entry.get("attacker_name") != entry.get("target_name"):
                    players[source]["kills_log"].append({"time": time, "key": target_name})
            if target is not None and real_target:
                _bump(players[target]["killed_by"], entry.get("damage_source_name"))
                deaths.append({"time": time, "slot": target, "killer": source})
        elif kind == ABILITY and attacker is not None:
            _bump(players[attacker]["ability_uses"], inflictor)
        elif kind == ITEM and attacker is not None:
            _bump(players[attacker]["item_uses"], inflictor)
        elif kind == GOLD and target is not None:
            _bump(players[target]["gold_reasons"], entry.get("gold", 0), value)
        elif kind == XP and target is not None:
            _bump(players[target]["xp_reasons"], entry.get("xp", 0), value)
        elif kind == PURCHASE and target is not None:
            item = _key(entry.get("value_name", ""))
            if item:
                _bump(players[target]["purchase"], item)
                if not item.startswith("recipe_"):
                    players[target]["purchase_log"].append({"time": time, "key": item})
        elif kind == BUYBACK and 0 <= value < len(players):
            player_slot = roster.player_slots[value]
            players[value]["buyback_log"].append(
                {"time": time, "slot": value, "type": "buyback_log", "player_slot": player_slot}
            )
        elif kind in (MULTIKILL, KILLSTREAK) and attacker is not None:
            field = "multi_kills" if kind == MULTIKILL else "kill_streaks"
            _bump(players[attacker][field], value)
    return deaths


def _building_kills(entries: list[dict], roster: Roster) -> list[dict]:
    objectives = []
    for entry in entries:
        target = entry.get("target_name", "")
        if entry.get("type") != DEATH:
            continue
        if not any(part in target for part in ("_tower", "_rax_", "_healers", "_fort")):
            continue
        killer = entry.get("damage_source_name", "")
        objective = {"time": roster.clock(entry), "type": "building_kill", "unit": killer}
        objective["key"] = target
        slot = roster.slot_of(killer)
        if slot is not None:
            objective.update(slot=slot, player_slot=roster.player_slots[slot])
        objectives.append(objective)
    return objectives


def _messages_apply(raw: dict, roster: Roster, players: list[dict]) -> tuple[list, list]:
    chat: list[dict] = []
    objectives: list[dict] = []
    for message in (raw.get("messages") or {}).get("messages") or []:
        data = message.get("data") or {}
        time = roster.tick_clock(message.get("tick", 0))
        kind = message.get("type")
        if kind == "CDOTAUserMsg_ChatMessage" and data.get("channel_type", 11) == 11:
            slot = data.get("source_player_id")
            chat.append(_chat_line(time, "chat", data.get("message_text", ""), slot, roster))
        elif kind == "CDOTAUserMsg_ChatWheel":
            slot = data.get("player_id")
            chat.append(
                _chat_line(time, "chatwheel", str(data.get("chat_message_id")), slot, roster)
            )
        elif kind == "CDOTAUserMsg_ChatEvent":
            event = data.get("type")
            first = data.get("playerid_1", -1)
            if event == RUNE_PICKUP and 0 <= first < len(players):
                players[first]["runes_log"].append({"time": time, "key": data.get("value")})
                _bump(players[first]["runes"], data.get("value"))
            elif event in OBJECTIVE_CHAT:
                objective = {"time": time, "type": event, "value": data.get("value")}
                if 0 <= first < len(players):
                    objective.update(slot=first, player_slot=roster.player_slots[first])
                objective["key"] = data.get("playerid_2")
                objectives.append(objective)
    return chat, objectives


def _chat_line(time: int, kind: str, key: str, slot: Any, roster: Roster) -> dict:
    line = {"time": time, "type": kind, "key": key, "slot": slot}
    if isinstance(slot, int) and 0 <= slot < len(roster.player_slots):
        line["player_slot"] = roster.player_slots[slot]
    return line


def _wards_apply(raw: dict, roster: Roster, players: list[dict]) -> None:
    for ward in (raw.get("wards") or {}).get("events") or []:
        slot = roster.slot_of(ward.get("placed_by", ""))
        if slot is None:
            continue
        kind = "obs" if ward.get("ward_type") == "observer" else "sen"
        x, y = roster.cell(ward.get("x", 0.0)), roster.cell(ward.get("y", 0.0))
        entry = {
            "time": round(ward.get("game_time", 0)), "type": f"{kind}_log", "key": f"[{x},{y}]",
            "slot": slot, "player_slot": roster.player_slots[slot], "x": x, "y": y, "z": 0,
            "entityleft": False, "ehandle": ward.get("entity_id"),
        }  # fmt: skip
        players[slot][f"{kind}_log"].append(entry)
        column = players[slot][kind].setdefault(str(round(x)), {})
        _bump(column, round(y))
        if ward.get("death_tick"):
            left = dict(entry, type=f"{kind}_left_log", entityleft=True)
            left["time"] = round(ward.get("death_game_time", 0))
            if ward.get("was_killed"):
                left["attackername"] = ward.get("killed_by")
            players[slot][f"{kind}_left_log"].append(left)


def _snapshots_apply(raw: dict, roster: Roster, players: list[dict]) -> None:
    seen: set[tuple[int, int]] = set()
    for snapshot in (raw.get("entities") or {}).get("snapshots") or []:
        time = round(snapshot.get("game_time", 0))
        if time < 0 or time % 60:
            continue
        for hero in snapshot.get("heroes") or []:
            slot = roster.slot_of(hero.get("hero_name", ""))
            if slot is None or (slot, time) in seen:
                continue
            seen.add((slot, time))
            player = players[slot]
            player["times"].append(time)
            player["xp_t"].append(hero.get("xp", 0))
            player["lh_t"].append(hero.get("last_hits", 0))
            player["dn_t"].append(hero.get("denies", 0))


def _advantage(players: list[dict], field: str) -> list[int]:
    radiant = [p[field] for p in players if p["player_slot"] < 128]
    dire = [p[field] for p in players if p["player_slot"] >= 128]
    if not radiant or not dire or not all(radiant + dire):
        return []
    length = min(len(series) for series in radiant + dire)
    return [sum(s[i] for s in radiant) - sum(s[i] for s in dire) for i in range(length)]


def _teamfights(deaths: list[dict], entries: list[dict], roster: Roster) -> list[dict]:
    fights: list[dict] = []
    current: dict | None = None
    for death in sorted(deaths, key=lambda d: d["time"]):
        if current and death["time"] - current["last_death"] > 15:
            current["end"] = current["last_death"] + 15
            fights.append(current)
            current = None
        if current is None:
            current = {"start": death["time"] - 15, "last_death": death["time"], "deaths": 0}
        current["last_death"] = death["time"]
        current["deaths"] += 1
    # A fight still open when the game ends is dropped, as the snapshot rule would.
    fights = [fight for fight in fights if fight["deaths"] >= 3]
    for fight in fights:
        fight["players"] = [_fight_player() for _ in roster.player_slots]
    for fight in fights:
        for death in deaths:
            if fight["start"] <= death["time"] <= fight["end"]:
                fight["players"][death["slot"]]["deaths"] += 1
        for entry in entries:
            if fight["start"] <= roster.clock(entry) <= fight["end"]:
                _fight_entry_apply(fight["players"], entry, roster)
    return fights


def _fight_player() -> dict[str, Any]:
    return {
        "deaths": 0, "buybacks": 0, "damage": 0, "healing": 0, "gold_delta": 0,
        "xp_delta": 0, "killed": {}, "ability_uses": {}, "item_uses": {}, "ability_targets": {},
    }  # fmt: skip


def _fight_entry_apply(fight_players: list[dict], entry: dict, roster: Roster) -> None:
    kind = entry.get("type")
    source = roster.slot_of(entry.get("damage_source_name", ""))
    attacker = roster.slot_of(entry.get("attacker_name", ""))
    target = roster.slot_of(entry.get("target_name", ""))
    real_target = entry.get("is_target_hero") and not entry.get("is_target_illusion")
    value = int(entry.get("value") or 0)
    if kind == DAMAGE and source is not None and real_target:
        fight_players[source]["damage"] += value
    elif kind == HEAL and source is not None and real_target:
        fight_players[source]["healing"] += value
    elif kind == DEATH and source is not None and real_target:
        _bump(fight_players[source]["killed"], entry.get("target_name"))
    elif kind == GOLD and target is not None:
        fight_players[target]["gold_delta"] += value
    elif kind == XP and target is not None:
        fight_players[target]["xp_delta"] += value
    elif kind == ABILITY and attacker is not None:
        _bump(fight_players[attacker]["ability_uses"], _key(entry.get("inflictor_name", "")))
    elif kind == ITEM and attacker is not None:
        _bump(fight_players[attacker]["item_uses"], _key(entry.get("inflictor_name", "")))
    elif kind == BUYBACK and 0 <= value < len(fight_players):
        fight_players[value]["buybacks"] += 1
