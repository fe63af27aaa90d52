"""OpenDota fallback: parsed data from OpenDota's public API for matches whose replay was gone.

Only matches that stopped because their replay could not be had are asked for, and only a
document that carries parsed fields is imported; everything else is recorded on the match
(`opendota_checked_at`, `opendota_reason`) so the next run does not ask again too soon.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Annotated, Any

import httpx
from pydantic import BeforeValidator, Field, SecretStr
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

from tasks.opendota.documents import documents_from_json
from tasks.opendota.importer import match_import
from tasks.storage.schema import MATCHES, PARSED_MATCHES, STAGE_FAILED

log = logging.getLogger(__name__)

# (failed_stage, stage_reason) pairs meaning "no replay to parse". `replay_not_recorded` is
# left out: no replay ever existed, so OpenDota had nothing to parse either.
FALLBACK_REASONS: dict[str, tuple[str, ...]] = {
    "parse": ("replay_unavailable",),
    "salt": ("replay_expired",),
}

IMPORTED = "imported"
NOT_PARSED = "opendota_not_parsed"
NOT_FOUND = "opendota_not_found"
NOT_A_MATCH = "opendota_not_a_match"
REPLAY_PARSED = "replay_parsed"


def _split_floats(value: object) -> list[float]:
    if isinstance(value, str):
        return [float(part) for part in value.split(",") if part.strip()]
    return [float(part) for part in value or []]


class OpenDotaSettings(BaseSettings):
    """Where OpenDota's API is and how hard the fallback may use it."""

    model_config = SettingsConfigDict(env_prefix="YASP_", extra="ignore")

    opendota_url: str = "https://api.opendota.com"
    opendota_api_key: SecretStr | None = None
    # The free tier allows 60 calls a minute (and 2000 a day: keep `limit` of a run below).
    opendota_requests_per_minute: float = 60.0
    opendota_timeout: float = 20.0
    # A 429 is waited out (Retry-After, else doubling from the backoff) this many times.
    opendota_rate_limit_attempts: int = 4
    opendota_backoff: float = 5.0
    opendota_backoff_max: float = 120.0
    opendota_retry_delays: Annotated[list[float], NoDecode, BeforeValidator(_split_floats)] = Field(
        default_factory=lambda: [10.0, 60.0, 300.0], description="seconds, one per retry"
    )


@lru_cache(maxsize=1)
def opendota_settings() -> OpenDotaSettings:
    """The process-wide OpenDota settings, read once."""
    return OpenDotaSettings()


class OpenDotaRateLimited(Exception):
    """OpenDota kept answering 429 after every wait; the run should stop for now."""


class OpenDotaUnavailable(Exception):
    """OpenDota did not answer usefully (connection, 5xx, broken JSON); worth another try."""


class OpenDotaApi:
    """A paced client of `GET /api/matches/{match_id}`; one per process, shared by the tasks."""

    def __init__(
        self,
        config: OpenDotaSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.sleep = sleep
        self.monotonic = monotonic
        self._gap = (
            60.0 / config.opendota_requests_per_minute
            if config.opendota_requests_per_minute > 0
            else 0.0
        )
        self._next_at = float("-inf")
        self._lock = threading.Lock()
        self._http = httpx.Client(trust_env=False, timeout=config.opendota_timeout)

    def match(self, match_id: int) -> dict[str, Any] | None:
        """OpenDota's document of a match, or None when OpenDota does not know it."""
        config = self.config
        params = {}
        if config.opendota_api_key is not None:
            params["api_key"] = config.opendota_api_key.get_secret_value()
        url = f"{config.opendota_url.rstrip('/')}/api/matches/{match_id}"
        for attempt in range(config.opendota_rate_limit_attempts + 1):
            self._pace()
            try:
                response = self._http.get(url, params=params)
            except httpx.HTTPError as error:
                # `from None`: the request URL in the chained error may carry the API key.
                raise OpenDotaUnavailable(f"match {match_id}: {type(error).__name__}") from None
            if response.status_code == 200:
                try:
                    return response.json()
                except ValueError:
                    raise OpenDotaUnavailable(f"match {match_id}: body is not JSON") from None
            if response.status_code == 404:
                return None
            if response.status_code == 429:
                if attempt == config.opendota_rate_limit_attempts:
                    break
                wait = self._backoff(response, attempt)
                log.warning("OpenDota answered 429 on match %d; waiting %.1f s", match_id, wait)
                self.sleep(wait)
                continue
            if response.status_code >= 500:
                raise OpenDotaUnavailable(f"match {match_id}: HTTP {response.status_code}")
            raise RuntimeError(f"OpenDota answered HTTP {response.status_code} for {match_id}")
        raise OpenDotaRateLimited(
            f"still rate limited after {config.opendota_rate_limit_attempts} waits"
        )

    def _pace(self) -> None:
        with self._lock:
            wait = self._next_at - self.monotonic()
            if wait > 0:
                self.sleep(wait)
            self._next_at = self.monotonic() + self._gap

    def _backoff(self, response: httpx.Response, attempt: int) -> float:
        config = self.config
        try:
            asked = float(response.headers.get("Retry-After", ""))
        except ValueError:
            asked = config.opendota_backoff * 2**attempt
        return max(0.0, min(asked, config.opendota_backoff_max))


@lru_cache(maxsize=1)
def opendota_api() -> OpenDotaApi:
    """The process-wide client, so the pacing holds across tasks."""
    return OpenDotaApi(opendota_settings())


def fallback_match_ids(db: Database, *, limit: int, checked_before: float) -> list[int]:
    """Failed matches whose replay was unavailable, not checked since `checked_before`."""
    reasons = [
        {"failed_stage": stage, "stage_reason": {"$in": list(names)}}
        for stage, names in FALLBACK_REASONS.items()
    ]
    unchecked = [
        {"opendota_checked_at": {"$exists": False}},
        {"opendota_checked_at": {"$lt": checked_before}},
    ]
    cursor = (
        db[MATCHES]
        .find({"stage": STAGE_FAILED, "$and": [{"$or": reasons}, {"$or": unchecked}]}, {"_id": 1})
        .sort([("priority", ASCENDING), ("_id", DESCENDING)])
        .limit(limit)
    )
    return [doc["_id"] for doc in cursor]


def opendota_parsed(body: dict[str, Any]) -> bool:
    """True when OpenDota's document carries parsed fields (`od_data.has_parsed` alone is not)."""
    try:
        return documents_from_json(body).parsed is not None
    except ValueError:
        return False


def match_fallback(db: Database, api: OpenDotaApi, match_id: int, *, now: float) -> str:
    """Import OpenDota's parsed data of one match if it has some; returns the outcome."""
    if db[PARSED_MATCHES].find_one({"_id": match_id, "source": "replay"}, {"_id": 1}):
        outcome = REPLAY_PARSED  # our own parse is authoritative; OpenDota is not asked
    else:
        body = api.match(match_id)
        if body is None:
            outcome = NOT_FOUND
        elif not isinstance(body, dict) or "players" not in body:
            outcome = NOT_A_MATCH
        elif not opendota_parsed(body):
            outcome = NOT_PARSED
        else:
            outcome = IMPORTED if match_import(db=db, body=body).parsed_saved else REPLAY_PARSED
    update: dict[str, Any] = {"$set": {"opendota_checked_at": now, "opendota_reason": outcome}}
    if outcome == IMPORTED:
        update["$unset"] = {"failed_stage": "", "stage_reason": ""}
    db[MATCHES].update_one({"_id": match_id}, update)
    return outcome
