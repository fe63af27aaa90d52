"""Start child processes in their own process groups, log them to files, stop them all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def preferred_port(port: int, host: str = "127.0.0.1") -> int:
    """`port` when nobody listens on it, else any free port."""
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return free_port(host)
    return port


def wait_http(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    """Wait until `url` answers 2xx, or fail naming what did not come up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process serving it exited ({process.returncode})")
        try:
            if httpx.get(url, timeout=2.0, trust_env=False).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class Supervisor:
    """Every process the local stack started, in start order."""

    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
        """Start `argv` in a new session (so its children stop with it), logging to a file."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / f"{name}.log", "ab") as log:
            process = subprocess.Popen(
                argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        self.processes[name] = process
        return process

    def run(self, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        """Run a one-off command to completion; its output goes to the log, failures raise."""
        process = self.start(name, argv, env, cwd)
        if process.wait() != 0:
            raise RuntimeError(f"{name} failed (exit {process.returncode}); see {self.log(name)}")
        del self.processes[name]

    def log(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def check(self) -> list[str]:
        """Names of started processes that have died."""
        return [name for name, p in self.processes.items() if p.poll() is not None]

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM every process group, newest first; SIGKILL whatever is left after `timeout`."""
        for process in reversed(list(self.processes.values())):
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for process in self.processes.values():
            _signal_group(process, signal.SIGKILL)
            process.wait()
        self.processes.clear()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def python_module(module: str, *args: str) -> list[str]:
    """argv that runs `python -m module args` with this interpreter."""
    return [sys.executable, "-m", module, *args]
