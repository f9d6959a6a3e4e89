"""Multi-factor sign-in with TOTP and one-time recovery codes (CJISSECPOL v5.9.5
IA-2(1), IA-2(2): MFA for every account; IA-2(8): replay-resistant -- django-otp's
TOTP device refuses a code it has already accepted)."""

from __future__ import annotations

import base64
import os
import re

import qrcode
import qrcode.image.svg
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticToken

from accdesk.access.models import SealedStaticDevice, SealedTOTPDevice, User
from accdesk.access.sealing import recovery_hash, seal_seed

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
SEED_BYTES = 20  # 160 bits, RFC 4226's recommended length (django-otp's default)


def confirmed_totp(user: User) -> SealedTOTPDevice | None:
    return SealedTOTPDevice.objects.filter(user=user, confirmed=True).first()


def create_totp(
    user: User, *, name: str = TOTP_NAME, confirmed: bool = False
) -> SealedTOTPDevice:
    """A TOTP device with a new random seed, stored sealed (``sealing.py``)."""
    return SealedTOTPDevice.objects.create(
        user=user,
        name=name,
        confirmed=confirmed,
        key=seal_seed(os.urandom(SEED_BYTES), user.pk),
    )


def pending_totp(user: User) -> SealedTOTPDevice:
    """The device being enrolled; the same secret is shown until it is confirmed."""
    device = SealedTOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or create_totp(user)


def qr_svg(device: SealedTOTPDevice) -> str:
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8
    )
    return image.to_string(encoding="unicode")


def secret_base32(device: SealedTOTPDevice) -> str:
    """The secret as typed into an app by hand when the QR code cannot be scanned."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def issue_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with a new set and return them (shown once)."""
    device, _ = SealedStaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    # Only their keyed hashes are kept: the codes are shown once, then gone.
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=recovery_hash(c)) for c in codes]
    )
    return codes


def verify_code(user: User, code: str) -> Device | None:
    """Check a 6-digit TOTP code or a recovery code (each recovery code works once)."""
    code = re.sub(r"\s+", "", code or "").lower()
    if not code:
        return None
    if code.isdigit():
        device = confirmed_totp(user)
    else:
        device = SealedStaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and device.verify_token(code):
        return device
    return None


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()
