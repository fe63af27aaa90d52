"""The whole pipeline started as separate processes on loopback, one stack per test."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from infra.local.stack import LocalStack, stack_start
from tasks.config import settings
from tasks.storage import mongo

# What the bundled real data must end as, whatever happened on the way.
EXPECTED = {
    3223722713: ("parsed", "replay"),  # requested; the real Source 2 replay, parsed by us
    7490235544: ("parsed", "opendota"),  # real salt, replay expired: OpenDota's parse
    1781962623: ("failed", "replay_expired"),  # the GC's recorded answer: REPLAY_EXPIRED
    3254426673: ("failed", "gc_not_found"),
    8591933650: ("failed", "gc_not_found"),
    4949327942: ("failed", "gc_not_found"),
    4949340618: ("failed", "gc_not_found"),
}


@pytest.fixture
def stack_factory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., LocalStack]]:
    """Start a stack in a fresh directory; every stack started is stopped afterwards."""
    started: list[LocalStack] = []

    def start(**options) -> LocalStack:
        # Other test packages set their own database names in the environment.
        monkeypatch.setenv("YASP_MONGO_DB", "yasp_system")
        settings.cache_clear()
        stack = stack_start(tmp_path / "home", site=False, **options)
        started.append(stack)
        monkeypatch.setenv("YASP_MONGO_URL", stack.mongo.url)
        monkeypatch.setenv("PREFECT_API_URL", stack.prefect_api)
        settings.cache_clear()
        mongo.server_stop()
        return stack

    yield start
    mongo.server_stop()
    for stack in started:
        stack.stop()
    settings.cache_clear()


def first_seq(stack: LocalStack) -> int:
    return min(match["match_seq_num"] for match in stack.threads[0].matches)


def wait_for_file(path: Path, timeout: float) -> list[int]:
    """Pids written to a failpoint mark, once there are any."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return [int(pid) for pid in path.read_text().split()]
        time.sleep(0.5)
    raise AssertionError(f"nothing reached {path.name} within {timeout:.0f} s")


def kill_hard(stack: LocalStack, process_name: str, extra_pids: list[int] = ()) -> None:
    """SIGKILL a started process's whole group, and any flow-run processes named."""
    process = stack.supervisor.processes.pop(process_name)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for pid in extra_pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
