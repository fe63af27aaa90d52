"""Player pages on real imported matches, with every filter."""

from __future__ import annotations

import pytest
from conftest import HERO_PLAYER, PARSED_MATCH_ID

LIFESTEALER = 54


def test_player_overview_shows_win_loss_recent_matches_and_heroes(client):
    response = client.get(f"/players/{HERO_PLAYER}/")
    assert response.status_code == 200
    assert response.context["wins"] == 1 and response.context["losses"] == 0
    assert [r["match_id"] for r in response.context["recent"]] == [PARSED_MATCH_ID]
    assert response.context["heroes"][0]["hero_id"] == LIFESTEALER
    assert b"Lifestealer" in response.content
    assert b"Divine 5" in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 1),
        (f"hero_id={LIFESTEALER}", 1),
        ("hero_id=1", 0),
        ("game_mode=2", 1),
        ("game_mode=22", 0),
        ("lobby_type=1", 1),
        ("lobby_type=7", 0),
        ("win=1", 1),
        ("win=0", 0),
        ("after=2023-12-16&before=2023-12-16", 1),
        ("after=2024-01-01", 0),
        ("before=2023-12-15", 0),
    ],
)
def test_player_match_list_applies_each_filter(client, query, expected):
    response = client.get(f"/players/{HERO_PLAYER}/matches/?{query}")
    assert response.status_code == 200
    assert len(response.context["rows"]) == expected


@pytest.mark.parametrize("tab", ["matches", "heroes", "peers", "records", "activity", "rankings"])
def test_every_player_tab_renders_with_filters(client, tab):
    response = client.get(f"/players/{HERO_PLAYER}/{tab}/?hero_id={LIFESTEALER}&win=1")
    assert response.status_code == 200


def test_player_peers_counts_teammates_and_opponents_of_the_match(client):
    peers = client.get(f"/players/{HERO_PLAYER}/peers/").context["peers"]
    assert sum(p["with_games"] for p in peers) == 4
    assert sum(p["against_games"] for p in peers) == 5
    assert all(p["with_wins"] == p["with_games"] for p in peers)


def test_player_records_name_the_match_holding_each_record(client):
    records = {
        r["field"]: r for r in client.get(f"/players/{HERO_PLAYER}/records/").context["records"]
    }
    assert records["kills"]["value"] == 10
    assert records["last_hits"]["value"] == 515
    assert records["kills"]["row"]["match_id"] == PARSED_MATCH_ID


def test_player_activity_counts_games_per_month(client):
    months = client.get(f"/players/{HERO_PLAYER}/activity/").context["months"]
    assert months == [{"month": "2023-12", "games": 1, "wins": 1, "bar": 100}]


def test_player_rank_history_lists_recorded_ranks(client):
    response = client.get(f"/players/{HERO_PLAYER}/rankings/")
    assert [h["rank_tier"] for h in response.context["history"]] == [74, 75]


def test_unknown_player_is_not_found(client):
    assert client.get("/players/12345/").status_code == 404


def test_search_by_account_id_goes_to_the_player(client):
    response = client.get("/search/", {"q": str(HERO_PLAYER)})
    assert response.status_code == 302 and response["Location"] == f"/players/{HERO_PLAYER}/"


def test_search_by_steamid64_goes_to_the_player(client):
    response = client.get("/search/", {"q": str(HERO_PLAYER + 76561197960265728)})
    assert response["Location"] == f"/players/{HERO_PLAYER}/"


def test_search_by_name_lists_matching_players(client):
    response = client.get("/search/", {"q": "PLAYER-80"})
    names = [p["personaname"] for p in response.context["results"]]
    assert "player-8022" in names
