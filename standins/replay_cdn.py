"""A loopback replay host serving `/570/<match_id>_<replay_salt>.dem.bz2` from a directory.

Behaviours can be switched per path: answer 404, drop the connection mid-body, or send the
body slowly. Files are looked up as `<dir>/<match_id>_<replay_salt>.dem.bz2`.
"""

from __future__ import annotations

import argparse
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class CdnBehaviour:
    """What the host does per request path (set by tests while it runs)."""

    missing: set[str] = field(default_factory=set)
    drop_after: dict[str, int] = field(default_factory=dict)
    slow_seconds_per_chunk: dict[str, float] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


class ReplayCdn:
    """A running stand-in replay host on 127.0.0.1."""

    def __init__(self, root: Path, port: int = 0) -> None:
        self.root = Path(root)
        self.behaviour = CdnBehaviour()
        handler = _handler(self)
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The base URL to configure as the replay host."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayCdn:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()


def _handler(cdn: ReplayCdn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _file(self) -> Path | None:
            cdn.behaviour.requests.append(self.path)
            name = self.path.removeprefix("/570/")
            if (
                not self.path.startswith("/570/")
                or "/" in name
                or self.path in cdn.behaviour.missing
            ):
                return None
            path = cdn.root / name
            return path if path.is_file() else None

        def do_HEAD(self) -> None:
            path = self._file()
            if path is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(path.stat().st_size))
            self.end_headers()

        def do_GET(self) -> None:
            path = self._file()
            if path is None:
                self.send_error(404)
                return
            body = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            limit = cdn.behaviour.drop_after.get(self.path, len(body))
            delay = cdn.behaviour.slow_seconds_per_chunk.get(self.path, 0.0)
            for offset in range(0, limit, 64 * 1024):
                self.wfile.write(body[offset : min(offset + 64 * 1024, limit)])
                if delay:
                    self.wfile.flush()
                    time.sleep(delay)
            if limit < len(body):
                self.close_connection = True
                self.wfile.flush()
                self.connection.shutdown(2)

    return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve a directory of replays until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, default=8570)
    args = parser.parse_args(argv)
    cdn = ReplayCdn(args.root, args.port).start()
    print(f"serving {args.root} at {cdn.base_url}/570/")
    try:
        cdn.thread.join()
    except KeyboardInterrupt:
        cdn.stop()


if __name__ == "__main__":
    main()
