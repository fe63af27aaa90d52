"""Replay-stage figures: bzip2 decompression throughput, parse time, peak RSS, disk written.

Run: `.venv/bin/python benchmarks/replay_bench.py [--repeat N]`. It builds a larger .dem.bz2
by repeating a real replay (only for decompression) in a temporary directory it removes.
"""

from __future__ import annotations

import argparse
import bz2
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.config import settings  # noqa: E402
from tasks.replay.decompress import indexed_bzip2_decompress, stdlib_decompress  # noqa: E402
from tasks.replay.parse import replay_parse  # noqa: E402
from tasks.replay.stream import TransferCount, file_chunks  # noqa: E402


def _disk_written() -> int:
    with open("/proc/self/io") as io:
        return int(dict(line.split(": ") for line in io.read().splitlines())["write_bytes"])


def _decompress_rate(path: Path, method: str, threads: int = 1) -> tuple[float, int]:
    started = time.perf_counter()
    fd = os.open(path, os.O_RDONLY)
    try:
        if method == "stdlib":
            total = sum(len(c) for c in stdlib_decompress(iter(lambda: os.read(fd, 1 << 20), b"")))
        else:
            total = sum(len(c) for c in indexed_bzip2_decompress(fd, threads))
    finally:
        os.close(fd)
    return time.perf_counter() - started, total


def main(argv: list[str] | None = None) -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30, help="copies of the replay to join")
    args = parser.parse_args(argv)
    replays = settings().data_dir / "replays"
    with tempfile.TemporaryDirectory() as scratch:
        big = Path(scratch) / "joined.dem.bz2"
        plain = (replays / "source1-2013.dem").read_bytes() * args.repeat
        big.write_bytes(bz2.compress(plain, 9))
        mib = len(plain) / 2**20
        print(f"decompression of {mib:.1f} MiB (.bz2 {big.stat().st_size / 2**20:.1f} MiB):")
        for method, threads in (("stdlib", 1), ("indexed_bzip2", 1), ("indexed_bzip2", 2)):
            seconds, total = _decompress_rate(big, method, threads)
            assert total == len(plain)
            print(f"  {method:14} threads={threads}: {seconds:6.2f} s  {mib / seconds:7.1f} MiB/s")
    good = replays / "client-bot-lobby-2024.server-path.dem.bz2"
    written_before = _disk_written()
    started = time.perf_counter()
    run = replay_parse(file_chunks(good, TransferCount()))
    print(f"parse of {good.name}: {time.perf_counter() - started:.2f} s wall")
    for key, value in run.stats.items():
        print(f"  {key}: {value}")
    print(f"  bytes written to disk by this process during the parse: "
          f"{_disk_written() - written_before}")  # fmt: skip


if __name__ == "__main__":
    main()
