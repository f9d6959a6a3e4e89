"""Personas and settings shared by every test (healthchecks' Alice/Bob/Charlie).

- ``alice``: the ACC of ``agency``; ``sam``: its SPOC; ``vera``: a viewer;
  ``bob``: an auditor (read-only, membership expires);
- ``charlie``: the ACC of ``other_agency`` -- an outsider to ``agency``.
"""

from __future__ import annotations

import logging
import os

import pytest
from django.test import override_settings

from accdesk import testing

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# One change-record key for the session (core/chain.py): each test has its own
# DATA_DIR, but rows a transactional test's flush re-seeds (post_migrate) outlive
# it, and a key generated in a vanished DATA_DIR would no longer verify them.
os.environ.setdefault("ACCDESK_CHANGES_KEY", "test-change-record-key-" + "x" * 32)


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    """Session-wide, so that the live server's middleware sees them at start."""
    with override_settings(
        # A cheap hasher keeps the suite fast; test_passwords.py checks argon2.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # The test client and the live server speak plain HTTP.
        SECURE_SSL_REDIRECT=False,
        SECURE_HSTS_SECONDS=0,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
    ):
        yield


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def _no_weasyprint_warnings():
    """A PDF whose stylesheet WeasyPrint cannot read is laid out wrongly: any of
    its warnings fails the test that made the PDF."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        pytest.fail(f"WeasyPrint warned: {handler.messages[:5]}")


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    """Files a test writes (uploads, archives, keys) go to its own directory."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()


@pytest.fixture
def agency(db):
    return testing.make_agency(name="Alpha Valley Police Department")


@pytest.fixture
def other_agency(db):
    return testing.make_agency(name="Bravo County Sheriff")


@pytest.fixture
def alice(agency):
    return testing.make_member(
        agency,
        "acc",
        testing.make_user("alice@alpha.test", first_name="Alice", last_name="Acc"),
    ).user


@pytest.fixture
def sam(agency):
    return testing.make_member(agency, "spoc", testing.make_user("sam@alpha.test")).user


@pytest.fixture
def vera(agency):
    return testing.make_member(
        agency, "viewer", testing.make_user("vera@alpha.test")
    ).user


@pytest.fixture
def bob(agency):
    return testing.make_member(
        agency, "auditor", testing.make_user("bob@doj.test")
    ).user


@pytest.fixture
def charlie(other_agency):
    return testing.make_member(
        other_agency, "acc", testing.make_user("charlie@bravo.test")
    ).user


@pytest.fixture
def as_alice(alice):
    return testing.signed_in_client(alice)


@pytest.fixture
def as_sam(sam):
    return testing.signed_in_client(sam)


@pytest.fixture
def as_vera(vera):
    return testing.signed_in_client(vera)


@pytest.fixture
def as_bob(bob):
    return testing.signed_in_client(bob)


@pytest.fixture
def as_charlie(charlie):
    return testing.signed_in_client(charlie)
