"""Steam sign-in and sign-out."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from yasp_web.accounts import openid, services

log = logging.getLogger(__name__)
MAX_PARAM_LENGTH = 2048


def _return_to(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("login_return"))


@require_GET
def login(request: HttpRequest) -> HttpResponse:
    url = openid.login_url(
        endpoint=settings.OPENID_ENDPOINT,
        return_to=_return_to(request),
        realm=request.build_absolute_uri("/"),
    )
    return redirect(url)


@require_GET
def login_return(request: HttpRequest) -> HttpResponse:
    params = {k: request.GET[k] for k in request.GET if k.startswith("openid.")}
    if (
        len(params) != len(request.GET)
        or any(len(request.GET.getlist(k)) > 1 for k in request.GET)
        or any(len(v) > MAX_PARAM_LENGTH for v in params.values())
    ):
        return _refused(request, "unexpected parameters")
    try:
        account_id = openid.assertion_verify(
            params=params,
            endpoint=settings.OPENID_ENDPOINT,
            return_to=_return_to(request),
            timeout=settings.OPENID_TIMEOUT_S,
        )
    except openid.AssertionRejected as error:
        return _refused(request, str(error))
    request.session.cycle_key()
    request.session["account_id"] = account_id
    services.player_visit_record(account_id=account_id)
    log.info("signed in account %s", account_id)
    return redirect("player_overview", account_id=account_id)


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    log.warning("Steam sign-in refused: %s", reason)
    context = {"heading": "Sign-in failed", "message": f"Steam sign-in was refused: {reason}."}
    return render(request, "error.html", context, status=403)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("home")
