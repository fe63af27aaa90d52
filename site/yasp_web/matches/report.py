"""Turn a stored match and its parsed data into what the match page shows."""

from __future__ import annotations

import time
from typing import Any

from tasks.storage.schema import STAGE_FAILED, STAGE_PARSE_WAIT, STAGE_PARSED, STAGE_SALT_WAIT
from yasp_web import charts, constants

# Valve keeps replays about ten days; after that an unparsed match will not be parsed.
REPLAY_LIFETIME_S = 10 * 24 * 3600
CONSUMABLES = frozenset(
    "tango tango_single flask clarity enchanted_mango faerie_fire ward_observer ward_sentry "
    "ward_dispenser dust smoke_of_deceit tpscroll tome_of_knowledge blood_grenade".split()
)


def scoreboard(match: dict[str, Any], names: dict[int, str]) -> dict[str, list[dict]]:
    """The two teams' rows, with names and item names resolved."""
    teams: dict[str, list[dict]] = {"radiant": [], "dire": []}
    for player in sorted(match.get("players", []), key=lambda p: p.get("player_slot", 0)):
        row = dict(player)
        row["personaname"] = names.get(player.get("account_id") or -1)
        row["items"] = [
            constants.item_name(player.get(f"item_{i}"))
            for i in range(6)
            if player.get(f"item_{i}")
        ]
        teams["radiant" if player.get("player_slot", 0) < 128 else "dire"].append(row)
    return teams


def missing_reason(match: dict[str, Any], now: float | None = None) -> str:
    """Why a match has no parsed data yet, in words a player understands."""
    stage = match.get("stage")
    if stage == STAGE_FAILED:
        where = match.get("failed_stage") or "the pipeline"
        reason = match.get("stage_reason") or "no reason recorded"
        return f"Parsing failed at {where}: {reason}."
    age = (now or time.time()) - (match.get("start_time") or 0)
    if stage in (STAGE_SALT_WAIT, STAGE_PARSE_WAIT, None) and age > REPLAY_LIFETIME_S:
        return (
            "The replay has most likely expired (Valve keeps replays about ten days), "
            "so this match may never be parsed."
        )
    if stage == STAGE_SALT_WAIT:
        return "Waiting for the replay's location from the Dota 2 game coordinator."
    if stage == STAGE_PARSE_WAIT:
        return "Waiting for the replay to be downloaded and parsed."
    if stage == STAGE_PARSED:
        return "The match is marked parsed but its parsed data is missing."
    return "This match has not been queued for parsing."


def _slot_label(slot_players: dict[int, dict], player_slot: int) -> str:
    player = slot_players.get(player_slot)
    return constants.hero_name(player.get("hero_id")) if player else f"slot {player_slot}"


def parsed_sections(match: dict[str, Any], parsed: dict[str, Any]) -> dict[str, Any]:
    """Graphs, purchases, wards, kills, chat, objectives and teamfights of a parsed match."""
    slot_players = {p.get("player_slot"): p for p in match.get("players", [])}
    players = sorted(parsed.get("players") or [], key=lambda p: p.get("player_slot", 0))
    sections: dict[str, Any] = {}

    advantage = []
    for key, label, colour in (
        ("radiant_gold_adv", "Radiant gold advantage", "#f0c419"),
        ("radiant_xp_adv", "Radiant experience advantage", "#5ab0ff"),
    ):
        values = parsed.get(key) or []
        if values:
            advantage.append(charts.Series(label, colour, [float(v) for v in values]))
    if advantage:
        longest = max(len(s.values) for s in advantage)
        sections["advantage_chart"] = charts.line_chart(
            title="Radiant advantage (gold, experience)",
            minutes=list(range(longest)),
            series=advantage,
        )

    gold_series = []
    minutes: list[float] = []
    for index, player in enumerate(players):
        times, gold = player.get("times") or [], player.get("gold_t") or []
        if times and gold:
            if len(times) > len(minutes):
                minutes = [t / 60 for t in times]
            label = _slot_label(slot_players, player.get("player_slot"))
            colour = charts.SLOT_COLOURS[index % len(charts.SLOT_COLOURS)]
            gold_series.append(charts.Series(label, colour, [float(g) for g in gold]))
    if gold_series and minutes:
        sections["gold_chart"] = charts.line_chart(
            title="Gold earned per player", minutes=minutes, series=gold_series
        )
        sections["gold_legend"] = [(s.label, s.colour) for s in gold_series]

    purchases, kills, wards = [], [], []
    for player in players:
        label = _slot_label(slot_players, player.get("player_slot"))
        bought = [
            {"time": e.get("time"), "item": constants.item_display_name(str(e.get("key")))}
            for e in player.get("purchase_log") or []
            if isinstance(e, dict)
            and e.get("key") not in CONSUMABLES
            and not str(e.get("key", "")).startswith("recipe_")
        ]
        purchases.append({"hero": label, "items": bought})
        for event in player.get("kills_log") or []:
            kills.append(
                {"time": event.get("time"), "killer": label,
                 "victim": constants.hero_name_from_unit(str(event.get("key")))}
            )  # fmt: skip
        for kind, ward_name in (("obs", "observer"), ("sen", "sentry")):
            for event in player.get(f"{kind}_log") or []:
                title = f"{label} {ward_name} at {event.get('time')} s"
                wards.append(
                    {"kind": kind, "x": event.get("x"), "y": event.get("y"), "title": title}
                )
    sections["purchases"] = purchases
    sections["kills"] = sorted(kills, key=lambda k: k["time"] or 0)
    sections["ward_map"] = charts.ward_map(wards=wards)
    sections["ward_count"] = len(wards)

    chat = []
    for line in parsed.get("chat") or []:
        if not isinstance(line, dict):
            continue
        text = line.get("key", "")
        if line.get("type") == "chatwheel":
            text = constants.chat_wheel_message(str(text))
        who = line.get("unit") or _slot_label(slot_players, line.get("player_slot"))
        chat.append({"time": line.get("time"), "who": who, "text": str(text),
                     "wheel": line.get("type") == "chatwheel"})  # fmt: skip
    sections["chat"] = chat

    objectives = []
    for event in parsed.get("objectives") or []:
        if not isinstance(event, dict):
            continue
        what = str(event.get("type", "")).replace("CHAT_MESSAGE_", "").replace("_", " ").lower()
        target = event.get("key")
        who = event.get("unit") or (
            _slot_label(slot_players, event["player_slot"]) if "player_slot" in event else ""
        )
        objectives.append({"time": event.get("time"), "what": what, "who": str(who),
                           "target": str(target) if target is not None else ""})  # fmt: skip
    sections["objectives"] = objectives

    fights = []
    for fight in parsed.get("teamfights") or []:
        if not isinstance(fight, dict):
            continue
        gold = {"radiant": 0, "dire": 0}
        for index, fighter in enumerate(fight.get("players") or []):
            side = "radiant" if index < 5 else "dire"
            gold[side] += int(fighter.get("gold_delta") or 0) if isinstance(fighter, dict) else 0
        fights.append({"start": fight.get("start"), "end": fight.get("end"),
                       "deaths": fight.get("deaths"), **gold})  # fmt: skip
    sections["teamfights"] = fights
    return sections
