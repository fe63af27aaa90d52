"""HTTP client of the retriever API, used by the salt flows."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import httpx


@lru_cache(maxsize=1)
def _http() -> httpx.Client:
    # One pooled client per process: building one per call costs ~30 ms (TLS set-up).
    return httpx.Client(trust_env=False)


class RetryableSaltError(Exception):
    """The salt could not be fetched now (timeout, retriever down); try again later."""


class QuotaRefused(RetryableSaltError):
    """The retriever refused the request: its host or accounts are out of quota."""


def retriever_stats(url: str, timeout: float = 5.0) -> dict[str, Any] | None:
    """The retriever's health and quota, or None when it does not answer."""
    try:
        response = _http().get(f"{url.rstrip('/')}/health", timeout=timeout)
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError):
        return None


class RetrieverUnreachable(Exception):
    """No HTTP answer from the retriever (down, killed, network)."""


def retriever_get(url: str, path: str, timeout: float) -> tuple[int, dict[str, Any]]:
    """GET a retriever endpoint: its HTTP status and JSON body ({} when it sent none)."""
    try:
        response = _http().get(f"{url.rstrip('/')}{path}", timeout=timeout)
    except httpx.HTTPError as error:
        raise RetrieverUnreachable(
            f"retriever at {url} unreachable: {type(error).__name__}"
        ) from error
    try:
        body = response.json()
    except ValueError:
        body = {}
    return response.status_code, body if isinstance(body, dict) else {}


def match_details_fetch(url: str, match_id: int, timeout: float) -> dict[str, Any]:
    """Ask a retriever for a match's GC details; raises RetryableSaltError on passing failures."""
    try:
        status, body = retriever_get(url, f"/match/{match_id}", timeout)
    except RetrieverUnreachable as error:
        raise RetryableSaltError(str(error)) from error
    if status == 200:
        return body
    error = body.get("error", f"http_{status}")
    if status == 429:
        raise QuotaRefused(f"{error} ({body.get('scope')}) at {url}")
    if status in (502, 503, 504, 500):
        raise RetryableSaltError(f"{error} at {url}")
    raise RuntimeError(f"retriever at {url} answered {status}: {error}")
