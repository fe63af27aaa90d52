"""Inputs meant to break the site: operator injection, out-of-range ids, markup in names."""

from __future__ import annotations

import pytest
from conftest import HERO_PLAYER, HOSTILE_CHAT, HOSTILE_NAME, PARSED_MATCH_ID


@pytest.mark.parametrize(
    "query",
    [
        "account_id[$ne]=1",
        "hero_id[$ne]=1",
        "hero_id=%7B%22%24ne%22%3A1%7D",
        "hero_id=-1",
        "hero_id=99999999999999999999",
        "win=yes",
        "game_mode=1e3",
        "after=2023-13-45",
        "page=0",
        "page=-3",
        "hero_id=1&hero_id=2",
    ],
)
def test_player_filters_refuse_malformed_or_injected_parameters(client, query):
    response = client.get(f"/players/{HERO_PLAYER}/matches/?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/players/0/",
        "/players/4294967295/",
        "/players/99999999999999999999999999/",
        "/players/-5/",
        "/matches/0/",
        "/matches/99999999999999999999999999/",
        "/matches/-1/",
    ],
)
def test_out_of_range_ids_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_match_page_refuses_query_parameters(client):
    assert client.get(f"/matches/{PARSED_MATCH_ID}/?_id[$gt]=0").status_code == 400


def test_search_refuses_extra_parameters_and_long_queries(client):
    assert client.get("/search/?q=a&personaname[$regex]=.*").status_code == 400
    assert client.get("/search/", {"q": "x" * 65}).status_code == 400


def test_search_treats_regex_characters_literally(client):
    response = client.get("/search/", {"q": ".*"})
    assert response.status_code == 200
    assert response.context["results"] == []


def test_player_name_with_script_tag_is_escaped(client):
    response = client.get(f"/players/{HERO_PLAYER}/")
    assert HOSTILE_NAME.encode() not in response.content
    assert b"&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in response.content


def test_chat_line_with_script_tag_is_escaped(client):
    response = client.get(f"/matches/{PARSED_MATCH_ID}/")
    assert HOSTILE_CHAT.encode() not in response.content
    assert HOSTILE_NAME.encode() not in response.content
    assert b"&lt;script&gt;alert(&#x27;chat&#x27;)&lt;/script&gt;" in response.content


def test_pages_send_security_headers(client):
    response = client.get(f"/matches/{PARSED_MATCH_ID}/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_static_stylesheet_is_served(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b"font" in b"".join(response.streaming_content)
