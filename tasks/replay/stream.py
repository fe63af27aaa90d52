"""Fetch a compressed replay over HTTP (or from a local file) in chunks, never to disk."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from tasks.replay import failures
from tasks.replay.config import replay_settings
from tasks.replay.failures import ReplayFailure

log = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 20


@dataclass
class TransferCount:
    """Bytes seen on the wire for one replay."""

    compressed_bytes: int = 0


def http_client() -> httpx.Client:
    """An HTTP client with the replay stage's timeouts."""
    cfg = replay_settings()
    timeout = httpx.Timeout(cfg.replay_read_timeout, connect=cfg.replay_connect_timeout)
    return httpx.Client(timeout=timeout, follow_redirects=True)


def replay_available(url: str) -> bool:
    """True when the replay host has the file now (HEAD 200), False on 404."""
    with http_client() as client:
        try:
            response = client.head(url)
        except httpx.HTTPError as error:
            raise ReplayFailure(failures.DOWNLOAD_FAILED, f"HEAD {url}: {error}") from error
    if response.status_code == 404:
        return False
    if response.status_code >= 400:
        raise ReplayFailure(failures.DOWNLOAD_FAILED, f"HEAD {url}: HTTP {response.status_code}")
    return True


def replay_download(url: str, count: TransferCount) -> Iterator[bytes]:
    """Yield the compressed replay body in chunks; HTTP failures become classified ones."""
    cfg = replay_settings()
    with http_client() as client:
        try:
            with client.stream("GET", url) as response:
                if response.status_code == 404:
                    raise ReplayFailure(failures.REPLAY_NOT_READY, f"GET {url}: HTTP 404")
                if response.status_code >= 400:
                    raise ReplayFailure(
                        failures.DOWNLOAD_FAILED, f"GET {url}: HTTP {response.status_code}"
                    )
                length = int(response.headers.get("content-length") or 0)
                if length > cfg.replay_max_compressed_bytes:
                    raise ReplayFailure(failures.REPLAY_TOO_LARGE, f"{length} bytes compressed")
                for chunk in response.iter_bytes(CHUNK_BYTES):
                    count.compressed_bytes += len(chunk)
                    if count.compressed_bytes > cfg.replay_max_compressed_bytes:
                        raise ReplayFailure(
                            failures.REPLAY_TOO_LARGE, f"over {count.compressed_bytes} bytes"
                        )
                    yield chunk
        except httpx.HTTPError as error:
            raise ReplayFailure(failures.DOWNLOAD_FAILED, f"GET {url}: {error!r}") from error


def file_chunks(path: os.PathLike | str, count: TransferCount) -> Iterator[bytes]:
    """Yield a local replay file in chunks."""
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK_BYTES):
            count.compressed_bytes += len(chunk)
            yield chunk
