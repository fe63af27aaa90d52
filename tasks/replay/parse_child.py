"""The child process that decompresses, parses and builds one replay's document.

Run as `python -m tasks.replay.parse_child FD COMPRESSED DECOMPRESSOR THREADS MATCH_ID MAX`;
it reads the replay from file descriptor FD and prints one JSON object on stdout.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from typing import Any

from tasks.replay import failures
from tasks.replay.decompress import dem_chunks
from tasks.replay.demfile import DemWatch
from tasks.replay.document import document_build
from tasks.replay.failures import ReplayFailure
from tasks.replay.manta import manta_parse

CLIENT_RECORDING_ERROR = "unable to determine game build"


def _pump(source: Any, watch: DemWatch, sink_fd: int, errors: list[ReplayFailure]) -> None:
    try:
        with os.fdopen(sink_fd, "wb") as sink:
            for chunk in source:
                watch.feed(chunk)
                sink.write(chunk)
    except BrokenPipeError:
        pass
    except ReplayFailure as failure:
        errors.append(failure)
    except Exception as error:  # noqa: BLE001 - any decoding error means a corrupt replay
        errors.append(ReplayFailure(failures.REPLAY_CORRUPT, repr(error)))


def _drain(fd: int) -> None:
    while os.read(fd, 1 << 20):
        pass


def replay_document(
    fd: int, compressed: bool, decompressor: str, threads: int, match_id: int, max_bytes: int
) -> dict[str, Any]:
    """Parse the replay on `fd`; a dict with the document or the classified failure."""
    watch = DemWatch(max_bytes)
    errors: list[ReplayFailure] = []
    read_fd, write_fd = os.pipe()
    source = dem_chunks(fd, compressed, decompressor, threads)
    pump = threading.Thread(target=_pump, args=(source, watch, write_fd, errors), daemon=True)
    started = time.perf_counter()
    pump.start()
    raw = manta_parse(f"/dev/fd/{read_fd}")
    parse_seconds = time.perf_counter() - started
    # Read what the parser left so the whole stream is counted and its framing checked.
    _drain(read_fd)
    os.close(read_fd)
    pump.join()
    stats = {"dem_bytes": watch.size, "parse_seconds": round(parse_seconds, 3)}
    failure = errors[0] if errors else watch.failure_at_end()
    if failure is None and not raw.get("success"):
        error = str(raw.get("error") or "parser failed")
        reason = failures.CLIENT_RECORDING if CLIENT_RECORDING_ERROR in error else None
        failure = ReplayFailure(reason or failures.REPLAY_CORRUPT, error)
    replay_match_id = int((raw.get("game_info") or {}).get("match_id") or 0)
    if failure is None and match_id and replay_match_id and replay_match_id != match_id:
        failure = ReplayFailure(
            failures.MATCH_MISMATCH, f"replay is match {replay_match_id}, not {match_id}"
        )
    if failure is not None:
        return {"ok": False, "reason": failure.reason, "detail": failure.detail, **stats}
    started = time.perf_counter()
    document = document_build(raw, match_id or None)
    stats["build_seconds"] = round(time.perf_counter() - started, 3)
    return {"ok": True, "document": document, **stats}


def main(argv: list[str]) -> int:
    """Entry point of the child process."""
    fd, compressed, decompressor, threads, match_id, max_bytes = argv
    result = replay_document(
        int(fd), compressed == "1", decompressor, int(threads), int(match_id), int(max_bytes)
    )
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    # Exit without waiting on threads the parser may have left blocked.
    code = main(sys.argv[1:])
    os._exit(code)
