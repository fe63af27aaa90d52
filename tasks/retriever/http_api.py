"""The retriever's HTTP API on its host: match details, profile cards, health and quota."""

from __future__ import annotations

import json
import logging
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tasks.retriever.quota import QuotaExceeded
from tasks.retriever.service import NoReadyAccount, Retriever
from tasks.retriever.session import GCTimeout, GCUnavailable

log = logging.getLogger(__name__)

_ROUTE = re.compile(r"^/(match|profile)/(\d{1,20})$")


class RetrieverHTTPServer(ThreadingHTTPServer):
    """A threaded HTTP server bound to one Retriever."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], retriever: Retriever) -> None:
        super().__init__(address, _Handler)
        self.retriever = retriever


class _Handler(BaseHTTPRequestHandler):
    server: RetrieverHTTPServer
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; without this, delayed ACKs add ~40 ms a request.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 - name fixed by http.server
        retriever = self.server.retriever
        path = self.path.split("?", 1)[0]
        if path in ("/health", "/stats"):
            self._reply(HTTPStatus.OK, retriever.stats())
            return
        route = _ROUTE.match(path)
        if route is None:
            self._reply(HTTPStatus.NOT_FOUND, {"error": "not_found", "path": path})
            return
        kind, key = route.group(1), int(route.group(2))
        try:
            if kind == "match":
                body = retriever.match_details(key)
            else:
                body = retriever.profile_card(key)
        except QuotaExceeded as refused:
            self._reply(
                HTTPStatus.TOO_MANY_REQUESTS,
                {"error": "quota_exceeded", "scope": refused.scope, "detail": str(refused)},
            )
        except NoReadyAccount as error:
            self._reply(
                HTTPStatus.SERVICE_UNAVAILABLE, {"error": "no_ready_account", "detail": str(error)}
            )
        except GCTimeout as error:
            self._reply(HTTPStatus.GATEWAY_TIMEOUT, {"error": "gc_timeout", "detail": str(error)})
        except GCUnavailable as error:
            self._reply(HTTPStatus.BAD_GATEWAY, {"error": "gc_unavailable", "detail": str(error)})
        except Exception:
            log.exception("retriever failed on %s %s", kind, key)
            self._reply(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal"})
        else:
            self._reply(HTTPStatus.OK, body)

    def _reply(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server name
        # One line per request at debug level; the counts in /health are the operator view.
        log.debug("%s %s", self.address_string(), format % args)
