"""The match page and the request-a-parse form."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from yasp_web.matches import report, selectors, services
from yasp_web.matches.forms import ParseRequestForm
from yasp_web.params import MAX_MATCH_ID


@require_GET
def match_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    if request.GET:
        return HttpResponseBadRequest("Bad request: the match page takes no parameters")
    if not 0 < match_id <= MAX_MATCH_ID:
        raise Http404("no such match")
    match = selectors.match_detail(match_id)
    if match is None or not match.get("players"):
        # A requested match Valve's API never listed: say where it is and what it has.
        parsed = selectors.match_parsed(match_id) if match is not None else None
        context = {
            "match_id": match_id,
            "requested": match is not None,
            "stage": (match or {}).get("stage"),
            "reason": (match or {}).get("stage_reason"),
            "parsed": parsed,
        }
        return render(request, "matches/unknown.html", context, status=200 if parsed else 404)
    parsed = selectors.match_parsed(match_id)
    context = {
        "match": match,
        "match_id": match_id,
        "teams": report.scoreboard(match, selectors.match_player_names(match)),
        "parsed": parsed,
        "parsed_source": parsed.get("source") if parsed else None,
        "missing_reason": None if parsed else report.missing_reason(match),
    }
    if parsed:
        context.update(report.parsed_sections(match, parsed))
    return render(request, "matches/detail.html", context)


def _requester(request: HttpRequest) -> tuple[str, str]:
    ip = request.META.get("REMOTE_ADDR", "")
    account_id = request.session.get("account_id")
    return (f"account:{account_id}" if account_id else f"ip:{ip}"), ip


@require_http_methods(["GET", "POST"])
def parse_request(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        if request.GET:
            return HttpResponseBadRequest("Bad request: this form takes no parameters")
        return render(request, "matches/parse_request.html", {"form": ParseRequestForm()})
    form = ParseRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "matches/parse_request.html", {"form": form}, status=400)
    requester, ip = _requester(request)
    match_id = form.cleaned_data["match_id"]
    try:
        started = services.parse_request_create(match_id=match_id, requester=requester, ip=ip)
    except services.RateLimited:
        return render(
            request, "matches/parse_request.html",
            {"form": form, "limited": True}, status=429,
        )  # fmt: skip
    return render(
        request, "matches/parse_request.html",
        {"form": ParseRequestForm(), "queued": match_id, "started": started},
    )  # fmt: skip
