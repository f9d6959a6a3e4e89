"""How long the deactivation worklist takes for a large agency.

Builds a 50,000-person agency (accounts, background checks, training, NexTEST
results, signed forms; a realistic share of problems) in a throw-away SQLite
database, then times ``worklist.compute`` -- the queries and the rules -- and prints
the seconds. The target is under 2 s (issue 3); this prints, it never asserts.

    .venv/bin/python bench/roster_bench.py [--people 50000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        _setup_django(data_dir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        agency, today = _build(args.people)
        _time(agency, today, args.runs)


def _setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    # Never touch a configured database: a fresh SQLite file in a temp directory.
    os.environ["DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "accdesk.settings"
    import django

    django.setup()


def _build(n: int):  # noqa: ANN202 - (Agency, date)
    from django.db import transaction

    from accdesk.agency.models import Agency
    from accdesk.personnel.models import (
        BackgroundCheck,
        Certification,
        Person,
        SignedForm,
        SystemAccount,
        TrainingRecord,
    )

    rng = random.Random(2026)
    started = time.perf_counter()
    agency = Agency.objects.create(ori="CA0999999", name="Bench County Sheriff")
    today = agency.today()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    with transaction.atomic():
        people = [
            Person(
                agency=agency,
                employee_id=f"E{i:06d}",
                last_name=f"Last{i}",
                first_name="First",
                role_level=rng.choice(
                    ["general"] * 8 + ["privileged", "unescorted", ""]
                ),
                employment_status="separated" if rng.random() < 0.03 else "active",
                separation_date=ago(rng.randint(0, 60))
                if rng.random() < 0.03
                else None,
                administrator=rng.random() < 0.02,
                supervisor_employee_id=f"E{rng.randrange(n):06d}",
            )
            for i in range(n)
        ]
        Person.objects.bulk_create(people, batch_size=5000)
        people = list(Person.objects.filter(agency=agency))
        accounts, checks, training, certs, forms = [], [], [], [], []
        for p in people:
            if rng.random() < 0.7:
                op = f"OP{p.employee_id[1:]}"
                access = rng.choice(["full", "ltf", "ltf", "none"])
                accounts.append(
                    SystemAccount(
                        agency=agency,
                        operator_id=op,
                        employee_id=p.employee_id,
                        access_level=access,
                        created_date=ago(rng.randint(30, 3000)),
                        last_activity_date=ago(rng.randint(0, 130)),
                    )
                )
                if access != "none" and rng.random() < 0.97:
                    done = ago(rng.randint(0, 400))
                    certs.append(
                        Certification(
                            agency=agency,
                            operator_id=op,
                            test=access,
                            completed_date=done,
                            expiration_date=done + dt.timedelta(days=365),
                        )
                    )
            decided = ago(rng.randint(30, 2200))
            for check in ("state", "fbi"):
                checks.append(
                    BackgroundCheck(
                        agency=agency,
                        person=p,
                        check_type=check,
                        submitted_date=decided - dt.timedelta(days=20),
                        result="no_record",
                        decision="cleared" if rng.random() < 0.99 else "",
                        decision_date=decided,
                    )
                )
            training.append(
                TrainingRecord(
                    agency=agency,
                    person=p,
                    course="security_awareness",
                    level=p.role_level or "general",
                    completed_date=ago(rng.randint(0, 420)),
                )
            )
            if rng.random() < 0.98:
                forms.append(
                    SignedForm(
                        agency=agency,
                        person=p,
                        form="employee_statement",
                        signed_date=ago(rng.randint(400, 3000)),
                    )
                )
        for model, rows in (
            (SystemAccount, accounts),
            (Certification, certs),
            (BackgroundCheck, checks),
            (TrainingRecord, training),
            (SignedForm, forms),
        ):
            model.objects.bulk_create(rows, batch_size=5000)
    print(
        f"Built {n} people, {len(accounts)} accounts, {len(checks)} checks, "
        f"{len(training)} training records, {len(certs)} NexTEST results in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return agency, today


def _time(agency, today: dt.date, runs: int) -> None:  # noqa: ANN001
    from accdesk.personnel import worklist

    seconds = []
    for _ in range(runs):
        gc.collect()  # each run starts clean, as a request would
        started = time.perf_counter()
        result = worklist.compute(agency, today)
        seconds.append(time.perf_counter() - started)
        counts = result.counts_by_status()
        del result
    print("Worklist: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    print(
        f"Roster worklist, {sum(counts.values())} items: "
        f"{statistics.median(seconds):.2f} s (median of {runs}; "
        f"best {min(seconds):.2f} s, worst {max(seconds):.2f} s)"
    )


if __name__ == "__main__":
    main()
