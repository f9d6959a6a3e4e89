"""Every page of the app, found by walking the URL patterns: shared by the tenancy
walk (tests/test_tenancy.py) and the accessibility walk
(tests/browser/test_every_page.py), so a view is covered as soon as its URL
exists."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

PK_CANDIDATES = range(1, 13)
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from walk(entry.url_patterns, prefix + route, ns)
        elif isinstance(entry, URLPattern):
            yield prefix + route, f"{namespace}{entry.name}"


def routes() -> list[tuple[str, str]]:
    """(route, view name) of every page outside the admin."""
    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if not route.startswith("admin/") and not route.startswith("^")
    ]


def agency_routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name in routes() if "<ori:ori>" in route]


def fill(route: str, ori: str, pk: int) -> str:
    """A URL for ``route``: the ORI, ``pk`` for every integer, "acc" for a kind,
    "x" for other text (those pages are reached by following links instead)."""

    def value(match: re.Match[str]) -> str:
        converter, name = match.group("converter"), match.group("name")
        if converter == "ori":
            return ori
        if converter == "int":
            return str(pk)
        if name == "kind":
            return "acc"
        return "x"

    return "/" + PARAM.sub(value, route)
