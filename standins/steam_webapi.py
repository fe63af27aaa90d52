"""A loopback stand-in for the Steam Web API that serves recorded real responses.

It answers `GetMatchHistoryBySequenceNum` as Valve does: the first matches whose
`match_seq_num` is at least `start_at_match_seq_num`, at most `matches_requested` (100
at most), in ascending order. `GetMatchHistory` by `account_id` pages a player's recorded
matches newest first from `start_at_match_id`, reaching back at most 500 matches, and
`GetPlayerSummaries` returns the recorded profiles of the steam ids asked for.
Faults (429 with Valve's HTML body, 500 with `{}`, a malformed body, a dropped
connection) can be queued for tests. Run it alone with
`python -m standins.steam_webapi --port 8901`.
"""

from __future__ import annotations

import argparse
import bisect
import json
import time
from pathlib import Path
from typing import Any

from standins.http import DROP, Reply, StandInServer
from tasks.config import settings
from tasks.steam_webapi.client import HISTORY_PATH, SEQUENCE_PATH, SUMMARIES_PATH

# Reconstructed from the text Valve shows for a missing or refused key (no recording exists).
FORBIDDEN_HTML = (
    b"<html><head><title>Forbidden</title></head><body><h1>Forbidden</h1>"
    b"Access is denied. Retrying will not help. Please verify your <pre>key=</pre> "
    b"parameter.</body></html>"
)


def recorded_sequence_files(data_dir: Path | None = None) -> list[Path]:
    """The recorded real sequence pages shipped with the test data."""
    base = (data_dir or settings().data_dir) / "steam-webapi" / "GetMatchHistoryBySequenceNum"
    return sorted(base.glob("*.json"))


HISTORY_CAP = 500
ANONYMOUS = 4294967295
STEAMID64_BASE = 76561197960265728


def recorded_details_files(data_dir: Path | None = None) -> list[Path]:
    """Recorded `GetMatchDetails` bodies: the same match objects the sequence API returns."""
    base = (data_dir or settings().data_dir) / "steam-webapi" / "GetMatchDetails"
    return sorted(base.glob("*.json"))


class SteamWebApiStandIn(StandInServer):
    """Serves recorded sequence pages, match histories and profiles over HTTP on loopback."""

    def __init__(
        self,
        sequence_files: list[Path] | None = None,
        port: int = 0,
        *,
        with_details: bool = False,
    ) -> None:
        super().__init__(port=port)
        self.data_dir = settings().data_dir
        matches: dict[int, dict[str, Any]] = {}
        files = list(sequence_files or recorded_sequence_files(self.data_dir))
        for path in files:
            for match in json.loads(path.read_text())["result"]["matches"]:
                matches[match["match_seq_num"]] = match
        if with_details:
            for path in recorded_details_files(self.data_dir):
                body = json.loads(path.read_text())
                match = body.get("result", body)
                if isinstance(match.get("match_seq_num"), int):
                    matches[match["match_seq_num"]] = match
        self.seq_nums = sorted(matches)
        self.matches = [matches[seq] for seq in self.seq_nums]
        self.histories = self._recorded_histories()
        self.profiles = self._recorded_profiles()
        self.private_histories: set[int] = set()

    def _recorded_histories(self) -> dict[int, list[dict[str, Any]]]:
        entries: dict[int, dict[str, Any]] = {}
        for path in sorted((self.data_dir / "steam-webapi" / "GetMatchHistory").glob("*.json")):
            for entry in json.loads(path.read_text())["result"].get("matches", []):
                entries[entry["match_id"]] = entry
        histories: dict[int, list[dict[str, Any]]] = {}
        for entry in sorted(entries.values(), key=lambda e: e["match_id"], reverse=True):
            for player in entry.get("players", []):
                account_id = player.get("account_id")
                if account_id not in (None, ANONYMOUS):
                    histories.setdefault(account_id, []).append(entry)
        return histories

    def _recorded_profiles(self) -> dict[str, dict[str, Any]]:
        profiles: dict[str, dict[str, Any]] = {}
        for path in sorted((self.data_dir / "steam-webapi" / "GetPlayerSummaries").glob("*.json")):
            for player in json.loads(path.read_text())["response"]["players"]:
                profiles[player["steamid"]] = player
        return profiles

    def history_add(self, account_id: int, entries: list[dict[str, Any]]) -> None:
        """Give a player more history entries (tests of long histories)."""
        history = self.histories.setdefault(account_id, [])
        history.extend(entries)
        history.sort(key=lambda e: e["match_id"], reverse=True)

    def route(self, path: str, query: dict[str, str]) -> Reply:
        if not query.get("key"):
            return Reply(403, FORBIDDEN_HTML, "text/html")
        endpoint = path.rstrip("/")
        if endpoint == HISTORY_PATH.rstrip("/"):
            return self._history(query)
        if endpoint == SUMMARIES_PATH.rstrip("/"):
            return self._summaries(query)
        if endpoint != SEQUENCE_PATH.rstrip("/"):
            return Reply(404, b"<html><body>Not Found</body></html>", "text/html")
        try:
            start = int(query.get("start_at_match_seq_num", "0"))
            requested = min(100, max(1, int(query.get("matches_requested", "100"))))
        except ValueError:
            return Reply(400, b"<html><body>Bad Request</body></html>", "text/html")
        first = bisect.bisect_left(self.seq_nums, start)
        page = self.matches[first : first + requested]
        return Reply(200, json.dumps({"result": {"status": 1, "matches": page}}).encode())

    def _history(self, query: dict[str, str]) -> Reply:
        try:
            account_id = int(query["account_id"])
            requested = min(100, max(1, int(query.get("matches_requested", "100"))))
            start_at = int(query["start_at_match_id"]) if "start_at_match_id" in query else None
        except (KeyError, ValueError):
            return Reply(400, b"<html><body>Bad Request</body></html>", "text/html")
        if account_id in self.private_histories:
            body = self.data_dir / "steam-webapi/errors/getmatchhistory_status15_private.json"
            return Reply(200, body.read_bytes())
        # Valve reaches back only over a player's most recent 500 matches.
        history = self.histories.get(account_id, [])[:HISTORY_CAP]
        if start_at is not None:
            history = [entry for entry in history if entry["match_id"] <= start_at]
        page = history[:requested]
        result = {
            "status": 1,
            "num_results": len(page),
            "total_results": min(HISTORY_CAP, len(self.histories.get(account_id, []))),
            "results_remaining": len(history) - len(page),
            "matches": page,
        }
        return Reply(200, json.dumps({"result": result}).encode())

    def _summaries(self, query: dict[str, str]) -> Reply:
        steamids = [part for part in query.get("steamids", "").split(",") if part]
        players = [self.profiles[s] for s in steamids if s in self.profiles]
        return Reply(200, json.dumps({"response": {"players": players}}).encode())

    # Faults, each from a real recorded body where one exists.
    def fault_rate_limit(self, count: int = 1, retry_after: int | None = None) -> None:
        """Answer the next requests with HTTP 429 and Valve's HTML body."""
        body = (self.data_dir / "steam-webapi" / "errors" / "steam_http429_body.html").read_bytes()
        headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
        self.fault_add(Reply(429, body, "text/html", headers), count)

    def fault_server_error(self, count: int = 1) -> None:
        """Answer the next requests with HTTP 500 and body `{}`."""
        body = (
            self.data_dir
            / "steam-webapi"
            / "errors"
            / "getmatchdetails_http500_empty_body_post736.json"
        ).read_bytes()
        self.fault_add(Reply(500, body), count)

    def fault_malformed(self, count: int = 1) -> None:
        """Answer the next requests with a 200 whose JSON body is cut short."""
        page = json.dumps({"result": {"status": 1, "matches": self.matches[:2]}}).encode()
        self.fault_add(Reply(200, page[: len(page) // 2]), count)

    def fault_drop(self, count: int = 1) -> None:
        """Close the connection without answering."""
        self.fault_add(DROP, count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8901)
    args = parser.parse_args()
    with SteamWebApiStandIn(port=args.port) as server:
        print(f"Steam Web API stand-in on {server.url} ({len(server.matches)} recorded matches)")
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()
