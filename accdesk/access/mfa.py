"""Multi-factor sign-in with TOTP and one-time recovery codes (CJISSECPOL v5.9.5
IA-2(1), IA-2(2): MFA for every account; IA-2(8): replay-resistant -- django-otp's
TOTP device refuses a code it has already accepted)."""

from __future__ import annotations

import base64
import re

import qrcode
import qrcode.image.svg
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accdesk.access.models import User

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: User) -> TOTPDevice:
    """The device being enrolled; the same secret is shown until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=TOTP_NAME, confirmed=False
    )


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8
    )
    return image.to_string(encoding="unicode")


def secret_base32(device: TOTPDevice) -> str:
    """The secret as typed into an app by hand when the QR code cannot be scanned."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def issue_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with a new set and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=c) for c in codes]
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
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and device.verify_token(code):
        return device
    return None


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()
