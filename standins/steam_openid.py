"""A loopback stand-in for Steam's OpenID 2.0 provider (steamcommunity.com/openid/login).

It answers `checkid_setup` by redirecting straight back with a signed positive assertion for
the Steam id it is told to sign in, and `check_authentication` the way Steam does: key-value
text saying whether the signature is its own and the nonce unseen. It can also forge an
assertion (signed with another key), which it then refuses to confirm.

Run alone: python standins/steam_openid.py --port 8765 --steamid 76561198000000001
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import secrets
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

OPENID_NS = "http://specs.openid.net/auth/2.0"
SIGNED_FIELDS = "signed,op_endpoint,claimed_id,identity,return_to,response_nonce,assoc_handle"
CLAIMED_ID_PREFIX = "https://steamcommunity.com/openid/id/"


class SteamOpenIdStandin:
    """The provider: a threaded HTTP server on 127.0.0.1 and its signing state."""

    def __init__(self, *, steamid: int = 76561198000000001, port: int = 0) -> None:
        self.steamid = steamid
        self._key = secrets.token_bytes(32)
        self._seen_nonces: set[str] = set()
        self._lock = threading.Lock()
        self.checks = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        """The OpenID endpoint URL, as configured in the relying party."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/openid/login"

    def start(self) -> SteamOpenIdStandin:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def assertion(self, *, return_to: str, steamid: int | None = None, key: bytes | None = None):
        """A positive assertion for `steamid` as query parameters, signed with `key`."""
        claimed = f"{CLAIMED_ID_PREFIX}{steamid or self.steamid}"
        nonce = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + secrets.token_hex(6)
        params = {
            "openid.ns": OPENID_NS,
            "openid.mode": "id_res",
            "openid.op_endpoint": self.endpoint,
            "openid.claimed_id": claimed,
            "openid.identity": claimed,
            "openid.return_to": return_to,
            "openid.response_nonce": nonce,
            "openid.assoc_handle": "1234567890",
            "openid.signed": SIGNED_FIELDS,
        }
        params["openid.sig"] = _signature(key or self._key, params)
        return params

    def forged_assertion(self, *, return_to: str, steamid: int) -> dict[str, str]:
        """An assertion that looks right but was not signed by this provider."""
        return self.assertion(return_to=return_to, steamid=steamid, key=secrets.token_bytes(32))

    def check_authentication(self, params: dict[str, str]) -> bool:
        """Whether `params` is an assertion this provider signed and has not confirmed before."""
        with self._lock:
            self.checks += 1
            expected = _signature(self._key, params)
            if not hmac.compare_digest(expected, params.get("openid.sig", "")):
                return False
            nonce = params.get("openid.response_nonce", "")
            if nonce in self._seen_nonces:
                return False
            self._seen_nonces.add(nonce)
            return True


def _signature(key: bytes, params: dict[str, str]) -> str:
    fields = params.get("openid.signed", "").split(",")
    text = "".join(f"{f}:{params.get('openid.' + f, '')}\n" for f in fields)
    return base64.b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).decode()


def _handler_for(provider: SteamOpenIdStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _reply(self, status: int, body: str = "", headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body.encode())))
            self.end_headers()
            self.wfile.write(body.encode())

        def do_GET(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            params = dict(parse_qsl(url.query))
            if url.path != "/openid/login" or params.get("openid.mode") != "checkid_setup":
                self._reply(400, "unsupported request\n")
                return
            assertion = provider.assertion(return_to=params.get("openid.return_to", ""))
            target = f"{assertion['openid.return_to']}?{urlencode(assertion)}"
            self._reply(302, "", {"Location": target})

        def do_POST(self) -> None:  # noqa: N802
            length = min(int(self.headers.get("Content-Length") or 0), 65536)
            params = dict(parse_qsl(self.rfile.read(length).decode()))
            if params.get("openid.mode") != "check_authentication":
                self._reply(400, "unsupported request\n")
                return
            valid = "true" if provider.check_authentication(params) else "false"
            self._reply(200, f"ns:{OPENID_NS}\nis_valid:{valid}\n")

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--steamid", type=int, default=76561198000000001)
    args = parser.parse_args()
    provider = SteamOpenIdStandin(steamid=args.steamid, port=args.port)
    print(f"Steam OpenID stand-in at {provider.endpoint}", flush=True)
    provider._server.serve_forever()


if __name__ == "__main__":
    main()
