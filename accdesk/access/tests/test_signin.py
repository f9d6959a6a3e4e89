from __future__ import annotations

import base64
import re

import pytest
from django.urls import reverse

from accdesk import testing
from accdesk.access import mfa
from accdesk.access.mfa import issue_recovery_codes
from accdesk.access.models import SealedTOTPDevice, User
from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db
SIGNIN = reverse("access:signin")


def _acknowledge(client):
    return client.post(SIGNIN, {"acknowledge": "1"})


def test_it_shows_the_use_notice_before_the_form(client):
    response = client.get(SIGNIN)
    assert b"Restricted system" in response.content
    assert b"monitored, recorded and audited" in response.content
    assert b'name="password"' not in response.content


def test_it_refuses_credentials_until_the_notice_is_acknowledged(client):
    user = testing.make_user("nobanner@example.test")
    response = client.post(SIGNIN, {"email": user.email, "password": testing.PASSWORD})
    assert response.status_code == 200
    assert b"Restricted system" in response.content
    assert "mfa_user_id" not in client.session


def test_it_signs_in_with_password_then_code(client, alice, agency):
    _acknowledge(client)
    response = client.post(
        SIGNIN, {"email": "ALICE@alpha.test", "password": testing.PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:verify"))
    assert "_auth_user_id" not in client.session  # not signed in before the code
    response = client.post(reverse("access:verify"), {"code": testing.totp_code(alice)})
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert agency.name.encode() in response.content
    assert ChangeRecord.objects.filter(
        event="signin.succeeded", actor_id=alice.pk
    ).exists()


def test_it_rejects_a_wrong_password_and_records_it(client, alice):
    _acknowledge(client)
    response = client.post(SIGNIN, {"email": alice.email, "password": "wrong password"})
    assert b"not correct" in response.content
    failed = ChangeRecord.objects.get(event="signin.failed")
    assert failed.actor_id == alice.pk
    assert "wrong password" not in failed.message  # never log a password


def test_it_rejects_a_wrong_code(client, alice):
    _acknowledge(client)
    client.post(SIGNIN, {"email": alice.email, "password": testing.PASSWORD})
    response = client.post(reverse("access:verify"), {"code": "000000"})
    assert b"not correct" in response.content
    assert "_auth_user_id" not in client.session


def test_it_enrols_totp_at_first_signin(client, agency):
    user = testing.make_user("new@example.test", with_totp=False)
    testing.make_member(agency, "viewer", user)
    _acknowledge(client)
    response = client.post(SIGNIN, {"email": user.email, "password": testing.PASSWORD})
    assert response["Location"].startswith(reverse("access:enrol"))
    page = client.get(reverse("access:enrol"))
    assert b"<svg" in page.content
    secret = re.search(rb'class="secret">([A-Z2-7]+)<', page.content).group(1).decode()
    device = SealedTOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret
    device.confirmed = True  # let the helper compute the code
    device.save()
    code = testing.totp_code(user)
    device.confirmed = False
    device.save()
    response = client.post(reverse("access:enrol"), {"code": code})
    assert response["Location"].startswith(reverse("access:recovery_codes"))
    codes_page = client.get(response["Location"])
    codes = re.findall(rb"<li><code>([a-z2-7]{8})</code></li>", codes_page.content)
    assert len(codes) == 10
    assert ChangeRecord.objects.filter(event="mfa.enrolled").exists()


def test_a_recovery_code_works_once(client, alice):
    code = issue_recovery_codes(alice)[0]
    for expected_signed_in in (True, False):
        client.logout()
        _acknowledge(client)
        client.post(SIGNIN, {"email": alice.email, "password": testing.PASSWORD})
        client.post(reverse("access:verify"), {"code": code})
        assert ("_auth_user_id" in client.session) is expected_signed_in


def test_signing_out_ends_the_session(as_alice):
    as_alice.post(reverse("access:signout"))
    response = as_alice.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGNIN)


def test_email_addresses_are_stored_in_lower_case(client):
    user = User.objects.create_user("Mixed.Case@Example.TEST", testing.PASSWORD)
    mfa.create_totp(user, name="t", confirmed=True)
    assert user.email == "mixed.case@example.test"
    _acknowledge(client)
    response = client.post(
        SIGNIN, {"email": "Mixed.Case@Example.TEST", "password": testing.PASSWORD}
    )
    assert response.status_code == 302


def test_the_locked_page_signs_out_on_post_only(as_alice, agency):
    as_alice.get(reverse("access:locked"))  # a link from another site does nothing
    dashboard = reverse("dashboard:agency", kwargs={"ori": agency.ori})
    assert as_alice.get(dashboard).status_code == 200
    response = as_alice.post(reverse("access:locked"), {"next": dashboard})
    assert b"Session locked" in response.content
    assert as_alice.get(dashboard).status_code == 302


def test_new_recovery_codes_need_the_password(as_alice, alice):
    url = reverse("access:account")
    response = as_alice.post(url, {"regenerate_codes": "1", "current_password": "nope"})
    assert response["Location"] == url
    assert not ChangeRecord.objects.filter(event="mfa.recovery_codes_issued").exists()
    response = as_alice.post(
        url, {"regenerate_codes": "1", "current_password": testing.PASSWORD}
    )
    assert response["Location"] == reverse("access:recovery_codes")
    assert ChangeRecord.objects.filter(event="mfa.recovery_codes_issued").exists()
