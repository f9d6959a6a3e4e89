"""Sign-in timing for an unknown e-mail address and for a known one with a wrong
password (issue 11 item 5: no user enumeration by timing).

Both paths do one argon2 verification (``access/timing.py``), so their medians
should be within a few per cent; this prints the two medians over ``--attempts``
POSTs each (20 by default) through the whole Django stack, in a throw-away SQLite
database, with the production hasher. It prints, it never asserts.

    .venv/bin/python bench/signin_timing.py [--attempts 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        _setup_django(data_dir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        _time(args.attempts)


def _setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    # Never touch a configured database: a fresh SQLite file in a temp directory.
    os.environ["DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "accdesk.settings"
    os.environ["ACCDESK_HTTPS"] = "0"
    import django

    django.setup()


def _time(attempts: int) -> None:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from accdesk.access.models import User

    settings.ALLOWED_HOSTS = ["testserver"]
    signin = reverse("access:signin")
    known = User.objects.create_user("known@bench.example", "a long passphrase 1")

    def median(email: str) -> float:
        seconds = []
        for _ in range(attempts):
            client = Client()
            client.post(signin, {"acknowledge": "1"})
            start = time.perf_counter()
            client.post(signin, {"email": email, "password": "wrong password"})
            seconds.append(time.perf_counter() - start)
            # Keep the account open: the lockout is not what is measured.
            User.objects.filter(pk=known.pk).update(locked_at=None)
        return statistics.median(seconds)

    median("warm.up@bench.example")  # the decoy hash is made once per process
    unknown = median("nobody@bench.example")
    wrong = median(known.email)
    print(f"hasher: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}")
    print(f"unknown e-mail, median of {attempts}:         {unknown * 1000:7.1f} ms")
    print(f"known e-mail, wrong password, median of {attempts}: {wrong * 1000:7.1f} ms")
    print(f"difference: {abs(wrong - unknown) / max(wrong, unknown) * 100:.1f} %")


if __name__ == "__main__":
    main()
