"""What can go wrong when asking the Steam Web API, split by whether a retry can help."""

from __future__ import annotations


class SteamApiError(Exception):
    """Any failed Steam Web API call."""

    retryable: bool = False


class RateLimited(SteamApiError):
    """HTTP 429: Valve wants fewer requests from this IP or key."""

    retryable = True

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerError(SteamApiError):
    """HTTP 5xx, a timeout or a dropped connection: Valve's side, worth retrying."""

    retryable = True


class MalformedResponse(SteamApiError):
    """A 200 answer whose body is not the JSON shape the endpoint documents."""

    retryable = True


class ApiRejected(SteamApiError):
    """Valve answered and said no (bad key, private profile, bad request); do not retry."""

    def __init__(self, message: str, status: int | None = None, http_status: int = 200) -> None:
        super().__init__(message)
        self.status = status
        self.http_status = http_status
