"""Reads behind a match page."""

from __future__ import annotations

from typing import Any

from tasks.storage.schema import MATCHES, PARSED_MATCHES
from yasp_web.mongo import mongo
from yasp_web.players.selectors import player_names


def match_detail(match_id: int) -> dict[str, Any] | None:
    """The match as stored, or None."""
    return mongo()[MATCHES].find_one({"_id": match_id})


def match_parsed(match_id: int) -> dict[str, Any] | None:
    """The parsed data of a match, or None while it has none."""
    return mongo()[PARSED_MATCHES].find_one({"_id": match_id})


def match_player_names(match: dict[str, Any]) -> dict[int, str]:
    """Persona names of the match's known players."""
    ids = [p["account_id"] for p in match.get("players", []) if p.get("account_id")]
    return player_names(ids)
