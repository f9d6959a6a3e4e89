"""How to run ``accdesk`` on this server, for command hints on pages and in
messages: a hint must work as printed.

The ``accdesk`` script is installed beside the Python that runs the server. In a
checkout (``make run``) that is ``.venv/bin/accdesk``, run from the checkout; in
an installation whose ``bin`` is on the PATH it is plain ``accdesk``; otherwise
the script's full path (e.g. ``/opt/accdesk/bin/accdesk``).
"""

from __future__ import annotations

import shutil
import sys
from functools import cache
from pathlib import Path

from django.conf import settings


@cache
def accdesk_executable() -> str:
    script = Path(sys.prefix) / "bin" / "accdesk"
    on_path = shutil.which("accdesk")
    if on_path and Path(on_path).resolve() == script.resolve():
        return "accdesk"
    try:
        return str(script.relative_to(Path(settings.BASE_DIR)))
    except ValueError:
        return str(script)


def accdesk_command(args: str) -> str:
    """``accdesk_command("releaselog verify --agency X")`` -> the line to type."""
    return f"{accdesk_executable()} {args}".strip()
