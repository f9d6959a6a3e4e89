"""Agencies are tenants: every agency page lives under ``/a/<ori>/`` and goes
through ``agency_view``, which admits members of that agency only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accdesk.agency.models import Agency, Membership
from accdesk.agency.permissions import ACTIONS, can
from accdesk.core.actor import in_agency

M = TypeVar("M", bound=models.Model)


class AgencyRequest(HttpRequest):
    """A request inside an agency: ``agency_view`` sets these attributes."""

    agency: Agency
    membership: Membership


def membership_for(user: Any, ori: str) -> Membership | None:
    """The user's membership in force today (in the agency's time zone), if any."""
    if not user.is_authenticated:
        return None
    membership = (
        Membership.objects.select_related("agency")
        .filter(user=user, user__is_active=True, agency__ori=ori.upper())
        .first()
    )
    return membership if membership is not None and membership.is_in_force() else None


def in_force_memberships(user: Any) -> list[Membership]:
    """The user's memberships that are in force today: the agencies they may open."""
    memberships = Membership.objects.filter(user=user).select_related("agency")
    return [m for m in memberships if m.is_in_force()]


def check_access(user: Any, ori: str, action: str) -> Membership:
    """The user's membership in ``ori`` if its role may perform ``action``.

    Not a member (or an expired auditor): ``Http404``, so an agency's existence is
    not revealed. A member whose role lacks ``action``: ``PermissionDenied``.
    ``agency_view`` and the upload gate (which must decide before an upload's body
    is read) both ask here.
    """
    membership = membership_for(user, ori)
    if membership is None:
        raise Http404("No such agency.")
    if not can(membership.role, action):
        raise PermissionDenied
    return membership


def agency_view(
    action: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view that takes ``ori`` from the URL.

    Admits members whose role may perform ``action`` (``check_access``: 404 for
    others, 403 for a role without it). The view runs with the agency's time zone
    active.
    """
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}: add it to agency/permissions.py")

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, ori: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            try:
                membership = check_access(request.user, ori, action)
            except PermissionDenied:
                # The 403 page shows the agency's navigation, so the member has a
                # way on: it needs the agency and membership on the request.
                denied = membership_for(request.user, ori)
                request.agency = denied.agency  # type: ignore[union-attr]
                request.membership = denied  # type: ignore[attr-defined]
                raise
            request.agency = membership.agency  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            with (
                timezone.override(membership.agency.tz),
                in_agency(membership.agency.pk),
            ):
                return view(request, *args, **kwargs)

        wrapper.agency_action = action  # type: ignore[attr-defined]
        return wrapper

    return decorate


def may(request: AgencyRequest, action: str) -> bool:
    """For templates and views: may the current member perform ``action``?"""
    return can(request.membership.role, action)


def agency_object_or_404(
    request: AgencyRequest, queryset: models.QuerySet[M] | type[M], **lookup: Any
) -> M:
    """Fetch an object of the request's agency, or 404 -- whatever the pk says."""
    return get_object_or_404(queryset, agency=request.agency, **lookup)
