"""The MongoDB database the site reads, shared with the pipeline."""

from __future__ import annotations

from pymongo.database import Database

from tasks.storage.mongo import database


def mongo() -> Database:
    """The yasp database (a configured server, or the embedded one)."""
    return database()
