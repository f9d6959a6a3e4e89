"""Issue 11: the attacks on sign-in that got through (items 2, 5 and 10)."""

from __future__ import annotations

import logging
import threading

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accdesk import testing
from accdesk.access.history import record_signin_event
from accdesk.access.models import User
from accdesk.agency.models import Membership
from accdesk.core.actor import acting_as
from accdesk.core.models import ChangeRecord
from accdesk.lib.logmask import MaskQuery, mask_query

SIGNIN = reverse("access:signin")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
)


def _acknowledged_client() -> Client:
    client = Client()
    client.post(SIGNIN, {"acknowledge": "1"})
    return client


# -- item 2: lockout is atomic ------------------------------------------------------
@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("atomic_requests", [False, True])
def test_twenty_concurrent_wrong_passwords_lock_the_account(
    atomic_requests, monkeypatch
):
    """With each request in its own transaction (``ATOMIC_REQUESTS``, or a
    deployment wrapping them), uncounted failures are invisible to each other
    unless the count is serialised: the right password then got in."""
    # The threads' connections are made from this same settings dict.
    monkeypatch.setitem(
        connections.settings["default"], "ATOMIC_REQUESTS", atomic_requests
    )
    user = testing.make_user("target@alpha.test")
    attempts = 20
    clients = [_acknowledged_client() for _ in range(attempts)]
    start = threading.Barrier(attempts)
    errors: list[BaseException] = []

    def attack(client: Client) -> None:
        try:
            start.wait(timeout=30)
            client.post(SIGNIN, {"email": user.email, "password": "wrong guess"})
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attack, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    right = _acknowledged_client()
    right.post(SIGNIN, {"email": user.email, "password": testing.PASSWORD})
    assert "mfa_user_id" not in right.session
    user.refresh_from_db()
    assert user.is_locked
    # every attempt counted, the right password (refused: locked) too
    assert user.signinfailure_set.count() == attempts + 1


@pytest.mark.django_db
def test_failures_are_counted_under_a_lock_of_the_users_row(alice, monkeypatch):
    """On SQLite the threads cannot run in parallel: check the lock is asked for."""
    from django.db.models.query import QuerySet

    locked: list[type] = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    client = _acknowledged_client()
    client.post(SIGNIN, {"email": alice.email, "password": "wrong"})
    assert User in locked


# -- item 5: no user enumeration by timing ----------------------------------------
@pytest.fixture
def argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


@pytest.fixture
def count_verifications(monkeypatch):
    calls: list[str] = []
    original = Argon2PasswordHasher.verify

    def counting(self, password, encoded):
        calls.append(encoded)
        return original(self, password, encoded)

    monkeypatch.setattr(Argon2PasswordHasher, "verify", counting)
    return calls


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["unknown", "wrong password", "locked"])
def test_one_argon2_verification_whatever_the_address(
    argon2, count_verifications, case
):
    user = testing.make_user("known@alpha.test")  # hashed with argon2 here
    if case == "locked":
        user.locked_at = user.date_joined
        user.save(update_fields=["locked_at"])
    client = _acknowledged_client()
    email = "nobody@alpha.test" if case == "unknown" else user.email
    password = testing.PASSWORD if case == "locked" else "wrong password"
    count_verifications.clear()
    response = client.post(SIGNIN, {"email": email, "password": password})
    assert response.status_code == 200
    assert len(count_verifications) == 1
    assert count_verifications[0].startswith("argon2$")


@pytest.mark.django_db
def test_the_right_password_is_one_verification_too(argon2, count_verifications):
    user = testing.make_user("known@alpha.test")
    client = _acknowledged_client()
    count_verifications.clear()
    client.post(SIGNIN, {"email": user.email, "password": testing.PASSWORD})
    assert client.session["mfa_user_id"] == user.pk
    assert len(count_verifications) == 1


# -- item 10: sign-in history stays in its agency -------------------------------------
@pytest.mark.django_db
def test_signin_events_are_filed_under_each_agency_of_the_moment(
    client, agency, other_agency
):
    vera = testing.make_user("vera@alpha.test")
    testing.make_member(agency, "viewer", vera)
    testing.make_member(other_agency, "viewer", vera)
    client.post(SIGNIN, {"acknowledge": "1"})
    client.post(SIGNIN, {"email": vera.email, "password": "wrong"})
    failed = ChangeRecord.objects.filter(event="signin.failed", actor_id=vera.pk)
    assert sorted(failed.values_list("agency_id", flat=True)) == sorted(
        [agency.pk, other_agency.pk]
    )


@pytest.mark.django_db
def test_moving_a_user_later_does_not_move_their_history(agency, other_agency):
    vera = testing.make_user("vera@alpha.test")
    testing.make_member(agency, "viewer", vera)
    with acting_as(vera.email, vera.pk):
        record_signin_event(vera, "signin.succeeded", message="with app")
    Membership.objects.filter(user=vera).delete()
    testing.make_member(other_agency, "viewer", vera)
    ids = [vera.pk]
    old = ChangeRecord.objects.for_agency(agency.pk, []).filter(
        event="signin.succeeded"
    )
    new = ChangeRecord.objects.for_agency(other_agency.pk, ids).filter(
        event="signin.succeeded"
    )
    assert old.count() == 1
    assert new.count() == 0


@pytest.mark.django_db
def test_an_unknown_address_is_filed_under_the_installation(client):
    client.post(SIGNIN, {"acknowledge": "1"})
    client.post(SIGNIN, {"email": "nobody@alpha.test", "password": "x"})
    record = ChangeRecord.objects.get(event="signin.failed")
    assert record.agency_id is None


@pytest.mark.django_db
def test_every_authenticated_response_says_no_store(as_alice, agency):
    for url in (
        reverse("dashboard:home"),
        reverse("access:account"),
        reverse("dashboard:agency", kwargs={"ori": agency.ori}),
    ):
        response = as_alice.get(url)
        assert "no-store" in response["Cache-Control"], url


@pytest.mark.django_db
def test_the_enrolment_step_says_no_store_too(client):
    user = testing.make_user("new@alpha.test", with_totp=False)
    client.post(SIGNIN, {"acknowledge": "1"})
    client.post(SIGNIN, {"email": user.email, "password": testing.PASSWORD})
    response = client.get(reverse("access:enrol"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_search_terms_are_masked_in_the_access_log():
    line = "GET /agency/CA0000000/roster/?q=Garcia&status=active&page=2 HTTP/1.1"
    assert mask_query(line) == (
        "GET /agency/CA0000000/roster/?q=***&status=***&page=2 HTTP/1.1"
    )
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (line, "200", "5"),
        None,
    )
    MaskQuery().filter(record)
    assert "Garcia" not in record.getMessage()
    assert "page=2" in record.getMessage()


def test_runserver_access_log_goes_through_the_mask():
    logger = logging.getLogger("django.server")
    assert any(isinstance(f, MaskQuery) for h in logger.handlers for f in h.filters)
