"""Fixtures for the backfill tests: the Web API stand-in with recorded match details too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from standins.steam_webapi import SteamWebApiStandIn
from tasks.config import settings


@pytest.fixture
def steam_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[SteamWebApiStandIn]:
    """Sequence pages plus recorded match details, histories and profiles, on loopback."""
    server = SteamWebApiStandIn(with_details=True).start()
    monkeypatch.setenv("YASP_STEAM_API_URL", server.url)
    monkeypatch.setenv("YASP_STEAM_API_KEYS", "test-key")
    monkeypatch.setenv("YASP_SCAN_PAGE_INTERVAL", "0")
    settings.cache_clear()
    yield server
    server.stop()
    settings.cache_clear()


def history_requests(server: SteamWebApiStandIn) -> list[dict[str, str]]:
    """The queries the stand-in received on GetMatchHistory."""
    return [query for path, query in server.requests if "GetMatchHistory/" in path]
