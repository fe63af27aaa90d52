"""Why a replay could not be parsed, and whether trying again can help."""

from __future__ import annotations

NOT_A_REPLAY = "not_a_replay"
SOURCE1_REPLAY = "source1_replay"
REPLAY_CORRUPT = "replay_corrupt"
CLIENT_RECORDING = "client_recording"
MATCH_MISMATCH = "match_mismatch"
REPLAY_TOO_LARGE = "replay_too_large"
REPLAY_NOT_READY = "replay_not_ready"
REPLAY_UNAVAILABLE = "replay_unavailable"
DOWNLOAD_FAILED = "download_failed"
PARSER_CRASHED = "parser_crashed"
PARSE_TIMEOUT = "parse_timeout"

RETRYABLE_REASONS = frozenset({REPLAY_NOT_READY, DOWNLOAD_FAILED})


class ReplayFailure(Exception):
    """A classified replay failure; `reason` is one of the constants above."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    @property
    def retryable(self) -> bool:
        """True when the same replay may succeed later (network, not yet published)."""
        return self.reason in RETRYABLE_REASONS

    def __reduce__(self) -> tuple:
        return (ReplayFailure, (self.reason, self.detail))
