"""The admin never shows a second factor's secret, never edits devices, and cannot
erase sign-in failures (IA-5, AC-7); deleting a device is recorded (AU-2)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accdesk import testing
from accdesk.access import lockout, mfa
from accdesk.access.models import SealedTOTPDevice, SignInFailure
from accdesk.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return testing.signed_in_client(
        testing.make_user("root@example.test", is_superuser=True, is_staff=True)
    )


def test_the_totp_key_is_never_shown(root, alice):
    device = SealedTOTPDevice.objects.get(user=alice)
    secrets = [device.key, mfa.secret_base32(device)]
    pages = [
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]),
        f"/admin/otp_totp/totpdevice/{device.pk}/config/",
        f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
    ]
    for url in pages:
        response = root.get(url, follow=True)
        assert response.status_code in (200, 403, 404), url
        for secret in secrets:
            assert secret.encode() not in response.content, url
    assert alice.email.encode() in root.get(pages[0]).content  # listed


def test_recovery_codes_are_never_shown(root, alice):
    codes = mfa.issue_recovery_codes(alice)
    device = StaticDevice.objects.get(user=alice)
    for url in (
        reverse("admin:otp_static_staticdevice_changelist"),
        reverse("admin:otp_static_staticdevice_change", args=[device.pk]),
        reverse("admin:otp_static_staticdevice_delete", args=[device.pk]),
    ):
        content = root.get(url).content
        assert not [code for code in codes if code.encode() in content], url


@pytest.mark.parametrize("model", [TOTPDevice, StaticDevice])
def test_devices_cannot_be_added_or_changed_in_the_admin(root, alice, model):
    mfa.issue_recovery_codes(alice)
    device = model.objects.get(user=alice)
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert root.get(reverse(f"{info}_add")).status_code == 403
    response = root.post(
        reverse(f"{info}_change", args=[device.pk]),
        {"user": alice.pk, "name": "renamed", "confirmed": "on", "key": "00" * 20},
    )
    assert response.status_code == 403
    device.refresh_from_db()
    assert device.name != "renamed"


def test_deleting_a_device_is_recorded_on_the_users_account(root, alice):
    device = SealedTOTPDevice.objects.get(user=alice)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert root.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    record = ChangeRecord.objects.get(event="mfa.device_deleted")
    assert record.actor_label == "root@example.test"
    assert (record.object_type, record.object_id) == ("access.user", str(alice.pk))
    assert device.key not in record.message


def test_deleting_devices_in_bulk_records_each(root, alice, vera):
    mfa.issue_recovery_codes(alice)
    mfa.issue_recovery_codes(vera)
    response = root.post(
        reverse("admin:otp_static_staticdevice_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(StaticDevice.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not StaticDevice.objects.exists()
    recorded = ChangeRecord.objects.filter(event="mfa.device_deleted")
    assert sorted(recorded.values_list("object_id", flat=True)) == sorted(
        [str(alice.pk), str(vera.pk)]
    )


def test_signin_failures_cannot_be_deleted_in_the_admin(root, alice):
    lockout.register_failure(alice, alice.email, "password", "10.0.0.1")
    failure = SignInFailure.objects.get()
    url = reverse("admin:access_signinfailure_delete", args=[failure.pk])
    assert root.post(url, {"post": "yes"}).status_code == 403
    root.post(
        reverse("admin:access_signinfailure_changelist"),
        {"action": "delete_selected", "_selected_action": [failure.pk], "post": "yes"},
    )
    assert SignInFailure.objects.filter(pk=failure.pk).exists()


def test_the_admin_unlock_is_recorded_and_seen_by_the_users_agency(
    root, as_alice, as_charlie, agency, other_agency, vera
):
    for _ in range(5):
        lockout.register_failure(vera, vera.email, "password", None)
    vera.refresh_from_db()
    assert vera.is_locked
    root.post(
        reverse("admin:access_user_changelist"),
        {"action": "unlock", "_selected_action": [vera.pk]},
    )
    vera.refresh_from_db()
    assert not vera.is_locked
    record = ChangeRecord.objects.get(event="signin.unlocked")
    assert record.actor_label == "root@example.test"
    changes = reverse("changes:list", kwargs={"ori": agency.ori})
    assert b"signin.unlocked" in as_alice.get(changes).content
    other = reverse("changes:list", kwargs={"ori": other_agency.ori})
    assert b"signin.unlocked" not in as_charlie.get(other).content
