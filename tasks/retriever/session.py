"""The boundary to the Game Coordinator: one logged-in Steam account and its GC session."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


class GCTimeout(Exception):
    """The GC did not answer in time; the request may be tried again later."""


class GCUnavailable(Exception):
    """The session is not logged in or lost its GC connection while waiting."""


@dataclass(frozen=True)
class SteamAccount:
    """Login name and password of one Steam account; the password never prints."""

    username: str
    password: str = field(repr=False)

    def __str__(self) -> str:
        return self.username


class GCSession(Protocol):
    """What the retriever needs from a logged-in account; replaced as a whole offline."""

    account: SteamAccount

    @property
    def ready(self) -> bool:
        """True while the account is logged in and holds a GC session."""

    def login(self) -> None:
        """Log in to Steam and open the GC session; raises GCUnavailable on failure."""

    def match_details(self, match_id: int, timeout: float) -> dict[str, Any]:
        """Send a match-details request; returns the response as a protobuf-JSON dict."""

    def profile_card(self, account_id: int, timeout: float) -> dict[str, Any]:
        """Send a profile-card request; returns the response as a protobuf-JSON dict."""

    def close(self) -> None:
        """Leave the GC and log out."""


def steam_accounts_read(accounts_file: Path | None, accounts_env: str | None) -> list[SteamAccount]:
    """Accounts from a file (`username:password` per line, `#` comments) or a variable."""
    lines: list[str] = []
    if accounts_file is not None:
        text = accounts_file.read_text()
        if accounts_file.suffix == ".json":
            return [SteamAccount(item["username"], item["password"]) for item in json.loads(text)]
        lines = text.splitlines()
    elif accounts_env:
        lines = accounts_env.split(",")
    accounts = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        username, sep, password = line.partition(":")
        if not sep or not username or not password:
            # Say where, never what: the line holds a password.
            raise ValueError(f"account entry {number} is not of the form username:password")
        accounts.append(SteamAccount(username.strip(), password))
    return accounts
