"""Stream a replay into a parser child process and collect the parsed-match document."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tasks.config import REPO_ROOT
from tasks.replay import failures
from tasks.replay.config import replay_settings
from tasks.replay.decompress import BZIP2_MAGIC
from tasks.replay.failures import ReplayFailure

log = logging.getLogger(__name__)


@dataclass
class ParseRun:
    """The document of one parsed replay and what it cost."""

    document: dict[str, Any]
    stats: dict[str, Any] = field(default_factory=dict)


def _collect(stream: Any, into: list[bytes]) -> None:
    into.append(stream.read())


def replay_parse(chunks: Iterable[bytes], match_id: int | None = None) -> ParseRun:
    """Parse a replay given as compressed (or plain .dem) chunks; raises ReplayFailure."""
    cfg = replay_settings()
    started = time.perf_counter()
    source = iter(chunks)
    first = next((chunk for chunk in source if chunk), b"")
    read_fd, write_fd = os.pipe()
    command = [
        str(cfg.parse_python or sys.executable), "-m", "tasks.replay.parse_child",
        str(read_fd), "1" if first.startswith(BZIP2_MAGIC) else "0",
        cfg.replay_decompressor, str(cfg.replay_decompress_threads),
        str(match_id or 0), str(cfg.replay_max_dem_bytes),
    ]  # fmt: skip
    child = subprocess.Popen(
        command, pass_fds=(read_fd,), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, cwd=REPO_ROOT, start_new_session=True,
    )  # fmt: skip
    os.close(read_fd)
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=_collect, args=(child.stdout, out), daemon=True),
        threading.Thread(target=_collect, args=(child.stderr, err), daemon=True),
    ]
    for reader in readers:
        reader.start()
    timed_out = threading.Event()

    def expire() -> None:
        timed_out.set()
        _kill(child)

    watchdog = threading.Timer(cfg.parse_timeout, expire)
    watchdog.start()
    compressed_bytes = 0
    try:
        with os.fdopen(write_fd, "wb") as sink:
            try:
                for chunk in _chained(first, source):
                    sink.write(chunk)
                    compressed_bytes += len(chunk)
            except BrokenPipeError:
                pass  # the child stopped reading: it has its answer (or died); see below
        stream_seconds = time.perf_counter() - started
        child.wait()
        for reader in readers:
            reader.join()
    except BaseException:
        _kill(child)
        raise
    finally:
        watchdog.cancel()
        close = getattr(source, "close", None)
        if close:
            close()
    if timed_out.is_set():
        raise ReplayFailure(failures.PARSE_TIMEOUT, f"no result within {cfg.parse_timeout} s")
    try:
        result = json.loads(out[0]) if out and out[0] else None
    except ValueError:
        result = None
    if result is None:
        tail = (err[0] if err else b"").decode(errors="replace")[-500:]
        raise ReplayFailure(failures.PARSER_CRASHED, f"exit {child.returncode}: {tail}")
    stats = {
        "compressed_bytes": compressed_bytes,
        "dem_bytes": result.get("dem_bytes"),
        "stream_seconds": round(stream_seconds, 3),
        "parse_seconds": result.get("parse_seconds"),
        "build_seconds": result.get("build_seconds"),
        "total_seconds": round(time.perf_counter() - started, 3),
        "parser_peak_rss_mb": result.get("peak_rss_mb"),
    }
    if not result.get("ok"):
        failure = ReplayFailure(result["reason"], result.get("detail", ""))
        failure.stats = stats  # type: ignore[attr-defined]
        raise failure
    return ParseRun(result["document"], stats)


def _chained(first: bytes, source: Iterable[bytes]) -> Iterable[bytes]:
    if first:
        yield first
    yield from source


def _kill(child: subprocess.Popen) -> None:
    if child.poll() is None:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        child.wait()
