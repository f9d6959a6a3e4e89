from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

from accdesk.access.history import record_signin_event
from accdesk.access.views import AUTH_AT_KEY, LAST_SEEN_KEY
from accdesk.core.actor import acting_as
from accdesk.lib.htmx import redirect

# Writing the session on every request would cost a DB write per request; a
# 30-second resolution is plenty for a 30-minute lock.
_TOUCH_EVERY_SECONDS = 30


class SessionLockMiddleware:
    """Server-side session lock (CJISSECPOL v5.9.5 AC-11, IA-5-j-10/11, IA-5-o).

    - after ``IDLE_LOCK_MINUTES`` without a request the session ends;
    - ``REAUTH_HOURS`` after sign-in it ends whatever the activity;
    - a session that was not completed with a second factor never counts as
      signed in;
    - a user with a one-time password must change it before anything else.

    None of this depends on cookie expiry.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        session = request.session
        reason = None
        if not user.is_verified() or AUTH_AT_KEY not in session:
            reason = "unverified"
        elif now - session.get(LAST_SEEN_KEY, 0) > settings.IDLE_LOCK_MINUTES * 60:
            reason = "idle"
        elif now - session[AUTH_AT_KEY] > settings.REAUTH_HOURS * 3600:
            reason = "expired"
        if reason is not None:
            with acting_as(user.get_username(), user.pk):
                record_signin_event(user, f"session.{reason}")
            logout(request)
            query = urlencode({"next": request.get_full_path()})
            return redirect(request, f"{reverse('access:locked')}?{query}")
        if now - session.get(LAST_SEEN_KEY, 0) > _TOUCH_EVERY_SECONDS:
            session[LAST_SEEN_KEY] = now
        if user.must_change_password and request.path not in _password_paths():
            return redirect(request, reverse("access:account"))
        return self.get_response(request)


def _password_paths() -> set[str]:
    return {
        reverse("access:account"),
        reverse("access:signout"),
        reverse("access:recovery_codes"),
    }


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every page and download ACC Desk serves
    (static files, served before this by WhiteNoise, keep their long caching).

    Pages of a signed-in user hold CJI-derived data, and the sign-in steps hold a
    TOTP secret or recovery codes: none may be kept by the browser's cache or a
    proxy, where the next person at a shared terminal -- after the idle lock or a
    sign-out (AC-11, AC-12) -- could open them with Back or from history
    (CJISSECPOL v5.9.5 SC-28, MP-4: CJI stored on the device is protected).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True)
        return response
