"""Help links open help pages rendered from docs/, behind sign-in, as safe HTML;
every help link in a template names a page and a section that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accdesk.dashboard import help_pages

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[1] / "accdesk"
HELP_LINK = re.compile(
    r"\{% url 'dashboard:help_page' page='(?P<page>[\w-]+)' %\}(?P<anchor>#[\w-]+)?"
)


def test_the_index_lists_the_help_pages(as_vera):
    page = as_vera.get(reverse("dashboard:help")).content.decode()
    for slug in help_pages.PAGES:
        assert reverse("dashboard:help_page", kwargs={"page": slug}) in page
    assert "Import and export file formats" in page


def test_a_help_page_is_the_doc_rendered(as_vera):
    page = as_vera.get(reverse("dashboard:help_page", kwargs={"page": "formats"}))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<h2 id="third-party-release-log">' in html
    assert "<table>" in html


def test_links_between_docs_become_links_between_help_pages(as_vera):
    html = as_vera.get(
        reverse("dashboard:help_page", kwargs={"page": "commands"})
    ).content.decode()
    assert 'href="/help/releaselog/"' in html
    assert 'href="/help/formats/#third-party-release-log"' in html
    assert not re.search(r'href="[^"]*\.md[#"]', html)


def test_help_is_behind_sign_in(client):
    response = client.get(reverse("dashboard:help_page", kwargs={"page": "formats"}))
    assert response.status_code == 302
    assert response["Location"].startswith("/signin/")


def test_unknown_pages_and_developer_docs_are_404(as_vera):
    for slug in ("nope", "performance"):
        url = reverse("dashboard:help_page", kwargs={"page": slug})
        assert as_vera.get(url).status_code == 404


def test_html_in_a_doc_is_shown_as_text(as_vera, tmp_path, monkeypatch):
    (tmp_path / "formats.md").write_text(
        "# Formats\n\n<script>alert(1)</script>\n\n"
        "[run](javascript:alert(1)) [file](../accdesk/settings.py) [ok](eligibility.md)\n"
    )
    monkeypatch.setattr(help_pages, "docs_dir", lambda: tmp_path)
    html = as_vera.get(
        reverse("dashboard:help_page", kwargs={"page": "formats"})
    ).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
    assert 'href="javascript' not in html
    assert "settings.py" not in html and ">file<" not in html
    assert 'href="/help/eligibility/">ok</a>' in html


def test_every_help_link_in_the_templates_exists(as_vera):
    links = {
        (m["page"], m["anchor"] or "")
        for path in PACKAGE.rglob("*.html")
        for m in HELP_LINK.finditer(path.read_text())
    }
    assert len(links) >= 4
    for page, anchor in links:
        found = help_pages.page(page)
        assert found is not None, page
        if anchor:
            assert f'id="{anchor[1:]}"' in found.html, (page, anchor)
