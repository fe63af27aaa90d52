"""`GetMatchHistoryBySequenceNum`: finished matches in ascending `match_seq_num` order."""

from __future__ import annotations

from typing import Any

from tasks.steam_webapi.client import SEQUENCE_PATH, SteamWebApi
from tasks.steam_webapi.errors import ApiRejected, MalformedResponse

Match = dict[str, Any]


def sequence_page(api: SteamWebApi, start_seq: int, matches_requested: int) -> list[Match]:
    """The matches with `match_seq_num` >= `start_seq`, at most `matches_requested`, checked."""
    body = api.get_json(
        SEQUENCE_PATH,
        {"start_at_match_seq_num": start_seq, "matches_requested": matches_requested},
    )
    result = body.get("result")
    if not isinstance(result, dict):
        raise MalformedResponse(f"sequence page at seq {start_seq} has no `result` object")
    status = result.get("status", 1)
    if status != 1:
        detail = result.get("statusDetail") or result.get("error") or "no detail"
        raise ApiRejected(f"sequence page at seq {start_seq}: status {status}: {detail}", status)
    # Valve leaves the key out rather than sending an empty list on some empty answers.
    matches = result.get("matches", [])
    if not isinstance(matches, list):
        raise MalformedResponse(f"sequence page at seq {start_seq}: `matches` is not a list")
    previous = start_seq - 1
    for index, match in enumerate(matches):
        _match_check(match, index, start_seq)
        if match["match_seq_num"] <= previous:
            raise MalformedResponse(
                f"sequence page at seq {start_seq}: match {index} has match_seq_num "
                f"{match['match_seq_num']}, not above {previous}"
            )
        previous = match["match_seq_num"]
    return matches


def match_by_seq(api: SteamWebApi, match_id: int, match_seq_num: int) -> Match | None:
    """The full match data of one match, read as a one-match sequence page; None if absent."""
    page = sequence_page(api, match_seq_num, 1)
    if page and page[0]["match_id"] == match_id:
        return page[0]
    return None


def _match_check(match: object, index: int, start_seq: int) -> None:
    where = f"sequence page at seq {start_seq}: match {index}"
    if not isinstance(match, dict):
        raise MalformedResponse(f"{where} is not an object")
    for key in ("match_id", "match_seq_num", "start_time"):
        if not isinstance(match.get(key), int) or isinstance(match.get(key), bool):
            raise MalformedResponse(f"{where} has no integer `{key}`")
    players = match.get("players", [])
    if not isinstance(players, list) or not all(
        isinstance(p, dict) and isinstance(p.get("player_slot"), int) for p in players
    ):
        raise MalformedResponse(f"{where} (match_id {match['match_id']}) has malformed players")
