"""Every page passes an axe-core scan (WCAG 2.1 A and AA rules) and the checks a
scan cannot make: every aria-describedby / aria-labelledby / label id exists, and
no page shows an internal reference (the domain brief, an issue, a file of the
repository).

The pages are found, not listed: every URL pattern is filled with the demo
agency's ORI and small integer ids (``tests/urlwalk.py``), and links on the pages
found lead to those with other parameters (a lead's key, a month). A page added
later is scanned as soon as its URL exists or is linked. The demo agency has
every app's demo data.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import get_commands
from django.urls import Resolver404, resolve

from accdesk import testing
from accdesk.access.models import User
from accdesk.demo import loaders
from accdesk.lib.commandline import accdesk_executable
from accdesk.querylogs import archive
from tests import urlwalk
from tests.browser.test_accessibility import MISSING_IDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# What a page must never say: references meant for the developers.
INTERNAL = re.compile(r"domain brief|\bissue \d+\b|\bdocs/[\w-]+\.md\b", re.I)
# Pages that change something when opened, or that only redirect.
SKIP = {"access:signout", "access:recovery_codes", "access:locked"}
PER_VIEW = 1  # one URL of each view is enough: they share a template


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _html_page(client, url: str) -> str | None:
    response = client.get(url)
    if response.status_code != 200 or getattr(response, "streaming", False):
        return None
    if not response["Content-Type"].startswith("text/html"):
        return None
    return response.content.decode()


def find_pages(client, ori: str) -> list[str]:
    """The URLs of every page the demo ACC can open, one per view."""
    found: dict[str, list[str]] = {}
    queue: list[str] = []
    for route, name in urlwalk.routes():
        if name in SKIP:
            continue
        if "<int:" in route:
            queue += [urlwalk.fill(route, ori, pk) for pk in urlwalk.PK_CANDIDATES]
        else:
            queue.append(urlwalk.fill(route, ori, 0))
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        name = _view_name(urlsplit(url).path)
        if name is None or name in SKIP or len(found.get(name, [])) >= PER_VIEW:
            continue
        html = _html_page(client, url)
        if html is None:
            continue
        found.setdefault(name, []).append(url)
        links = _Links()
        links.feed(html)
        for href in links.hrefs:
            href = urldefrag(href).url
            if href.startswith("/") and not href.startswith(("/static/", "/admin/")):
                queue.append(href)
    return [url for urls in found.values() for url in urls]


@pytest.fixture
def demo():
    signin = loaders.load()
    today = signin.agency.today()
    # The demo has no audit set yet: one more page to scan.
    archive.create_audit_set(
        signin.agency, today - dt.timedelta(days=45), today, 10, "axe-walk"
    )
    return signin


def test_every_page_passes_axe_and_the_checks_it_cannot_make(page, live_server, demo):
    user = User.objects.get(email=demo.email)
    urls = find_pages(testing.signed_in_client(user), demo.agency.ori)
    names = {_view_name(urlsplit(u).path) for u in urls}
    # The walk must have reached pages of every app, and pages behind links.
    assert {
        "dashboard:agency",
        "roster:worklist",
        "roster:person",
        "querylogs:overview",
        "querylogs:lead",
        "querylogs:row",
        "querylogs:audit_set",
        "releaselogs:detail",
        "investigations:detail",
        "agency:notice",
        "changes:detail",
        "access:account",
        "dashboard:help_page",
    } <= names, names
    assert len(urls) >= 40

    axe = Axe()
    problems: list[str] = []
    # Before signing in: the system-use notice, then the sign-in form.
    page.goto(f"{live_server.url}/signin/")
    problems += _check(page, axe, "/signin/ (notice)")
    page.get_by_role("button", name="I understand and agree").click()
    problems += _check(page, axe, "/signin/")
    page.get_by_label("Email").fill(demo.email)
    page.get_by_label("Password").fill(loaders.DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    problems += _check(page, axe, "/signin/code/")
    page.get_by_label("Code").fill(loaders.current_code())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/a/"))
    for url in urls:
        page.goto(live_server.url + url)
        problems += _check(page, axe, url)
    page.goto(f"{live_server.url}/no/such/page/")
    problems += _check(page, axe, "404 page")
    assert problems == [], "\n".join(problems)


def _check(page, axe: Axe, where: str) -> list[str]:
    found = []
    results = axe.run(page, options=WCAG_AA)
    for violation in results.response["violations"]:
        targets = [", ".join(n["target"]) for n in violation["nodes"][:3]]
        found.append(
            f"{where}: axe {violation['id']} ({violation['impact']}) {targets}"
        )
    found += [f"{where}: missing id {m}" for m in page.evaluate(MISSING_IDS)]
    text = page.locator("body").inner_text()
    found += [f"{where}: internal reference {m!r}" for m in INTERNAL.findall(text)]
    if not page.locator("#command-note").count():  # help pages say how instead
        found += [f"{where}: {p}" for p in command_problems(page.locator("body"))]
    return found


def command_problems(body) -> list[str]:
    """Every command hint on the page works as printed: it starts with the way to
    run accdesk here, and names a command that exists."""
    problems = []
    prefix = accdesk_executable()
    for hint in body.locator("code").all_inner_texts():
        if not re.search(r"(^|[\s/])accdesk\s", hint):
            continue
        if not hint.startswith(prefix + " "):
            problems.append(f"command hint {hint!r} does not start with {prefix!r}")
        elif hint[len(prefix) + 1 :].split()[0] not in get_commands():
            problems.append(f"command hint {hint!r} names no command")
    return problems
