"""`GetMatchHistory` by account (a player's recent matches) and `GetPlayerSummaries`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tasks.steam_webapi.client import HISTORY_PATH, SUMMARIES_PATH, SteamWebApi
from tasks.steam_webapi.errors import ApiRejected, MalformedResponse

STATUS_PRIVATE = 15
SUMMARIES_BATCH = 100


class HistoryPrivate(ApiRejected):
    """Status 15: the player does not share their match history."""


@dataclass(frozen=True)
class HistoryPage:
    """One page of a player's match history, newest first."""

    matches: list[dict[str, Any]]
    results_remaining: int
    total_results: int


def history_page(
    api: SteamWebApi, account_id: int, *, start_at_match_id: int | None, matches_requested: int
) -> HistoryPage:
    """The player's matches at or below `start_at_match_id` (newest first), checked."""
    params: dict[str, Any] = {"account_id": account_id, "matches_requested": matches_requested}
    if start_at_match_id is not None:
        params["start_at_match_id"] = start_at_match_id
    body = api.get_json(HISTORY_PATH, params)
    result = body.get("result")
    where = f"match history of {account_id}"
    if not isinstance(result, dict):
        raise MalformedResponse(f"{where} has no `result` object")
    status = result.get("status")
    if status == STATUS_PRIVATE:
        raise HistoryPrivate(f"{where} is private: {result.get('statusDetail', '')}", status)
    if status != 1:
        raise ApiRejected(f"{where}: status {status}: {result.get('statusDetail', '')}", status)
    matches = result.get("matches", [])
    if not isinstance(matches, list) or not all(
        isinstance(m, dict) and isinstance(m.get("match_id"), int) for m in matches
    ):
        raise MalformedResponse(f"{where}: `matches` is not a list of matches with ids")
    return HistoryPage(
        matches=matches,
        results_remaining=int(result.get("results_remaining", 0) or 0),
        total_results=int(result.get("total_results", len(matches)) or 0),
    )


def player_summaries(api: SteamWebApi, steamids: list[int]) -> list[dict[str, Any]]:
    """Profiles of up to 100 players; a private or unknown account is simply absent."""
    if len(steamids) > SUMMARIES_BATCH:
        raise ValueError(f"at most {SUMMARIES_BATCH} steam ids per call, got {len(steamids)}")
    body = api.get_json(SUMMARIES_PATH, {"steamids": ",".join(map(str, steamids))})
    players = (body.get("response") or {}).get("players")
    if not isinstance(players, list):
        raise MalformedResponse("player summaries have no `response.players` list")
    return players
