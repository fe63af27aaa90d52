"""OpenDota's public API on loopback: `GET /api/matches/<match_id>` from the recorded matches.

Served documents:
- 8821954344: OpenDota's own /matches document, as recorded (`od_data.has_parsed` false);
- 7490235544: assembled the way OpenDota's /matches merges what it stores for a match, from
  three real recordings of it: Valve's match details, the GC data (cluster, replay salt)
  and OpenDota's parser output (match-level parsed fields, players joined on player_slot).

Unknown ids get 404; `rate_limit(n)` answers the next n requests with 429.
Run alone: `python -m standins.opendota --port 5300`.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from functools import lru_cache
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from standins.http import Reply, StandInServer

_ROUTE = re.compile(r"^/api/matches/(\d{1,20})/?$")
NOT_FOUND = Reply(404, b'{"error":"Not Found"}')


@lru_cache(maxsize=4)
def opendota_matches(data_dir: Path) -> dict[int, dict[str, Any]]:
    """The /matches documents the stand-in serves, by match_id."""
    documents: dict[int, dict[str, Any]] = {}
    for path in sorted((data_dir / "opendota" / "gem-dota").glob("*.opendota.json")):
        document = json.loads(path.read_text())
        documents[int(document["match_id"])] = document
    parsed = json.loads((data_dir / "opendota" / "7490235544_parsed.json").read_text())
    details = json.loads(
        (
            data_dir / "steam-webapi" / "GetMatchDetails" / "odota_core_7490235544_api.json"
        ).read_text()
    )
    gcdata = json.loads((data_dir / "gc" / "odota_core_7490235544_gcdata.json").read_text())
    documents[int(parsed["match_id"])] = _merged(details.get("result", details), gcdata, parsed)
    return documents


def _merged(details: dict, gcdata: dict, parsed: dict) -> dict[str, Any]:
    parsed_players = {p["player_slot"]: p for p in parsed["players"]}
    match = {**details, "cluster": gcdata["cluster"], "replay_salt": gcdata["replay_salt"]}
    match.update({k: v for k, v in parsed.items() if k not in ("players", "match_id")})
    match["players"] = [
        {**player, **parsed_players.get(player["player_slot"], {})} for player in details["players"]
    ]
    match["od_data"] = {"has_api": True, "has_gcdata": True, "has_parsed": True}
    return match


class OpenDotaStandIn(StandInServer):
    """Answers like api.opendota.com for the recorded matches; records when each request came."""

    def __init__(self, data_dir: Path, port: int = 0) -> None:
        super().__init__(port=port)
        self.matches = opendota_matches(data_dir)
        self.request_times: list[float] = []

    def route(self, path: str, query: dict[str, str]) -> Reply:
        found = _ROUTE.match(path)
        document = self.matches.get(int(found.group(1))) if found else None
        if document is None:
            return NOT_FOUND
        return Reply(200, json.dumps(document).encode())

    def rate_limit(self, count: int = 1, retry_after: float | None = None) -> None:
        """Answer the next `count` requests with 429 (with Retry-After when given)."""
        headers = () if retry_after is None else (("Retry-After", f"{retry_after:g}"),)
        self.fault_add(Reply(429, b'{"error":"rate limit exceeded"}', headers=headers), count)

    def match_requests(self) -> list[int]:
        """The match ids asked for, in order, including refused requests."""
        return [int(m.group(1)) for path, _ in self.requests if (m := _ROUTE.match(path))]

    def _answer(self, handler: BaseHTTPRequestHandler, path: str, query: dict[str, str]) -> None:
        self.request_times.append(time.monotonic())
        super()._answer(handler, path, query)


def main() -> None:
    """Serve until interrupted."""
    from tasks.config import settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5300)
    args = parser.parse_args()
    server = OpenDotaStandIn(Path(settings().data_dir), port=args.port).start()
    print(f"OpenDota stand-in on {server.url} with matches {sorted(server.matches)}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
