"""A threaded loopback HTTP server with a scripted queue of faults, shared by the stand-ins."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    """One HTTP answer."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


DROP = Reply(0, b"")  # close the connection without answering


class StandInServer:
    """Serves `route(path, query) -> Reply` on 127.0.0.1, after any queued faults."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.faults: deque[Reply] = deque()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                server._answer(self, parts.path, query)

            def do_POST(self) -> None:  # noqa: N802
                self.do_GET()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer((host, port), Handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, path: str, query: dict[str, str]) -> Reply:
        """The normal answer for a request; subclasses implement it."""
        return Reply(404, b'{"error": "not found"}')

    def fault_add(self, reply: Reply, count: int = 1) -> None:
        """Answer the next `count` requests with `reply` instead of the normal answer."""
        with self._lock:
            self.faults.extend([reply] * count)

    def _answer(self, handler: BaseHTTPRequestHandler, path: str, query: dict[str, str]) -> None:
        with self._lock:
            self.requests.append((path, query))
            reply = self.faults.popleft() if self.faults else None
        if reply is None:
            reply = self.route(path, query)
        if reply is DROP or reply.status == 0:
            handler.close_connection = True
            handler.connection.close()
            return
        handler.send_response(reply.status)
        handler.send_header("Content-Type", reply.content_type)
        handler.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(reply.body)

    def start(self) -> StandInServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> StandInServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
