"""Evidence files are stored encrypted under DATA_DIR and never rewritten."""

from __future__ import annotations

import hashlib

import pytest

from accdesk.evidence import storage
from accdesk.evidence.models import EvidenceFile, NeverDeleted
from accdesk.lib.vault import VaultError, VaultFileSystem
from accdesk.testing import TINY_PDF, make_evidence

pytestmark = pytest.mark.django_db

PLAINTEXT = (
    TINY_PDF + b"CLETS Subscriber Agreement signed by Chief Dana Whitfield " * 50
)


def test_the_stored_bytes_are_not_the_plaintext(agency, alice, settings):
    evidence = make_evidence(agency, data=PLAINTEXT, filename="hdc-0001.pdf")
    path = storage.path_on_disk(agency.ori, evidence.stored_name)
    on_disk = path.read_bytes()
    assert path.is_relative_to(settings.DATA_DIR / "evidence" / agency.ori)
    assert b"Subscriber Agreement" not in on_disk and b"%PDF" not in on_disk
    assert len(on_disk) > len(PLAINTEXT)
    assert storage.read(agency.ori, evidence.stored_name) == PLAINTEXT
    assert evidence.sha256 == hashlib.sha256(PLAINTEXT).hexdigest()
    assert evidence.size == len(PLAINTEXT)
    assert (
        evidence.filename == "hdc-0001.pdf" and evidence.media_type == "application/pdf"
    )


def test_the_file_needs_the_evidence_key_and_purpose(agency, alice, settings):
    evidence = make_evidence(agency, data=PLAINTEXT)
    relative = f"{agency.ori}/{evidence.stored_name}.enc"
    root = settings.DATA_DIR / "evidence"
    other_purpose = VaultFileSystem(
        root, settings.EVIDENCE_KEY.encode(), purpose=b"accdesk querylog archive v1"
    )
    with pytest.raises(VaultError), other_purpose.open(relative, "rb") as handle:
        handle.read()
    other_key = VaultFileSystem(root, b"x" * 40, purpose=storage.PURPOSE)
    with pytest.raises(VaultError), other_key.open(relative, "rb") as handle:
        handle.read()


def test_a_new_version_keeps_the_old_one(agency, alice):
    first = make_evidence(agency, data=TINY_PDF + b"v1")
    second = make_evidence(agency, data=TINY_PDF + b"v2", replaces=first)
    first.refresh_from_db()
    assert second.version == 2 and second.replaces == first
    assert not first.is_current and second.is_current
    assert first.stored_name != second.stored_name
    assert storage.read(agency.ori, first.stored_name) == TINY_PDF + b"v1"
    assert storage.read(agency.ori, second.stored_name) == TINY_PDF + b"v2"
    assert [v.version for v in first.versions()] == [2, 1]
    assert list(EvidenceFile.objects.attached_to(agency).current()) == [second]


def test_an_evidence_file_cannot_be_deleted(agency, alice):
    evidence = make_evidence(agency)
    with pytest.raises(NeverDeleted):
        evidence.delete()
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
