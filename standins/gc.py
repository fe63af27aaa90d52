"""An offline GC session answering from the recorded GC responses in `data/gc/`.

It replaces only `SteamGCSession` (Steam login and the GC request/response); the
retriever around it runs unchanged. A script file can make chosen matches time out,
answer slowly, return a given GC result or lose their salt, for tests and demos:

    {"default": "recorded", "login_fail": ["name"],
     "matches": {"123": {"answer": "timeout"}, "456": {"answer": "like:7490235544",
                 "delay": 5}, "789": {"answer": "result:15"}}}

Answers: `recorded` (the recording for that match, else GC result 2), `like:<match_id>`
(that recording, renumbered), `result:<n>`, `no_salt`, `timeout`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from tasks.retriever.session import GCTimeout, GCUnavailable, SteamAccount

_REPLAY_URL = re.compile(r"replay(\d+)\.valve\.net/570/(\d+)_(\d+)\.dem")


@lru_cache(maxsize=4)
def recorded_match_details(data_dir: Path) -> dict[int, dict[str, Any]]:
    """Match-details responses by match_id, from the recordings and real replay URLs."""
    answers: dict[int, dict[str, Any]] = {}
    full = json.loads((data_dir / "gc" / "odota_core_retriever_match_2024.json").read_text())
    answers[int(full["match"]["match_id"])] = full
    # Stored gcdata keeps only some match fields; it is the GC answer reduced, same values.
    stored = json.loads((data_dir / "gc" / "odota_core_7490235544_gcdata.json").read_text())
    answers[stored["match_id"]] = {"result": 1, "match": _reduced(stored)}
    manifest = data_dir / "opendota" / "gem-dota" / "manifest.json"
    for cluster, match_id, salt in _REPLAY_URL.findall(manifest.read_text()):
        reduced = {"match_id": match_id, "cluster": int(cluster), "replay_salt": int(salt)}
        answers.setdefault(int(match_id), {"result": 1, "match": reduced})
    return answers


@lru_cache(maxsize=4)
def recorded_profile_cards(data_dir: Path) -> dict[int, dict[str, Any]]:
    """Profile-card responses by account_id; the newest recording of an account wins."""
    cards: dict[int, dict[str, Any]] = {}
    for name in (
        "yasp_2015_retriever_player_legacy.json",
        "odota_core_retriever_player_2023_longs.json",
        "odota_core_retriever_player.json",
    ):
        card = json.loads((data_dir / "gc" / name).read_text())
        cards[int(card["account_id"])] = card
    return cards


def _reduced(stored: dict[str, Any]) -> dict[str, Any]:
    keys = ("match_id", "cluster", "replay_salt", "series_id", "series_type")
    return {key: stored[key] for key in keys if key in stored}


class RecordedGCSession:
    """A GC session that answers from recordings, as scripted."""

    def __init__(self, account: SteamAccount, data_dir: Path, script: Path | None) -> None:
        self.account = account
        self.data_dir = data_dir
        self.script_path = script
        self._ready = False
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        """True once the stand-in login succeeded."""
        return self._ready

    def login(self) -> None:
        """Accept any account not listed under `login_fail` in the script."""
        if not self.account.password:
            raise GCUnavailable(f"account {self.account} has no password")
        if self.account.username in self._script().get("login_fail", []):
            raise GCUnavailable(f"Steam login of {self.account} failed (scripted)")
        self._ready = True

    def match_details(self, match_id: int, timeout: float) -> dict[str, Any]:
        """Answer a match-details request the way the script says."""
        entry = self._entry(match_id)
        self._wait(entry, timeout)
        answer = entry.get("answer", "recorded")
        recorded = recorded_match_details(self.data_dir)
        if answer == "recorded":
            return recorded.get(match_id, {"result": 2})
        if answer.startswith("like:"):
            return _renumbered(recorded[int(answer.removeprefix("like:"))], match_id)
        if answer.startswith("result:"):
            return {"result": int(answer.removeprefix("result:"))}
        if answer == "no_salt":
            like = _renumbered(recorded[7490235544], match_id)
            like["match"].pop("replay_salt")
            return like
        raise ValueError(f"unknown scripted GC answer {answer!r} for match {match_id}")

    def profile_card(self, account_id: int, timeout: float) -> dict[str, Any]:
        """Answer a profile-card request from the recordings (an empty card otherwise)."""
        self._wait(self._entry(account_id), timeout)
        card = recorded_profile_cards(self.data_dir).get(account_id)
        return dict(card) if card else {"account_id": account_id}

    def close(self) -> None:
        """Forget the stand-in login."""
        self._ready = False

    def _wait(self, entry: dict[str, Any], timeout: float) -> None:
        if entry.get("answer") == "timeout":
            time.sleep(timeout)
            raise GCTimeout(f"no GC answer in {timeout:.1f} s")
        delay = float(entry.get("delay", 0))
        if delay > timeout:
            time.sleep(timeout)
            raise GCTimeout(f"no GC answer in {timeout:.1f} s")
        time.sleep(delay)

    def _entry(self, key: int) -> dict[str, Any]:
        script = self._script()
        return script.get("matches", {}).get(str(key), {"answer": script.get("default")})

    def _script(self) -> dict[str, Any]:
        # Read on every request so a test can change the answers of a running retriever.
        if self.script_path is None or not self.script_path.exists():
            return {"default": "recorded"}
        script = json.loads(self.script_path.read_text())
        script.setdefault("default", "recorded")
        return script


def _renumbered(response: dict[str, Any], match_id: int) -> dict[str, Any]:
    copied = json.loads(json.dumps(response))
    copied["match"]["match_id"] = str(match_id)
    return copied
