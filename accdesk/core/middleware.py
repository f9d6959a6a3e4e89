from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accdesk.core.actor import acting_as


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
