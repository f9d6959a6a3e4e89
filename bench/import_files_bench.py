"""What reading an import file costs, and how fast a hostile one is refused.

Times, in a throw-away SQLite database, with the default limits:

- a gzip bomb (a roster CSV of 1 GiB compressed to about 1 MiB) refused by
  ``run_import`` -- the target is well under a second (issue 11 item 8);
- a dry run of a Windows-1252 HR roster of ``--rows`` people (the encoding is
  decided over the whole file, then the rows are parsed and compared);
- the same roster as .xlsx, with and without a formula column (a formula column
  adds the search for formulas with no saved value).

This prints, it never asserts.

    .venv/bin/python bench/import_files_bench.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import os
import sys
import tempfile
import time
from pathlib import Path

HEADER = (
    "employee_id,last_name,first_name,employment_status,hire_date,separation_date,"
    "role_level,administrator,sworn,employer"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--xlsx-rows", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        _setup_django(data_dir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from accdesk.agency.models import Agency

        agency = Agency.objects.create(ori="CA0999999", name="Bench County Sheriff")
        _bomb(agency)
        _csv(agency, args.rows)
        _xlsx(agency, args.xlsx_rows, formulas=False)
        _xlsx(agency, args.xlsx_rows, formulas=True)


def _setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    # Never touch a configured database: a fresh SQLite file in a temp directory.
    os.environ["DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "accdesk.settings"
    import django

    django.setup()


def _run(agency, data: bytes, name: str):  # noqa: ANN202 - (ImportResult, seconds)
    from accdesk.core.imports import run_import
    from accdesk.personnel.imports import ROSTER

    started = time.perf_counter()
    result = run_import(ROSTER, io.BytesIO(data), name, agency, dry_run=True)
    return result, time.perf_counter() - started


def _bomb(agency) -> None:
    buffer = io.BytesIO()
    line = b"E1,Archer,Ann,active,2020-01-06,,general,no,yes,agency\n"
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as target:
        target.write(HEADER.encode() + b"\n")
        block = line * (1024 * 1024 // len(line))
        for _ in range(1024):  # about 1 GiB
            target.write(block)
    result, seconds = _run(agency, buffer.getvalue(), "bomb.csv.gz")
    print(
        f"gzip bomb ({buffer.tell() / 1e6:.1f} MB compressed, ~1 GiB expanded): "
        f"refused in {seconds:.3f} s -- {result.errors[0].message[:70]}..."
    )


def _rows(n: int) -> list[str]:
    return [
        f"E{i:06d},Muñoz{i},Ana,active,{1 + i % 12}/{1 + i % 28}/2020,,"
        "general,no,yes,agency"
        for i in range(n)
    ]


def _csv(agency, n: int) -> None:
    data = "\r\n".join([HEADER, *_rows(n)]).encode("cp1252")
    result, seconds = _run(agency, data, "roster.csv")
    print(
        f"Windows-1252 roster CSV, {n:,} rows ({len(data) / 1e6:.1f} MB): dry run in "
        f"{seconds:.2f} s ({result.created:,} new, {len(result.errors)} errors)"
    )


def _xlsx(agency, n: int, *, formulas: bool) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Roster")
    sheet.append([*HEADER.split(","), "note"])
    for i, row in enumerate(_rows(n), start=2):
        cells: list[object] = row.split(",")
        cells[4] = dt.datetime(2020, 1, 6)
        cells.append(f"=A{i}" if formulas else "")
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    result, seconds = _run(agency, buffer.getvalue(), "roster.xlsx")
    kind = "with a formula column" if formulas else "no formulas"
    print(
        f"roster .xlsx, {n:,} rows, {kind}: dry run in {seconds:.2f} s "
        f"({result.created:,} new, {len(result.errors)} errors)"
    )


if __name__ == "__main__":
    main()
