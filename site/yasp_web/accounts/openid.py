"""Steam sign-in: OpenID 2.0 in stateless mode, every assertion checked with the provider.

Steam hands out no associations, so the relying party asks the provider itself
(`check_authentication`) whether an assertion is genuine, after checking locally that it
names the configured provider, our return URL, a Steam identity and a fresh, unused nonce.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import requests
from pymongo.errors import DuplicateKeyError

from yasp_web.mongo import mongo
from yasp_web.params import STEAMID64_BASE

OPENID_NS = "http://specs.openid.net/auth/2.0"
IDENTIFIER_SELECT = "http://specs.openid.net/auth/2.0/identifier_select"
STEAM_CLAIMED_ID = re.compile(r"^https?://steamcommunity\.com/openid/id/(7656119\d{10})/?$")
NONCE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")
REQUIRED_SIGNED = {"op_endpoint", "claimed_id", "identity", "return_to", "response_nonce"}
NONCE_MAX_AGE = timedelta(minutes=5)
OPENID_NONCES = "openid_nonces"


class AssertionRejected(Exception):
    """The provider's answer does not prove who signed in; the message says why."""


def login_url(*, endpoint: str, return_to: str, realm: str) -> str:
    """Where to send the browser to sign in through the provider."""
    params = {
        "openid.ns": OPENID_NS,
        "openid.mode": "checkid_setup",
        "openid.return_to": return_to,
        "openid.realm": realm,
        "openid.identity": IDENTIFIER_SELECT,
        "openid.claimed_id": IDENTIFIER_SELECT,
    }
    return f"{endpoint}?{urlencode(params)}"


def assertion_verify(
    *, params: dict[str, str], endpoint: str, return_to: str, timeout: float = 10.0
) -> int:
    """The account id proven by the positive assertion `params`, else AssertionRejected."""
    if params.get("openid.ns") != OPENID_NS or params.get("openid.mode") != "id_res":
        raise AssertionRejected("not a positive OpenID 2.0 assertion")
    if params.get("openid.op_endpoint") != endpoint:
        raise AssertionRejected("assertion from another provider")
    if params.get("openid.return_to", "").split("?")[0] != return_to:
        raise AssertionRejected("assertion made for another return URL")
    claimed = params.get("openid.claimed_id", "")
    found = STEAM_CLAIMED_ID.match(claimed)
    if not found or params.get("openid.identity") != claimed:
        raise AssertionRejected("assertion does not name a Steam account")
    signed = set(params.get("openid.signed", "").split(","))
    if not REQUIRED_SIGNED <= signed:
        raise AssertionRejected("assertion leaves required fields unsigned")
    nonce = params.get("openid.response_nonce", "")
    _nonce_check_fresh(nonce)

    check = {k: v for k, v in params.items() if k.startswith("openid.")}
    check["openid.mode"] = "check_authentication"
    try:
        response = requests.post(endpoint, data=check, timeout=timeout)
    except requests.RequestException as error:
        raise AssertionRejected(f"provider unreachable: {type(error).__name__}") from error
    answer = dict(line.split(":", 1) for line in response.text.splitlines() if ":" in line)
    if response.status_code != 200 or answer.get("is_valid", "").strip() != "true":
        raise AssertionRejected("provider did not confirm the assertion")

    _nonce_consume(endpoint=endpoint, nonce=nonce)
    return int(found.group(1)) - STEAMID64_BASE


def _nonce_check_fresh(nonce: str) -> None:
    stamp = NONCE_TIME.match(nonce)
    if not stamp or len(nonce) > 255:
        raise AssertionRejected("assertion has no valid nonce")
    issued = datetime.strptime(stamp.group(1), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    if abs(datetime.now(UTC) - issued) > NONCE_MAX_AGE:
        raise AssertionRejected("assertion is too old")


def _nonce_consume(*, endpoint: str, nonce: str) -> None:
    """Remember the nonce; an assertion seen before is a replay."""
    try:
        mongo()[OPENID_NONCES].insert_one(
            {"_id": f"{endpoint} {nonce}", "used_at": datetime.now(UTC)}
        )
    except DuplicateKeyError as error:
        raise AssertionRejected("assertion already used") from error
