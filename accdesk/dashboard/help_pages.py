"""In-app help: the pages of ``docs/`` rendered as HTML behind sign-in, so a help
link opens a page of ACC Desk rather than a file of the repository.

markdown-it-py renders them with raw HTML turned off (tags in a page are shown as
text) and its link check (no ``javascript:`` and the like); links between the
docs become links between help pages, and links to other files of the repository
are kept as plain text.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

# The docs that are help for ACC Desk's users, in the order of the help index
# (performance.md is for developers).
PAGES = (
    "eligibility",
    "records",
    "querylog-rules",
    "releaselog",
    "investigations",
    "incidents",
    "agreements",
    "sites",
    "audits",
    "validations",
    "formats",
    "commands",
    "configuration",
    "permissions",
)
_DOC_LINK = re.compile(
    r"^(?:\.\./|\./)?(?:docs/)?(?P<page>[\w-]+)\.md(?P<anchor>#[\w-]+)?$"
)


@dataclass(frozen=True)
class HelpPage:
    slug: str
    title: str
    html: str


def docs_dir() -> Path:
    """``docs/`` of the checkout, or where an installed wheel put it."""
    for candidate in (
        Path(settings.BASE_DIR) / "docs",
        Path(sys.prefix) / "share" / "accdesk" / "docs",
    ):
        if candidate.is_dir():
            return candidate
    return Path(settings.BASE_DIR) / "docs"


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.use(anchors_plugin, min_level=1, max_level=4)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("link_close", _link_close)
    return md


def _help_url(page: str, anchor: str = "") -> str:
    from django.urls import reverse

    return reverse("dashboard:help_page", kwargs={"page": page}) + anchor


def _link_open(self, tokens, idx, options, env):  # noqa: ANN001, ANN202
    token = tokens[idx]
    href = token.attrGet("href") or ""
    if not re.match(r"^(https?:|mailto:|#)", href):
        doc = _DOC_LINK.match(href)
        if doc is None or doc["page"] not in PAGES:
            token.meta["dropped"] = True  # a file of the repository: text only
            return ""
        token.attrSet("href", _help_url(doc["page"], doc["anchor"] or ""))
    return self.renderToken(tokens, idx, options, env)


def _link_close(self, tokens, idx, options, env):  # noqa: ANN001, ANN202
    # The matching link_open is the nearest unclosed one before this token.
    depth = 0
    for token in reversed(tokens[:idx]):
        if token.type == "link_close":
            depth += 1
        elif token.type == "link_open":
            if depth == 0:
                return "" if token.meta.get("dropped") else "</a>"
            depth -= 1
    return "</a>"


@cache
def _cached(slug: str, mtime: float) -> HelpPage:
    text = (docs_dir() / f"{slug}.md").read_text(encoding="utf-8")
    title = next(
        (line[2:].strip() for line in text.splitlines() if line.startswith("# ")),
        slug,
    )
    return HelpPage(slug, title, _renderer().render(text))


def page(slug: str) -> HelpPage | None:
    """The help page ``slug``, or None when there is no such page."""
    if slug not in PAGES:
        return None
    path = docs_dir() / f"{slug}.md"
    if not path.is_file():
        return None
    return _cached(slug, path.stat().st_mtime)


def index() -> list[HelpPage]:
    return [p for slug in PAGES if (p := page(slug)) is not None]
