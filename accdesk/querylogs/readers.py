"""The one DuckDB database of a process, for the query-log pages (issue 18).

Opening a DuckDB connection costs 45-150 ms (its configuration, the vault file
system, the macros): a page opened one per request. Here the process opens one
database, and each reader gets a cursor on it -- a connection of its own to the
same database, cheap (about 1 ms) and safe to use in its thread while other threads
use theirs -- set to the agency's time zone. The database is opened again in a
forked worker (a DuckDB handle does not survive ``fork``) and when the archive's
folder or key changes (tests).
"""

from __future__ import annotations

import os
import threading
import zoneinfo
from functools import cache
from typing import Any

from django.conf import settings

from accdesk.agency.models import Agency
from accdesk.querylogs import duck, storage

_lock = threading.Lock()
_db: dict[str, Any] = {}


def _database() -> duck.Connection:
    fs = storage.vault()
    identity = (
        os.getpid(),
        str(fs.root),
        settings.QUERYLOG_ARCHIVE_KEY,
        settings.QUERYLOG_CHUNK_CACHE_MB,
    )
    with _lock:
        if _db.get("identity") != identity:
            if _db.get("con") is not None and _db["identity"][0] == os.getpid():
                _db["con"].close()
            con = duck.connect("UTC", vault=fs)
            # Cursors do not see TEMP macros: the shared database keeps them in
            # its own catalog, where every cursor finds them.
            con.execute(duck._MACROS.replace("CREATE TEMP MACRO", "CREATE MACRO"))
            _db.update(identity=identity, con=con)
        return _db["con"]


@cache
def _zones() -> set[str]:
    return zoneinfo.available_timezones()


def connect(agency: Agency) -> duck.Connection:
    """A cursor on the process's database in the agency's time zone; close it
    when done (``contextlib.closing``), as a connection."""
    tz = agency.time_zone
    if tz not in _zones():
        raise ValueError(f"unknown time zone {tz!r}")
    cursor = _database().cursor()
    cursor.execute(f"SET TimeZone = '{tz}'")  # validated above (as duck.connect)
    return cursor
