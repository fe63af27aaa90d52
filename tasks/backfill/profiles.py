"""Profile refresh (names, avatars, visibility) from `GetPlayerSummaries`, 100 ids a call."""

from __future__ import annotations

import time

from pymongo import UpdateOne
from pymongo.database import Database

from tasks.players.ids import STEAMID64_BASE, steamid64_from
from tasks.steam_webapi.client import SteamWebApi
from tasks.steam_webapi.history import player_summaries
from tasks.storage.schema import PLAYERS

PROFILE_FIELDS = (
    "personaname", "avatar", "avatarmedium", "avatarfull", "profileurl",
    "communityvisibilitystate", "loccountrycode", "lastlogoff",
)  # fmt: skip


def profiles_refresh(db: Database, api: SteamWebApi, account_ids: list[int]) -> dict[str, int]:
    """Refresh up to 100 players' profiles; an account Valve leaves out is marked missing."""
    players = player_summaries(api, [steamid64_from(a) for a in account_ids])
    now = time.time()
    found: set[int] = set()
    ops = []
    for player in players:
        account_id = int(player["steamid"]) - STEAMID64_BASE
        found.add(account_id)
        profile = {key: player[key] for key in PROFILE_FIELDS if key in player}
        profile.update(profile_updated_at=now, profile_missing=False)
        ops.append(UpdateOne({"_id": account_id}, {"$set": profile}, upsert=True))
    for account_id in set(account_ids) - found:
        ops.append(
            UpdateOne(
                {"_id": account_id},
                {"$set": {"profile_missing": True, "profile_updated_at": now}},
                upsert=True,
            )
        )
    if ops:
        db[PLAYERS].bulk_write(ops, ordered=False)
    return {"updated": len(found), "missing": len(set(account_ids) - found)}
