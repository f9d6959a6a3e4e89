"""Search terms stay out of the web server's access log.

List pages take their filters in the address (``?q=Garcia&status=open``), so a
bookmark or a shared link keeps them -- but the request line then carries a name
or a case number into ``runserver``'s and gunicorn's access logs, where it
outlives the record and reaches whoever reads server logs (CJISSECPOL v5.9.5
AU-3(3): PII in audit records kept to the minimum). ``MaskQuery`` is a logging
filter that replaces every query value in those lines with ``***``, except the
few that carry no data (page number, sort column, download format).

A TLS reverse proxy in front keeps its own access log: see SECURITY.md for the
nginx ``log_format`` that leaves the query string out.
"""

from __future__ import annotations

import logging
import re
from typing import Any

# Values that say how a list is shown, never what is searched for.
PLAIN_PARAMETERS = frozenset({"page", "sort", "format", "tab"})
MASK = "***"
_PAIR = re.compile(r"([?&;])([^=&;#\s]*)=([^&;#\s\"]*)")


def mask_query(text: str) -> str:
    """``GET /x/?q=Garcia&page=2 HTTP/1.1`` -> ``GET /x/?q=***&page=2 HTTP/1.1``
    (in any text that holds one or more addresses)."""

    def replace(match: re.Match[str]) -> str:
        sep, name, value = match.groups()
        if name in PLAIN_PARAMETERS or not value:
            return match.group(0)
        return f"{sep}{name}={MASK}"

    return _PAIR.sub(replace, text)


def _mask(value: Any) -> Any:
    return mask_query(value) if isinstance(value, str) else value


class MaskQuery(logging.Filter):
    """For ``django.server`` (args: request line, status, size); a dict of
    arguments (gunicorn's access atoms: ``r`` the request line, ``q`` the query
    string) is masked as well, for a deployment that attaches it there."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_query(record.msg)
        if isinstance(record.args, dict):
            record.args = {
                key: (MASK if key == "q" and value and value != "-" else _mask(value))
                for key, value in record.args.items()
            }
        elif isinstance(record.args, tuple):
            record.args = tuple(_mask(value) for value in record.args)
        return True
