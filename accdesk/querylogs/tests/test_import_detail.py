from __future__ import annotations

from accdesk.querylogs.tests.conftest import url


def test_it_shows_counts_checksum_and_links_to_findings(as_vera, imported):
    page = as_vera.get(url("import_detail", imported.agency, pk=imported.pk))
    text = page.content.decode()
    assert imported.sha256 in text
    assert "3 new in the archive" in text
    assert (
        "rule=PURPOSE_INVALID&amp;date_from=2026-03-01&amp;date_to=2026-03-31" in text
    )


def test_another_agencys_import_is_404(as_charlie, imported):
    assert (
        as_charlie.get(
            url("import_detail", imported.agency, pk=imported.pk)
        ).status_code
        == 404
    )
