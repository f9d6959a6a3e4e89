"""Sign-in: system-use notice, password, then TOTP (enrolled on first sign-in).

The user is only logged in (``django.contrib.auth.login``) after the second factor,
so ``request.user.is_authenticated`` always means "signed in with MFA".
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.models import Device

from accdesk.access import lockout, mfa
from accdesk.access.forms import CodeForm, SignInForm
from accdesk.access.history import record_signin_event
from accdesk.access.models import User
from accdesk.access.timing import password_matches
from accdesk.core.actor import acting_as
from accdesk.core.audit import record_event

BANNER_KEY = "notice_acknowledged_at"
PENDING_USER_KEY = "mfa_user_id"
PENDING_SINCE_KEY = "mfa_started_at"
CODES_KEY = "new_recovery_codes"
AUTH_AT_KEY = "authenticated_at"
LAST_SEEN_KEY = "last_seen_at"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next")
    url = reverse(name)
    if nxt:
        url += "?" + urlencode({"next": nxt})
    return url


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _pending_user(request: HttpRequest) -> User | None:
    """The user who passed the password step, if they did so recently."""
    user_id = request.session.get(PENDING_USER_KEY)
    started = request.session.get(PENDING_SINCE_KEY, 0)
    if not user_id or time.time() - started > settings.MFA_STEP_SECONDS:
        return None
    return User.objects.filter(
        pk=user_id, is_active=True, locked_at__isnull=True
    ).first()


@login_not_required
def signin(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    if request.method == "POST" and "acknowledge" in request.POST:
        request.session[BANNER_KEY] = time.time()
        return redirect(_with_next("access:signin", request))
    # AC-8: the system-use notice comes first and must be acknowledged.
    if not request.session.get(BANNER_KEY):
        return render(
            request, "access/notice.html", {"next": request.GET.get("next", "")}
        )

    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        user = User.objects.filter(email=email).first()
        # A locked account's password is not checked (a decoy is, so that the
        # time taken is the same), and the answer is the same as for a wrong
        # password: no oracle for guessing while locked, nor for which addresses
        # have accounts (timing.py).
        password = form.cleaned_data["password"]
        matched = password_matches(request, user, email, password)
        if matched and user is not None:
            request.session.cycle_key()
            request.session[PENDING_USER_KEY] = user.pk
            request.session[PENDING_SINCE_KEY] = time.time()
            step = "access:verify" if mfa.confirmed_totp(user) else "access:enrol"
            return redirect(_with_next(step, request))
        lockout.register_failure(user, email, "password", _client_ip(request))
        form.add_error(None, _FAILED_MESSAGE)
    return render(
        request, "access/signin.html", {"form": form, "next": _next_url(request)}
    )


_FAILED_MESSAGE = (
    "The email address or password is not correct, or the account is locked after "
    "5 failed attempts (ask your Agency CLETS Coordinator to unlock it)."
)
_LOCKED_MESSAGE = (
    "This account is locked after repeated failed sign-ins. "
    "Ask your Agency CLETS Coordinator to unlock it."
)


@login_not_required
def verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect(_with_next("access:signin", request))
    if mfa.confirmed_totp(user) is None:
        return redirect(_with_next("access:enrol", request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            return _complete_signin(request, user, device)
        if lockout.register_failure(user, user.email, "code", _client_ip(request)):
            request.session.pop(PENDING_USER_KEY, None)
            messages.error(request, _LOCKED_MESSAGE)
            return redirect("access:signin")
        form.add_error("code", "That code is not correct (or was already used).")
    return render(
        request, "access/verify.html", {"form": form, "next": _next_url(request)}
    )


@login_not_required
def enrol(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect(_with_next("access:signin", request))
    if mfa.confirmed_totp(user) is not None:
        return redirect(_with_next("access:verify", request))
    device = mfa.pending_totp(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session[CODES_KEY] = mfa.issue_recovery_codes(user)
            with acting_as(user.email, user.pk):
                record_event("mfa.enrolled", obj=user)
            _complete_signin(request, user, device)
            return redirect(_with_next("access:recovery_codes", request))
        if lockout.register_failure(user, user.email, "code", _client_ip(request)):
            request.session.pop(PENDING_USER_KEY, None)
            messages.error(request, _LOCKED_MESSAGE)
            return redirect("access:signin")
        form.add_error(
            "code", "That code is not correct. Check the time on your phone."
        )
    context = {
        "form": form,
        "qr_svg": mfa.qr_svg(device),
        "secret": mfa.secret_base32(device),
        "next": _next_url(request),
    }
    return render(request, "access/enrol.html", context)


def _complete_signin(request: HttpRequest, user: User, device: Device) -> HttpResponse:
    # Recorded before the session is signed in: if the entry cannot be written,
    # the sign-in is refused (AU-5, core/chain.py).
    with acting_as(user.email, user.pk):
        record_signin_event(user, "signin.succeeded", message=f"with {device.name}")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    now = time.time()
    request.session[AUTH_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now
    request.session.pop(PENDING_USER_KEY, None)
    request.session.pop(PENDING_SINCE_KEY, None)
    lockout.register_success(user)
    if user.must_change_password:
        return redirect("access:account")
    return redirect(_next_url(request))


@login_not_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(CODES_KEY, None)
    if not request.user.is_authenticated or codes is None:
        return redirect("access:account")
    return render(
        request,
        "access/recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    record_signin_event(request.user, "signout")  # type: ignore[arg-type]
    logout(request)
    return redirect("access:signin")


@login_not_required
def locked(request: HttpRequest) -> HttpResponse:
    """Where an idle or expired session lands (AC-11): contents hidden, sign in.

    The page's idle timer POSTs here (a GET that signed people out would let any
    other site do it); the middleware has already ended sessions it sends here."""
    if request.method == "POST" and request.user.is_authenticated:
        record_signin_event(
            request.user,  # type: ignore[arg-type]
            "session.locked",
            message="idle lock requested by the page",
        )
        logout(request)
    nxt = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "access/locked.html", {"next": nxt})


def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    # Django calls it the "old password"; at first sign-in it is the one-time
    # password the ACC handed over, and a newcomer must recognise it.
    form.fields["old_password"].label = (
        "One-time password" if user.must_change_password else "Current password"
    )
    if request.method == "POST" and "regenerate_codes" in request.POST:
        # New codes are a lasting second factor: ask for the password again, so an
        # unattended session cannot mint them.
        if user.check_password(request.POST.get("current_password", "")):
            request.session[CODES_KEY] = mfa.issue_recovery_codes(user)
            record_event("mfa.recovery_codes_issued", obj=user)
            return redirect("access:recovery_codes")
        if lockout.register_failure(user, user.email, "password", _client_ip(request)):
            logout(request)
            return redirect("access:signin")
        messages.error(request, "That password is not correct: no new codes were made.")
        return redirect("access:account")
    if request.method == "POST" and form.is_valid():
        form.save()
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        update_session_auth_hash(request, user)
        record_event("password.changed", obj=user)
        messages.success(request, "Your password was changed.")
        return redirect(settings.LOGIN_REDIRECT_URL)
    if form.has_error("old_password", "password_incorrect"):
        # A wrong current password is a failed authentication like any other: it
        # counts toward the lockout (AC-7), so an unattended session cannot be
        # used to guess the password.
        if lockout.register_failure(user, user.email, "password", _client_ip(request)):
            logout(request)
            return redirect("access:signin")
    context = {
        "form": form,
        "must_change": user.must_change_password,
        "recovery_left": mfa.remaining_recovery_codes(user),
    }
    return render(request, "access/account.html", context)
