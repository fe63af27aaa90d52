"""Hero, item, game-mode and lobby names from OpenDota's `dotaconstants`, vendored as JSON."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

VENDORED = Path(__file__).with_name("dota.json")


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    return json.loads(VENDORED.read_text(encoding="utf-8"))


def hero_name(hero_id: int | None) -> str:
    """A hero's display name, or "Hero <id>" for one newer than the vendored table."""
    hero = _tables()["heroes"].get(str(hero_id))
    return hero["localized_name"] if hero else f"Hero {hero_id}"


def hero_choices() -> list[tuple[int, str]]:
    """(hero_id, name) for every known hero, by name."""
    heroes = _tables()["heroes"]
    return sorted(((int(k), v["localized_name"]) for k, v in heroes.items()), key=lambda c: c[1])


def hero_name_from_unit(unit: str) -> str:
    """The display name of a combat-log unit such as `npc_dota_hero_life_stealer`."""
    hero_id = _tables()["hero_ids_by_unit"].get(unit)
    return hero_name(hero_id) if hero_id else unit.removeprefix("npc_dota_")


def item_name(item_id: int | None) -> str:
    """An item's display name from its numeric id (`item_0`..`item_5`); "" for an empty slot."""
    if not item_id:
        return ""
    key = _tables()["item_keys_by_id"].get(str(item_id))
    return item_display_name(key) if key else f"Item {item_id}"


def item_display_name(key: str) -> str:
    """An item's display name from its internal name (`blink` -> "Blink Dagger")."""
    return _tables()["item_names"].get(key, key.replace("_", " "))


def game_mode_name(game_mode: int | None) -> str:
    """A game mode's display name."""
    return _tables()["game_modes"].get(str(game_mode), f"Mode {game_mode}")


def game_mode_choices() -> list[tuple[int, str]]:
    """(game_mode, name) for every known game mode."""
    return [(int(k), v) for k, v in _tables()["game_modes"].items()]


def lobby_type_name(lobby_type: int | None) -> str:
    """A lobby type's display name."""
    return _tables()["lobby_types"].get(str(lobby_type), f"Lobby {lobby_type}")


def lobby_type_choices() -> list[tuple[int, str]]:
    """(lobby_type, name) for every known lobby type."""
    return [(int(k), v) for k, v in _tables()["lobby_types"].items()]


def chat_wheel_message(key: str) -> str:
    """The text of a chat-wheel line, or its id when the vendored table lacks it."""
    return _tables()["chat_wheel"].get(str(key), f"chat wheel line {key}")
