"""The status page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yasp_web.status import selectors


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    if request.GET:
        return HttpResponseBadRequest("Bad request: the status page takes no parameters")
    context = {
        "scanner": selectors.scanner_state(),
        "stages": selectors.matches_by_stage(),
        "rates": selectors.pipeline_rates(),
        "hosts": selectors.retriever_hosts(),
    }
    return render(request, "status/status.html", context)
