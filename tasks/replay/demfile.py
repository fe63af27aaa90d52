"""What the first bytes of a decompressed replay say about it, watched as it streams past."""

from __future__ import annotations

import struct

from tasks.replay import failures
from tasks.replay.failures import ReplayFailure

SOURCE2_MAGIC = b"PBDEMS2\x00"
SOURCE1_MAGIC = b"PBUFDEM\x00"
HEADER_BYTES = 16


class DemWatch:
    """Counts the bytes of a .dem stream and keeps its header to classify it."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.head = b""

    def feed(self, chunk: bytes) -> None:
        """Account for one chunk; stop an oversized or plainly foreign stream early."""
        if len(self.head) < HEADER_BYTES:
            self.head += chunk[: HEADER_BYTES - len(self.head)]
            if len(self.head) >= 8 and self.magic not in (SOURCE1_MAGIC, SOURCE2_MAGIC):
                raise ReplayFailure(failures.NOT_A_REPLAY, f"starts with {self.head[:8]!r}")
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise ReplayFailure(failures.REPLAY_TOO_LARGE, f"over {self.max_bytes} bytes")

    @property
    def magic(self) -> bytes:
        """The 8-byte file stamp."""
        return self.head[:8]

    @property
    def file_info_offset(self) -> int:
        """Where the header says the closing file-info record starts (0 if unknown)."""
        if len(self.head) < 12:
            return 0
        return struct.unpack_from("<i", self.head, 8)[0]

    @property
    def truncated(self) -> bool:
        """True when the stream ended before the file-info record the header points to."""
        return len(self.head) < HEADER_BYTES or self.size <= self.file_info_offset

    def failure_at_end(self) -> ReplayFailure | None:
        """The failure the complete stream shows by its framing alone, if any."""
        if len(self.head) < 8 or self.magic not in (SOURCE1_MAGIC, SOURCE2_MAGIC):
            return ReplayFailure(failures.NOT_A_REPLAY, f"{self.size} bytes, no demo stamp")
        if self.truncated:
            return ReplayFailure(
                failures.REPLAY_CORRUPT,
                f"ends at byte {self.size}, file info expected at {self.file_info_offset}",
            )
        if self.magic == SOURCE1_MAGIC:
            return ReplayFailure(failures.SOURCE1_REPLAY, "Source 1 demo (PBUFDEM)")
        return None
