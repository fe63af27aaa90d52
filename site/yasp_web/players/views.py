"""Player pages: overview, matches, heroes, peers, records, activity, rank history."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from yasp_web.params import MAX_ACCOUNT_ID, QueryError, account_id_from_text, query_validate
from yasp_web.players import selectors
from yasp_web.players.forms import MatchFilterForm, match_filter_query

TABS = [
    ("overview", "Overview"), ("matches", "Matches"), ("heroes", "Heroes"), ("peers", "Peers"),
    ("records", "Records"), ("activity", "Activity"), ("rankings", "Rank history"),
]  # fmt: skip


class _PlayerPage:
    """What every tab of a player's pages needs: profile, validated filters, their query."""

    def __init__(self, request: HttpRequest, account_id: int) -> None:
        if not 0 < account_id <= MAX_ACCOUNT_ID:
            raise Http404("no such player")
        self.cleaned = query_validate(MatchFilterForm, request.GET)
        self.profile = selectors.player_profile(account_id)
        if self.profile is None:
            raise Http404("no such player")
        self.account_id = account_id
        self.query = match_filter_query(account_id, self.cleaned)
        self.form = MatchFilterForm(request.GET)
        self.form.is_valid()
        filters = request.GET.copy()
        filters.pop("page", None)
        self.filters = filters.urlencode()

    def render(self, request: HttpRequest, tab: str, **context: Any) -> HttpResponse:
        context.update(
            profile=self.profile, account_id=self.account_id, form=self.form, tab=tab,
            tabs=TABS, filters=self.filters,
        )  # fmt: skip
        return render(request, f"players/{tab}.html", context)


def _page(request: HttpRequest, account_id: int) -> _PlayerPage | HttpResponse:
    try:
        return _PlayerPage(request, account_id)
    except QueryError as error:
        return HttpResponseBadRequest(f"Bad request: {error}", content_type="text/plain")


@require_GET
def player_overview(request: HttpRequest, account_id: int) -> HttpResponse:
    page = _page(request, account_id)
    if isinstance(page, HttpResponse):
        return page
    wins, losses = selectors.player_win_loss(page.query)
    return page.render(
        request, "overview", wins=wins, losses=losses,
        win_rate=wins / (wins + losses) if wins + losses else None,
        recent=selectors.player_matches(page.query, size=20),
        heroes=selectors.player_heroes(page.query)[:10],
    )  # fmt: skip


@require_GET
def player_match_list(request: HttpRequest, account_id: int) -> HttpResponse:
    page = _page(request, account_id)
    if isinstance(page, HttpResponse):
        return page
    number = page.cleaned.get("page") or 1
    rows = selectors.player_matches(page.query, page=number, size=selectors.PAGE_SIZE + 1)
    return page.render(
        request, "matches", rows=rows[: selectors.PAGE_SIZE], page_number=number,
        has_next=len(rows) > selectors.PAGE_SIZE,
    )  # fmt: skip


@require_GET
def player_hero_list(request: HttpRequest, account_id: int) -> HttpResponse:
    page = _page(request, account_id)
    if isinstance(page, HttpResponse):
        return page
    return page.render(request, "heroes", heroes=selectors.player_heroes(page.query))


@require_GET
def player_peer_list(request: HttpRequest, account_id: int) -> HttpResponse:
    page = _page(request, account_id)
    if isinstance(page, HttpResponse):
        return page
    peers = selectors.player_peers(account_id, page.query)
    return page.render(request, "peers", peers=peers, peer_limit=selectors.PEER_MATCH_LIMIT)


@require_GET
def player_record_list(request: HttpRequest, account_id: int) -> HttpResponse:
    page = _page(request, account_id)
    if isinstance(page, HttpResponse):
        return page
    return page.render(request, "records", records=selectors.player_records(page.query))


@require_GET
def player_activity(request: HttpRequest, account_id: int) -> HttpResponse:
    page = _page(request, account_id)
    if isinstance(page, HttpResponse):
        return page
    months = selectors.player_activity(page.query)
    most = max((m["games"] for m in months), default=0)
    for month in months:
        month["bar"] = round(100 * month["games"] / most) if most else 0
    return page.render(request, "activity", months=months)


@require_GET
def player_rankings(request: HttpRequest, account_id: int) -> HttpResponse:
    page = _page(request, account_id)
    if isinstance(page, HttpResponse):
        return page
    history = [
        {
            "when": entry.get("at") or entry.get("time") or entry.get("updated_at") or "",
            "rank_tier": entry.get("rank_tier"),
            "leaderboard_rank": entry.get("leaderboard_rank"),
        }
        for entry in page.profile.get("rank_history") or []
        if isinstance(entry, dict)
    ]
    return page.render(request, "rankings", history=history)


@require_GET
def player_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    if set(request.GET.keys()) - {"q"} or len(q) > 64:
        return HttpResponseBadRequest("Bad request: search takes one parameter, q (64 chars)")
    q = q.strip()
    account_id = account_id_from_text(q) if q else None
    if account_id is not None and selectors.player_profile(account_id) is not None:
        return redirect("player_overview", account_id=account_id)
    results = selectors.players_by_name(q) if q else []
    return render(request, "players/search.html", {"q": q, "results": results})
