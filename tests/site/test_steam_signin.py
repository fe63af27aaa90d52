"""Steam sign-in against the loopback OpenID stand-in: genuine, forged and replayed assertions."""

from __future__ import annotations

import time
from urllib.parse import urlencode, urlsplit

import pytest
import requests
from django.test import override_settings

from standins.steam_openid import SteamOpenIdStandin
from tasks.config import settings
from tasks.players.tracking import tracked_account_ids
from tasks.storage.schema import PLAYERS

STEAMID = 76561198000000042
ACCOUNT_ID = STEAMID - 76561197960265728
RETURN_TO = "http://testserver/login/return/"


@pytest.fixture
def provider():
    standin = SteamOpenIdStandin(steamid=STEAMID).start()
    with override_settings(OPENID_ENDPOINT=standin.endpoint):
        yield standin
    standin.stop()


def _return(client, params: dict[str, str]):
    return client.get(f"/login/return/?{urlencode(params)}")


def test_sign_in_round_trip_signs_the_player_in_and_tracks_them(client, db, provider):
    start = client.get("/login/")
    assert start.status_code == 302 and start["Location"].startswith(provider.endpoint)
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    target = urlsplit(back.headers["Location"])
    response = client.get(f"{target.path}?{target.query}")
    assert response.status_code == 302 and response["Location"] == f"/players/{ACCOUNT_ID}/"
    assert client.session["account_id"] == ACCOUNT_ID
    last_visit = db[PLAYERS].find_one({"_id": ACCOUNT_ID})["last_visit"]
    assert time.time() - last_visit < 60
    assert ACCOUNT_ID in tracked_account_ids(db, days=settings().tracked_days)


def test_forged_assertion_is_rejected(client, db, provider):
    forged = provider.forged_assertion(return_to=RETURN_TO, steamid=76561198000000099)
    response = _return(client, forged)
    assert response.status_code == 403
    assert "account_id" not in client.session
    assert db[PLAYERS].find_one({"_id": 76561198000000099 - 76561197960265728}) is None


def test_replayed_assertion_is_rejected(client, provider):
    assertion = provider.assertion(return_to=RETURN_TO)
    assert _return(client, assertion).status_code == 302
    client.session.flush()
    replayed = _return(client, assertion)
    assert replayed.status_code == 403
    assert b"already used" in replayed.content or b"did not confirm" in replayed.content


def test_replay_is_caught_by_the_site_even_if_the_provider_confirmed_it_again(client, provider):
    assertion = provider.assertion(return_to=RETURN_TO)
    assert _return(client, assertion).status_code == 302
    provider._seen_nonces.clear()  # a provider that forgets nonces must not let a replay in
    assert b"already used" in _return(client, assertion).content


def test_assertion_for_another_site_is_rejected(client, provider):
    assertion = provider.assertion(return_to="http://evil.invalid/login/return/")
    assert _return(client, assertion).status_code == 403


def test_assertion_from_another_provider_is_rejected(client, provider):
    assertion = provider.assertion(return_to=RETURN_TO)
    with override_settings(OPENID_ENDPOINT="http://127.0.0.1:9/openid/login"):
        assert _return(client, assertion).status_code == 403


def test_assertion_with_a_tampered_claimed_id_is_rejected(client, provider):
    assertion = provider.assertion(return_to=RETURN_TO)
    other = "https://steamcommunity.com/openid/id/76561198000000777"
    assertion.update({"openid.claimed_id": other, "openid.identity": other})
    assert _return(client, assertion).status_code == 403


def test_stale_assertion_is_rejected_before_asking_the_provider(client, provider):
    assertion = provider.assertion(return_to=RETURN_TO)
    assertion["openid.response_nonce"] = (
        "2015-01-01T00:00:00Z" + assertion["openid.response_nonce"][20:]
    )
    checks = provider.checks
    assert _return(client, assertion).status_code == 403
    assert provider.checks == checks


def test_sign_in_return_refuses_unknown_parameters(client, provider):
    assertion = provider.assertion(return_to=RETURN_TO) | {"next": "http://evil.invalid/"}
    assert _return(client, assertion).status_code == 403


def test_sign_out_needs_a_post_with_csrf(client, provider):
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
