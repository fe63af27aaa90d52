"""A small Steam Web API client: key rotation, pacing, timeouts, backoff and body checks."""

from __future__ import annotations

import itertools
import logging
import random
import threading
import time
from typing import Any

import requests

from tasks.config import Settings, settings
from tasks.steam_webapi.errors import (
    ApiRejected,
    MalformedResponse,
    RateLimited,
    ServerError,
    SteamApiError,
)

log = logging.getLogger(__name__)

SEQUENCE_PATH = "/IDOTA2Match_570/GetMatchHistoryBySequenceNum/v1/"
HISTORY_PATH = "/IDOTA2Match_570/GetMatchHistory/v1/"
SUMMARIES_PATH = "/ISteamUser/GetPlayerSummaries/v0002/"


class SteamWebApi:
    """Calls Steam Web API endpoints and returns their validated JSON bodies."""

    def __init__(self, config: Settings | None = None, session: requests.Session | None = None):
        self.config = config or settings()
        self.session = session or requests.Session()
        self._keys = itertools.cycle(self.config.steam_api_keys or [""])
        self._key_lock = threading.Lock()
        self.requests_sent = 0
        self.retries = 0

    def _next_key(self) -> str:
        with self._key_lock:
            return next(self._keys)

    def get_json(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        """GET an endpoint, retrying 429/5xx/timeouts with backoff; return the decoded body."""
        attempts = max(1, self.config.steam_api_attempts)
        for attempt in range(1, attempts + 1):
            try:
                return self._get_once(path, params)
            except SteamApiError as error:
                if not error.retryable or attempt == attempts:
                    raise
                delay = self._backoff(attempt, error)
                self.retries += 1
                log.warning(
                    "Steam API %s failed (%s), attempt %d/%d, retrying in %.1f s",
                    path, error, attempt, attempts, delay,
                )  # fmt: skip
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, error: SteamApiError) -> float:
        base = self.config.steam_api_backoff * (2 ** (attempt - 1))
        if isinstance(error, RateLimited) and error.retry_after is not None:
            base = max(base, error.retry_after)
        # Jitter keeps many workers that were refused together from returning together.
        return min(self.config.steam_api_backoff_max, base * random.uniform(1.0, 1.25))

    def _get_once(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        url = self.config.steam_api_url.rstrip("/") + path
        query = {**params, "key": self._next_key()}
        self.requests_sent += 1
        try:
            response = self.session.get(url, params=query, timeout=self.config.steam_api_timeout)
        except (requests.Timeout, requests.ConnectionError) as error:
            # `from None`: the library's message holds the full URL, API key included.
            raise ServerError(f"no answer from {path}: {type(error).__name__}") from None
        if response.status_code == 429:
            raise RateLimited(
                f"HTTP 429 Too Many Requests from {path}",
                retry_after=_retry_after(response.headers.get("Retry-After")),
            )
        if response.status_code >= 500:
            raise ServerError(f"HTTP {response.status_code} from {path}")
        if response.status_code in (401, 403):
            raise ApiRejected(
                f"HTTP {response.status_code} from {path}: the API key was refused",
                http_status=response.status_code,
            )
        if response.status_code != 200:
            raise ApiRejected(
                f"HTTP {response.status_code} from {path}", http_status=response.status_code
            )
        try:
            body = response.json()
        except ValueError:
            snippet = response.text[:80].replace("\n", " ")
            raise MalformedResponse(
                f"{path} answered with a body that is not JSON: {snippet!r}"
            ) from None
        if not isinstance(body, dict):
            raise MalformedResponse(f"{path} answered with JSON {type(body).__name__}, not object")
        return body


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
