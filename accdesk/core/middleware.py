from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accdesk.core.actor import acting_as
from accdesk.core.chain import ChangeRecordUnavailable


class RequestActorMiddleware:
    """Attribute every change made while serving a request to the signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            label, user_id = user.get_username(), user.pk
        else:
            label, user_id = "anonymous", None
        with acting_as(label, user_id) as actor:
            request.request_id = actor.request_id
            return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        """An action whose change-record entry could not be written was refused
        (core/chain.py, AU-5): say so, rather than a bare server error."""
        if isinstance(exception, ChangeRecordUnavailable):
            return render(request, "503_change_record.html", status=503)
        return None
