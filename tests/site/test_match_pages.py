"""Match pages: parsed, waiting, expired, failed and unknown matches."""

from __future__ import annotations

from conftest import EXPIRED_MATCH_ID, FAILED_MATCH_ID, PARSED_MATCH_ID, UNPARSED_MATCH_ID
from yasp_web.matches.report import missing_reason

from tasks.storage.schema import MATCHES


def test_parsed_match_shows_scoreboard_with_items(client):
    response = client.get(f"/matches/{PARSED_MATCH_ID}/")
    assert response.status_code == 200
    radiant = response.context["teams"]["radiant"]
    assert (radiant[0]["kills"], radiant[0]["deaths"], radiant[0]["assists"]) == (10, 1, 10)
    assert "Abyssal Blade" in radiant[0]["items"]
    assert b"Radiant victory" in response.content


def test_parsed_match_draws_advantage_and_gold_graphs(client):
    response = client.get(f"/matches/{PARSED_MATCH_ID}/")
    assert response.content.count(b'class="chart"') == 2
    assert response.content.count(b'<polyline class="series"') == 2 + 10


def test_parsed_match_lists_purchases_wards_kills_chat_objectives_and_teamfights(client):
    context = client.get(f"/matches/{PARSED_MATCH_ID}/").context
    assert any(b["item"] == "Black King Bar" for p in context["purchases"] for b in p["items"])
    assert context["ward_count"] > 50
    assert len(context["kills"]) >= 37
    assert len(context["chat"]) == 22 + 61 + 1
    assert any(o["what"] == "firstblood" for o in context["objectives"])
    assert len(context["teamfights"]) == 4


def test_parsed_match_says_where_its_replay_data_came_from(client):
    response = client.get(f"/matches/{PARSED_MATCH_ID}/")
    assert b"Replay data from an OpenDota import" in response.content


def test_unparsed_match_shows_its_scoreboard_and_why_the_rest_is_missing(client):
    response = client.get(f"/matches/{UNPARSED_MATCH_ID}/")
    assert response.status_code == 200
    assert len(response.context["teams"]["dire"]) == 5
    assert b'id="unparsed"' in response.content
    assert response.context["missing_reason"].encode() in response.content
    assert b'class="chart"' not in response.content


def test_recent_match_waiting_for_its_parse_says_so(db):
    match = db[MATCHES].find_one({"_id": UNPARSED_MATCH_ID})
    reason = missing_reason(match, now=match["start_time"] + 3600)
    assert reason == "Waiting for the replay to be downloaded and parsed."


def test_recent_match_waiting_for_its_salt_says_so(db):
    match = {**db[MATCHES].find_one({"_id": UNPARSED_MATCH_ID}), "stage": "salt_wait"}
    reason = missing_reason(match, now=match["start_time"] + 3600)
    assert "game coordinator" in reason


def test_old_unparsed_match_says_its_replay_expired(client):
    response = client.get(f"/matches/{EXPIRED_MATCH_ID}/")
    assert "replay has most likely expired" in response.context["missing_reason"]


def test_failed_match_shows_the_recorded_reason_escaped(client):
    response = client.get(f"/matches/{FAILED_MATCH_ID}/")
    assert response.status_code == 200
    assert (
        b"Parsing failed at parse: replay corrupt: &lt;truncated bzip2 stream&gt;"
        in response.content
    )


def test_unknown_match_offers_a_parse_request(client):
    response = client.get("/matches/123/")
    assert response.status_code == 404
    assert b"Request a parse" in response.content


def test_a_requested_match_parsed_without_valve_details_shows_what_it_has(client, db):
    from tasks.storage.schema import MATCHES, PARSED_MATCHES

    db[MATCHES].insert_one({"_id": 3223722713, "match_id": 3223722713, "stage": "parsed",
                            "priority": 0})  # fmt: skip
    db[PARSED_MATCHES].insert_one({"_id": 3223722713, "source": "replay", "version": 1,
                                   "chat": [], "objectives": [], "teamfights": []})  # fmt: skip
    try:
        response = client.get("/matches/3223722713/")
        assert response.status_code == 200
        assert b"Its replay was parsed (source: replay" in response.content
    finally:
        db[MATCHES].delete_one({"_id": 3223722713})
        db[PARSED_MATCHES].delete_one({"_id": 3223722713})


def test_a_requested_match_that_failed_says_why(client, db):
    from tasks.storage.schema import MATCHES

    db[MATCHES].insert_one({"_id": 5000000001, "match_id": 5000000001, "stage": "failed",
                            "failed_stage": "salt", "stage_reason": "gc_not_found"})  # fmt: skip
    try:
        response = client.get("/matches/5000000001/")
        assert response.status_code == 404
        assert b"the pipeline stopped: gc_not_found" in response.content
    finally:
        db[MATCHES].delete_one({"_id": 5000000001})
