from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def session_lock(request: HttpRequest) -> dict[str, Any]:
    """Tell the page when to hide itself (static/js/idle-lock.js, AC-11(1))."""
    return {"idle_lock_seconds": settings.IDLE_LOCK_MINUTES * 60}
