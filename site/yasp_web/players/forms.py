"""Filters of a player's pages."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django import forms

from yasp_web.constants import game_mode_choices, hero_choices, lobby_type_choices


def _optional_int_choices(choices: list[tuple[int, str]]) -> list[tuple[str, str]]:
    return [("", "any")] + [(str(value), label) for value, label in choices]


class MatchFilterForm(forms.Form):
    """Which of a player's matches a page counts."""

    hero_id = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[], label="Hero"
    )
    game_mode = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, choices=[])
    lobby_type = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, choices=[])
    win = forms.TypedChoiceField(
        required=False,
        coerce=lambda v: v == "1",
        empty_value=None,
        choices=[("", "any"), ("1", "won"), ("0", "lost")],
    )
    after = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    before = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hero_id"].choices = _optional_int_choices(hero_choices())
        self.fields["game_mode"].choices = _optional_int_choices(game_mode_choices())
        self.fields["lobby_type"].choices = _optional_int_choices(lobby_type_choices())


def match_filter_query(account_id: int, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The `player_matches` query for a player and validated filters."""
    query: dict[str, Any] = {"account_id": account_id}
    for key in ("hero_id", "game_mode", "lobby_type", "win"):
        if cleaned.get(key) is not None:
            query[key] = cleaned[key]
    start_time: dict[str, int] = {}
    if cleaned.get("after"):
        start_time["$gte"] = int(datetime.combine(cleaned["after"], time.min, UTC).timestamp())
    if cleaned.get("before"):
        start_time["$lt"] = int(datetime.combine(cleaned["before"], time.max, UTC).timestamp())
    if start_time:
        query["start_time"] = start_time
    return query
