"""Issue 11 item 4: backup and restore, round trip on a fresh database."""

from __future__ import annotations

import difflib
import re
import stat
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse

from accdesk import testing
from accdesk.agency.models import Agency
from accdesk.backups import archive
from accdesk.demo import loaders
from accdesk.releaselogs.models import ReleaseLogEntry

# Per-request tokens, and the release log's "last verified" line: the restore
# itself verified the chain (by the operator, now).
_VOLATILE = re.compile(
    rb'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"'
    rb'|nonce="[^"]*"|<dd>[^<]*<span class="small muted">by [^<]*</span></dd>'
)


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _pages(ori: str) -> dict[str, bytes]:
    from accdesk.access.models import User

    client = testing.signed_in_client(User.objects.get(email=loaders.DEMO_EMAIL))
    urls = [
        reverse("releaselogs:list", kwargs={"ori": ori}),
        reverse("roster:list", kwargs={"ori": ori}),
        reverse("investigations:list", kwargs={"ori": ori}),
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = _VOLATILE.sub(b"", response.content)
    return pages


def _assert_same_pages(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    """Equal pages, or a failure that shows the lines that differ."""
    changed = {
        url: "\n".join(
            difflib.unified_diff(
                before[url].decode().splitlines(),
                after[url].decode().splitlines(),
                lineterm="",
                n=1,
            )
        )
        for url in before
        if before[url] != after[url]
    }
    assert not changed, "\n".join(f"{url}:\n{diff}" for url, diff in changed.items())


def _empty_installation(settings, tmp_path):
    """What `accdesk migrate` on a new database and a new DATA_DIR gives."""
    call_command("flush", "--noinput", verbosity=0)  # in-process: allowed
    ContentType.objects.clear_cache()
    settings.DATA_DIR = tmp_path / "fresh"
    settings.DATA_DIR.mkdir()


@pytest.mark.django_db(transaction=True)
def test_demo_backup_restore_on_a_fresh_database_is_the_same(settings, tmp_path):
    signin = loaders.load()
    ori = signin.agency.ori
    key_file = tmp_path / "keys" / "backup.key"
    out = _run("backup", str(tmp_path / "night.accbak"), "--key-file", str(key_file))
    assert "Keep it apart from the backups" in out
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    manifest_counts = archive.counts()
    heads = archive.chain_heads()
    files = dict(archive.data_files(settings.DATA_DIR))
    pages = _pages(ori)
    plain = (tmp_path / "night.accbak").read_bytes()
    assert b"Alvarez" not in plain and b"releaselog" not in plain  # encrypted

    _empty_installation(settings, tmp_path)
    assert not Agency.objects.exists()
    out = _run("restore", str(tmp_path / "night.accbak"), "--key-file", str(key_file))
    assert "Every verify passed." in out
    assert f"releaselogs.releaselogentry: {ReleaseLogEntry.objects.count()}" in out

    # the verifies the restore ran are recorded: compare what was backed up
    restored = archive.counts()
    for label in ("core.changerecord", "releaselogs.chaincheck"):
        assert restored.pop(label) >= manifest_counts.pop(label)
    assert restored == manifest_counts
    after = archive.chain_heads()
    assert after["release_log"] == heads["release_log"]
    assert after["change_record"].keys() == heads["change_record"].keys()
    assert set(dict(archive.data_files(settings.DATA_DIR))) >= set(files)
    _assert_same_pages(pages, _pages(ori))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_agencies(settings, tmp_path):
    testing.make_agency()
    key_file = tmp_path / "k"
    _run("backup", str(tmp_path / "b"), "--key-file", str(key_file))
    with pytest.raises(CommandError, match="not empty"):
        _run("restore", str(tmp_path / "b"), "--key-file", str(key_file))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_data_folder_with_data(settings, tmp_path):
    key_file = tmp_path / "k"
    _run("backup", str(tmp_path / "b"), "--key-file", str(key_file))
    (settings.DATA_DIR / "evidence").mkdir()
    (settings.DATA_DIR / "evidence" / "x.enc").write_bytes(b"x")
    with pytest.raises(CommandError, match="data folder"):
        _run("restore", str(tmp_path / "b"), "--key-file", str(key_file))


@pytest.mark.django_db(transaction=True)
def test_restore_with_another_key_is_refused(settings, tmp_path):
    _run("backup", str(tmp_path / "b"), "--key-file", str(tmp_path / "k1"))
    archive.load_key(tmp_path / "k2", create=True)
    with pytest.raises(CommandError, match="does not decrypt"):
        _run("restore", str(tmp_path / "b"), "--key-file", str(tmp_path / "k2"))


def test_restore_needs_the_key_file(tmp_path):
    with pytest.raises(archive.BackupError, match="No key file"):
        archive.load_key(tmp_path / "missing", create=False)
