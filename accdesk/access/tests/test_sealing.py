"""Issue 11 item 7: TOTP seeds encrypted, recovery codes only as hashes."""

from __future__ import annotations

import base64
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection

from accdesk import testing
from accdesk.access import mfa
from accdesk.access.models import SealedTOTPDevice

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def test_the_raw_column_holds_no_seed(alice):
    device = SealedTOTPDevice.objects.get(user=alice)
    seed = device.bin_key
    (stored,) = _raw("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device.pk])
    assert stored.startswith("v1:")
    for form in (seed.hex(), base64.b32encode(seed).decode().rstrip("=")):
        assert form.lower() not in stored.lower()
    # and the codes still work
    assert mfa.verify_code(alice, testing.totp_code(alice)) is not None


def test_recovery_codes_are_stored_only_as_hashes(alice):
    codes = mfa.issue_recovery_codes(alice)
    stored = _raw(
        "SELECT t.token FROM otp_static_statictoken t JOIN otp_static_staticdevice d"
        " ON d.id = t.device_id WHERE d.user_id = %s",
        [alice.pk],
    )
    assert len(stored) == len(codes)
    assert not set(codes) & set(stored)
    assert mfa.verify_code(alice, codes[0]) is not None
    assert mfa.verify_code(alice, codes[0]) is None  # once only
    assert mfa.remaining_recovery_codes(alice) == len(codes) - 1


def test_a_seed_moved_to_another_user_does_not_open(alice, vera):
    mine = SealedTOTPDevice.objects.get(user=alice)
    theirs = SealedTOTPDevice.objects.get(user=vera)
    theirs.key = mine.key
    with pytest.raises(ValueError, match="does not decrypt"):
        theirs.bin_key  # noqa: B018


def test_the_migration_converts_existing_seeds_and_codes(alice):
    """Rows as they were before issue 11: a hex seed and a plain recovery code."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    seed = bytes(range(20))
    TOTPDevice.objects.filter(user=alice).update(key=seed.hex())
    device = StaticDevice.objects.create(user=alice, name="Recovery codes")
    StaticToken.objects.create(device=device, token="abcd2345")
    migration = importlib.import_module(
        "accdesk.access.migrations.0002_sealed_second_factors"
    )
    migration.seal_existing(django_apps, None)
    assert SealedTOTPDevice.objects.get(user=alice).bin_key == seed
    assert "abcd2345" not in StaticToken.objects.values_list("token", flat=True)
    assert mfa.verify_code(alice, "abcd2345") is not None
