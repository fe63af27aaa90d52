"""Reads behind a player's pages; every query is one the embedded MongoDB answers."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from pymongo import DESCENDING

from tasks.storage.schema import PLAYER_MATCHES, PLAYERS
from yasp_web.mongo import mongo

ROW_FIELDS = {
    "match_id": 1, "player_slot": 1, "hero_id": 1, "start_time": 1, "duration": 1,
    "game_mode": 1, "lobby_type": 1, "win": 1, "kills": 1, "deaths": 1, "assists": 1,
    "last_hits": 1, "denies": 1, "gold_per_min": 1, "xp_per_min": 1, "hero_damage": 1,
    "tower_damage": 1, "hero_healing": 1,
}  # fmt: skip
RECORD_FIELDS = (
    ("kills", "Kills"), ("deaths", "Deaths"), ("assists", "Assists"), ("last_hits", "Last hits"),
    ("denies", "Denies"), ("gold_per_min", "GPM"), ("xp_per_min", "XPM"),
    ("hero_damage", "Hero damage"), ("tower_damage", "Tower damage"),
    ("hero_healing", "Hero healing"), ("duration", "Duration"),
)  # fmt: skip
# Peers are counted over this many of the player's latest matches, since each needs the other
# nine rows; drop the cap once rows carry their match's account ids.
PEER_MATCH_LIMIT = 1000
PAGE_SIZE = 25


def player_profile(account_id: int) -> dict[str, Any] | None:
    """The player's profile, or None when the site knows neither profile nor matches."""
    profile = mongo()[PLAYERS].find_one({"_id": account_id})
    if profile is None:
        if mongo()[PLAYER_MATCHES].find_one({"account_id": account_id}, {"_id": 1}) is None:
            return None
        profile = {"_id": account_id}
    return profile


def player_win_loss(query: dict[str, Any]) -> tuple[int, int]:
    """(wins, losses) among the matches `query` selects."""
    counts = {True: 0, False: 0}
    pipeline = [{"$match": query}, {"$group": {"_id": "$win", "n": {"$sum": 1}}}]
    for group in mongo()[PLAYER_MATCHES].aggregate(pipeline):
        counts[bool(group["_id"])] += group["n"]
    return counts[True], counts[False]


def player_matches(query: dict[str, Any], *, page: int = 1, size: int = PAGE_SIZE) -> list[dict]:
    """One page of the selected matches, newest first."""
    cursor = (
        mongo()[PLAYER_MATCHES]
        .find(query, ROW_FIELDS)
        .sort("start_time", DESCENDING)
        .skip((page - 1) * size)
        .limit(size)
    )
    return list(cursor)


def _hero_counts(query: dict[str, Any]) -> dict[int, int]:
    pipeline = [{"$match": query}, {"$group": {"_id": "$hero_id", "n": {"$sum": 1}}}]
    return {g["_id"]: g["n"] for g in mongo()[PLAYER_MATCHES].aggregate(pipeline)}


def player_heroes(query: dict[str, Any]) -> list[dict[str, Any]]:
    """Games and wins per hero, most played first."""
    games = _hero_counts(query)
    wins = _hero_counts({**query, "win": True}) if query.get("win") is not False else {}
    heroes = [
        {
            "hero_id": hero_id,
            "games": n,
            "wins": wins.get(hero_id, 0),
            "win_rate": wins.get(hero_id, 0) / n,
        }
        for hero_id, n in games.items()
    ]
    return sorted(heroes, key=lambda h: (-h["games"], h["hero_id"]))


def player_records(query: dict[str, Any]) -> list[dict[str, Any]]:
    """The match holding the highest value of each record field."""
    records = []
    for field, label in RECORD_FIELDS:
        row = mongo()[PLAYER_MATCHES].find_one(
            {**query, field: {"$ne": None}}, ROW_FIELDS, sort=[(field, DESCENDING)]
        )
        if row is not None:
            records.append({"field": field, "label": label, "value": row[field], "row": row})
    return records


def player_activity(query: dict[str, Any]) -> list[dict[str, Any]]:
    """Games and wins per calendar month, oldest first."""
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in mongo()[PLAYER_MATCHES].find(query, {"start_time": 1, "win": 1, "_id": 0}):
        if not row.get("start_time"):
            continue
        month = datetime.fromtimestamp(row["start_time"], UTC).strftime("%Y-%m")
        months[month][0] += 1
        months[month][1] += bool(row.get("win"))
    return [{"month": m, "games": g, "wins": w} for m, (g, w) in sorted(months.items())]


def player_peers(account_id: int, query: dict[str, Any]) -> list[dict[str, Any]]:
    """Players met in the latest selected matches: games and wins with and against each."""
    own = {
        row["match_id"]: row
        for row in mongo()[PLAYER_MATCHES]
        .find(query, {"match_id": 1, "player_slot": 1, "win": 1})
        .sort("start_time", DESCENDING)
        .limit(PEER_MATCH_LIMIT)
    }
    peers: dict[int, dict[str, Any]] = {}
    match_ids = list(own)
    for start in range(0, len(match_ids), 500):
        chunk = match_ids[start : start + 500]
        others = mongo()[PLAYER_MATCHES].find(
            {"match_id": {"$in": chunk}}, {"match_id": 1, "account_id": 1, "player_slot": 1}
        )
        for other in others:
            if other["account_id"] == account_id:
                continue
            mine = own[other["match_id"]]
            peer = peers.setdefault(
                other["account_id"],
                {"account_id": other["account_id"], "with_games": 0, "with_wins": 0,
                 "against_games": 0, "against_wins": 0},
            )  # fmt: skip
            side = (
                "with" if (other["player_slot"] < 128) == (mine["player_slot"] < 128) else "against"
            )
            peer[f"{side}_games"] += 1
            peer[f"{side}_wins"] += bool(mine.get("win"))
    ranked = sorted(peers.values(), key=lambda p: -(p["with_games"] + p["against_games"]))[:100]
    names = player_names([p["account_id"] for p in ranked])
    for peer in ranked:
        peer["personaname"] = names.get(peer["account_id"])
    return ranked


def player_names(account_ids: list[int]) -> dict[int, str]:
    """Persona names of the given accounts, where known."""
    if not account_ids:
        return {}
    found = mongo()[PLAYERS].find({"_id": {"$in": account_ids}}, {"personaname": 1})
    return {p["_id"]: p["personaname"] for p in found if p.get("personaname")}


def players_by_name(prefix: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Players whose persona name contains `prefix` (case-insensitive); matched literally."""
    pattern = re.escape(prefix)
    found = mongo()[PLAYERS].find(
        {"personaname": {"$regex": pattern, "$options": "i"}}, {"personaname": 1}
    )
    return list(found.limit(limit))
