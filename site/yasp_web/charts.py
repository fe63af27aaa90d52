"""Server-rendered SVG charts: advantage graphs, per-player lines, the ward map."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Ten distinguishable colours, Radiant slots first then Dire, as the scoreboard lists them.
SLOT_COLOURS = [
    "#3375ff", "#66ffbf", "#bf00bf", "#f3f00b", "#ff6b00",
    "#fe86c2", "#a1b447", "#65d9f7", "#008321", "#a46900",
]  # fmt: skip


@dataclass(frozen=True)
class Series:
    """One line of a chart."""

    label: str
    colour: str
    values: list[float]


def line_chart(
    *, title: str, minutes: list[float], series: list[Series], width: int = 720, height: int = 260
) -> SafeString:
    """A line chart over game minutes with a zero line; labels are escaped."""
    pad_left, pad_bottom, pad_top = 56, 24, 20
    values = [v for s in series for v in s.values] or [0]
    low, high = min(min(values), 0), max(max(values), 0)
    if high == low:
        high = low + 1
    last_minute = max(minutes[-1] if minutes else 1, 1)
    plot_w, plot_h = width - pad_left - 8, height - pad_top - pad_bottom

    def x(minute: float) -> float:
        return pad_left + plot_w * minute / last_minute

    def y(value: float) -> float:
        return pad_top + plot_h * (high - value) / (high - low)

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#1b1f24"/>',
        f'<line x1="{pad_left}" x2="{width - 8}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#777"/>',
        f'<text x="4" y="{pad_top + 4}" fill="#ccc" font-size="11">{high:,.0f}</text>',
        f'<text x="4" y="{pad_top + plot_h}" fill="#ccc" font-size="11">{low:,.0f}</text>',
    ]
    for tick in range(0, int(last_minute) + 1, 10):
        parts.append(
            f'<text x="{x(tick):.1f}" y="{height - 6}" fill="#ccc" font-size="11" '
            f'text-anchor="middle">{tick}:00</text>'
        )
    for line in series:
        points = " ".join(
            f"{x(m):.1f},{y(v):.1f}" for m, v in zip(minutes, line.values, strict=False)
        )
        parts.append(
            f'<polyline class="series" fill="none" stroke="{escape(line.colour)}" '
            f'stroke-width="2" points="{points}"><title>{escape(line.label)}</title></polyline>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def ward_map(*, wards: list[dict], size: int = 512) -> SafeString:
    """Ward placements on the map's 64-192 grid; observers yellow, sentries blue."""
    scale = size / 128
    parts = [
        f'<svg class="wardmap" role="img" viewBox="0 0 {size} {size}" width="{size}" '
        f'height="{size}" xmlns="http://www.w3.org/2000/svg"><title>Ward placements</title>',
        f'<rect width="{size}" height="{size}" fill="#23301f"/>',
        # The river, from top-left to bottom-right; Radiant bottom-left, Dire top-right.
        f'<line x1="0" y1="{size * 0.45:.0f}" x2="{size}" y2="{size * 0.6:.0f}" stroke="#2a4a66" '
        'stroke-width="18"/>',
        f'<circle cx="{size * 0.12:.0f}" cy="{size * 0.88:.0f}" r="14" fill="#2d6a2d"/>',
        f'<circle cx="{size * 0.88:.0f}" cy="{size * 0.12:.0f}" r="14" fill="#7a2a2a"/>',
    ]
    for ward in wards:
        try:
            cx = (float(ward["x"]) - 64) * scale
            cy = (192 - float(ward["y"])) * scale
        except (KeyError, TypeError, ValueError):
            continue
        colour = "#ffd24a" if ward["kind"] == "obs" else "#5ab0ff"
        parts.append(
            f'<circle class="ward {ward["kind"]}" cx="{cx:.1f}" cy="{cy:.1f}" r="5" '
            f'fill="{colour}" fill-opacity="0.8"><title>{escape(ward["title"])}</title></circle>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
