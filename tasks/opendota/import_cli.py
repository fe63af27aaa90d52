"""`yasp import-opendota FILE...`: load OpenDota-format match JSON files into MongoDB."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tasks.opendota.importer import file_import
from tasks.storage.mongo import database

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    """Import each file; returns a process exit code (1 if any file failed)."""
    parser = argparse.ArgumentParser(
        prog="yasp import-opendota",
        description="Import OpenDota parser output, /matches documents or Web API match bodies.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    db = database()
    failed = 0
    for path in args.files:
        try:
            result = file_import(db=db, path=path)
        except (OSError, ValueError, KeyError, TypeError) as error:
            failed += 1
            log.error("%s: not imported: %s", path, error)
            continue
        log.info(
            "%s: match %s, match %s, %d player rows, parsed data %s",
            path,
            result.match_id,
            "saved" if result.match_saved else "absent",
            result.player_rows,
            "saved" if result.parsed_saved else "absent",
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
