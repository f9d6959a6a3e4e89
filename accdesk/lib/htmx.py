"""Tiny helpers for htmx requests (NetBox's utilities/htmx.py, trimmed)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


def is_htmx(request: HttpRequest) -> bool:
    """A fragment request: sent by htmx and not a boosted full-page navigation."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
    )


def redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect the whole page, also when the request came from htmx."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
