"""Template filters that turn stored numbers into what a Dota player reads."""

from __future__ import annotations

from datetime import UTC, datetime

from django import template

from yasp_web import constants

register = template.Library()


@register.filter
def hero(hero_id: int | None) -> str:
    """Hero id -> hero name."""
    return constants.hero_name(hero_id)


@register.filter
def hero_unit(unit: str) -> str:
    """Combat-log unit name -> hero name."""
    return constants.hero_name_from_unit(str(unit))


@register.filter
def item(item_id: int | None) -> str:
    """Item id -> item name."""
    return constants.item_name(item_id)


@register.filter
def item_key(key: str) -> str:
    """Internal item name -> display name."""
    return constants.item_display_name(str(key))


@register.filter
def game_mode(value: int | None) -> str:
    """Game mode id -> name."""
    return constants.game_mode_name(value)


@register.filter
def lobby_type(value: int | None) -> str:
    """Lobby type id -> name."""
    return constants.lobby_type_name(value)


@register.filter
def clock(seconds: int | float | None) -> str:
    """Seconds -> m:ss, negative before the horn."""
    if seconds is None:
        return ""
    sign = "-" if seconds < 0 else ""
    total = abs(int(seconds))
    return f"{sign}{total // 60}:{total % 60:02d}"


@register.filter
def unix_date(timestamp: int | None) -> str:
    """Unix time -> YYYY-MM-DD HH:MM (UTC)."""
    if not timestamp:
        return ""
    return datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d %H:%M")


@register.filter
def percent(fraction: float | None) -> str:
    """0.534 -> 53.4%."""
    return "" if fraction is None else f"{fraction * 100:.1f}%"


@register.filter
def rank_tier(value: int | None) -> str:
    """Rank tier 54 -> "Legend 4"; 80 -> "Immortal"."""
    if not value:
        return "unranked"
    medals = ["Herald", "Guardian", "Crusader", "Archon", "Legend", "Ancient", "Divine", "Immortal"]
    medal, star = divmod(int(value), 10)
    if not 1 <= medal <= len(medals):
        return str(value)
    return medals[medal - 1] if medal == 8 or not star else f"{medals[medal - 1]} {star}"


@register.filter
def get_id(document: dict) -> object:
    """A MongoDB document's `_id` (templates cannot read names starting with `_`)."""
    return document.get("_id")
