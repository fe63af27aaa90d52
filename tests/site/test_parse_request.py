"""The request-a-parse form: validation, recording, queueing first, rate limit, CSRF."""

from __future__ import annotations

import pytest
from conftest import PARSED_MATCH_ID
from django.test import Client, override_settings

from tasks.storage.schema import MATCHES


def test_parse_request_form_renders(client):
    response = client.get("/request/")
    assert response.status_code == 200 and b"csrfmiddlewaretoken" in response.content


def test_parse_request_for_an_unknown_match_creates_it_waiting_for_its_salt(client, db):
    response = client.post("/request/", {"match_id": "7000000001"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200
    match = db[MATCHES].find_one({"_id": 7000000001})
    assert (match["stage"], match["priority"]) == ("salt_wait", 0)
    assert db["parse_requests"].count_documents({"match_id": 7000000001, "ip": "10.0.0.1"}) == 1


def test_parse_request_for_a_known_match_moves_it_first_without_changing_its_stage(client, db):
    client.post("/request/", {"match_id": str(PARSED_MATCH_ID)}, REMOTE_ADDR="10.0.0.2")
    match = db[MATCHES].find_one({"_id": PARSED_MATCH_ID})
    assert (match["stage"], match["priority"]) == ("parsed", 0)


@pytest.mark.parametrize(
    "value", ["", "abc", "-5", "0", "1e9", "99999999999999999999", "{'$gt': 0}"]
)
def test_parse_request_refuses_invalid_match_ids(client, value):
    response = client.post("/request/", {"match_id": value}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 400


@override_settings(PARSE_REQUESTS_PER_HOUR=2)
def test_parse_requests_are_rate_limited_per_ip(client, db):
    statuses = [
        client.post(
            "/request/", {"match_id": str(7000000100 + i)}, REMOTE_ADDR="10.0.0.4"
        ).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
    other_ip = client.post("/request/", {"match_id": "7000000200"}, REMOTE_ADDR="10.0.0.5")
    assert other_ip.status_code == 200


def test_parse_request_without_csrf_token_is_refused(db):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/request/", {"match_id": "7000000300"}).status_code == 403
    assert db[MATCHES].find_one({"_id": 7000000300}) is None
