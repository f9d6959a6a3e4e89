"""The 400 page: a request the app cannot answer as asked (a bad filter, sort or
page number), with the plain message of the ``BadRequest`` that said why, inside
the site's layout and with a way back."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

GENERIC = "The request could not be understood."


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Only our own BadRequest messages are written for people; other 400s
    # (SuspiciousOperation and its kind) may describe the server's inner workings.
    message = str(exception) if type(exception) is BadRequest else GENERIC
    return render(request, "400.html", {"message": message or GENERIC}, status=400)
