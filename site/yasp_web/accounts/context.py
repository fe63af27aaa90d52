"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest


def signed_in_player(request: HttpRequest) -> dict[str, int | None]:
    """The signed-in account id, if any."""
    return {"signed_in_account_id": request.session.get("account_id")}
