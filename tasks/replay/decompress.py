"""Turn a compressed replay arriving on a file descriptor into .dem bytes, as a stream."""

from __future__ import annotations

import bz2
import os
from collections.abc import Iterator

from tasks.replay import failures
from tasks.replay.failures import ReplayFailure

CHUNK_BYTES = 1 << 20
SLICE_BYTES = 1 << 16
BZIP2_MAGIC = b"BZh"


def fd_chunks(fd: int) -> Iterator[bytes]:
    """Read a file descriptor to its end in chunks."""
    while chunk := os.read(fd, CHUNK_BYTES):
        yield chunk


def dem_chunks(fd: int, compressed: bool, decompressor: str, threads: int) -> Iterator[bytes]:
    """Yield the .dem bytes read from `fd`, decompressing bzip2 when `compressed`."""
    if not compressed:
        yield from fd_chunks(fd)
    elif decompressor == "stdlib":
        yield from stdlib_decompress(fd_chunks(fd))
    else:
        yield from indexed_bzip2_decompress(fd, threads)


def stdlib_decompress(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Decompress bzip2 chunks with the standard library, one stream after another."""
    decompressor = bz2.BZ2Decompressor()
    mid_stream = False
    for chunk in chunks:
        # Small slices keep one call's output bounded even for highly compressible input.
        for offset in range(0, len(chunk), SLICE_BYTES):
            data = chunk[offset : offset + SLICE_BYTES]
            while data:
                try:
                    out = decompressor.decompress(data)
                except OSError as error:
                    raise ReplayFailure(failures.REPLAY_CORRUPT, f"bzip2: {error}") from error
                if out:
                    yield out
                mid_stream = not decompressor.eof
                data = b""
                if decompressor.eof:
                    # Multi-stream files (as pbzip2 writes) hold several streams back to back.
                    data = decompressor.unused_data
                    decompressor = bz2.BZ2Decompressor()
                    mid_stream = bool(data)
    if mid_stream:
        raise ReplayFailure(failures.REPLAY_CORRUPT, "bzip2 stream ends early")


def indexed_bzip2_decompress(fd: int, threads: int) -> Iterator[bytes]:
    """Decompress bzip2 from `fd` with indexed_bzip2 (blocks in parallel, GIL held while reading).

    It must read a real file descriptor: with another Python thread feeding a pipe it deadlocks.
    """
    import indexed_bzip2

    source = os.fdopen(os.dup(fd), "rb", buffering=0)
    try:
        with indexed_bzip2.open(source, parallelization=max(1, threads)) as stream:
            while True:
                try:
                    chunk = stream.read(CHUNK_BYTES)
                except (RuntimeError, ValueError, OSError) as error:
                    raise ReplayFailure(failures.REPLAY_CORRUPT, f"bzip2: {error}") from error
                if not chunk:
                    return
                yield chunk
    except (RuntimeError, ValueError) as error:
        raise ReplayFailure(failures.REPLAY_CORRUPT, f"bzip2: {error}") from error
    finally:
        source.close()
