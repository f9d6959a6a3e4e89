"""Query-log audit benchmark (issues 4 and 17): how close is ``accdesk querylog
audit`` to the speed at which DuckDB merely counts the rows of the same CSV?

    .venv/bin/python bench/querylog_bench.py              # 1 M rows (short)
    .venv/bin/python bench/querylog_bench.py --ten-million  # 1 M and 10 M rows

Prints, in one run and for each size: the floor (``SELECT count(*)`` by DuckDB
over the CSV) and the audit (process start-up included), each the best of 3, their
ratio, rows per second and the audit's peak memory; then ``import`` (encrypted
archive and results) once, its ratio to the audit and its peak memory. Targets at
10 M rows: audit <= 3x the floor, <= 2 GiB; import <= 4x the audit. The machine
may be shared: the load average is printed, and floor and audit alternate so that
the ratio compares like with like.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from querylog_synth import FIRST, LAST, generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
ACCDESK = [sys.executable, "-m", "accdesk"]


def floor_seconds(log: Path) -> float:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    con.execute("SELECT count(*) FROM read_csv(?)", [str(log)]).fetchone()
    return time.perf_counter() - started


def people(folder: Path, operators: int) -> tuple[Path, Path]:
    """A roster and accounts for the synthetic operators (some disabled)."""
    rng = random.Random(4)
    roster, accounts = folder / "roster.csv", folder / "accounts.csv"
    with roster.open("w", newline="") as r, accounts.open("w", newline="") as a:
        rw, aw = csv.writer(r), csv.writer(a)
        rw.writerow(["employee_id", "last_name", "first_name", "separation_date"])
        aw.writerow(["operator_id", "employee_id", "disabled_date"])
        for n in range(operators):
            gone = "2025-09-01" if n % 50 == 0 else ""
            rw.writerow([f"E{n}", rng.choice(LAST).title(), rng.choice(FIRST), gone])
            aw.writerow([f"OP{n:04}", f"E{n}", gone])
    return roster, accounts


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str, float]:
    """Wall seconds of a command (process start-up included), its output, and its
    own peak memory in MiB (``wait4``: this child's rusage alone)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            sys.exit(f"{' '.join(args)} failed:\n{err.read()[-2000:]}")
        return seconds, out.read(), usage.ru_maxrss / 1024


def best_of(runs: int, *steps: Callable[[], tuple]) -> list[tuple]:
    """Run the steps in turn ``runs`` times; the best result of each (the least
    seconds, its first item), so that floor and audit see the same machine."""
    best: list[tuple] = []
    for n in range(runs):
        results = [step() for step in steps]
        best = (
            results
            if n == 0
            else [min(a, b) for a, b in zip(best, results, strict=True)]
        )
    return best


def bench(rows: int, do_import: bool) -> None:
    log = OUT / f"querylog-{rows}.csv"
    if not log.exists():
        print(f"generating {log.name} ...", flush=True)
        generate(rows, log)
    roster, accounts = people(OUT, 300)
    data_dir = Path(tempfile.mkdtemp(prefix="querylog-bench-"))
    env = {**os.environ, "DATA_DIR": str(data_dir), "ACCDESK_HTTPS": "0"}
    env.pop("DATABASE_URL", None)

    print(
        f"rows: {rows:,}  file: {log.stat().st_size / 2**20:,.0f} MiB  "
        f"cores: {os.cpu_count()}  load average before: {os.getloadavg()[0]:.2f}"
    )
    audit_args = [
        *ACCDESK,
        "querylog",
        "audit",
        str(log),
        "--roster",
        str(roster),
        "--accounts",
        str(accounts),
        "--json",
    ]
    (floor,), (seconds, out, peak) = best_of(
        3, lambda: (floor_seconds(log),), lambda: timed(audit_args, env)
    )
    summary = json.loads(out)
    print(f"floor   SELECT count(*), best of 3: {floor:8.2f} s")
    print(
        f"audit   best of 3 (start-up incl.): {seconds:8.2f} s   "
        f"ratio {seconds / floor:5.2f}   {rows / seconds:,.0f} rows/s   "
        f"peak memory {peak:,.0f} MiB"
    )
    print(
        f"        {summary['chri_rows']:,} CHRI rows, "
        f"{summary['rows_with_findings']:,} with findings"
    )
    findings = data_dir / "findings.csv"
    with_out, _, _ = timed([*audit_args, "--findings-out", str(findings)], env)
    print(
        f"audit + --findings-out:   {with_out:8.2f} s   "
        f"ratio {with_out / floor:5.2f}   "
        f"({findings.stat().st_size / 2**20:,.0f} MiB of findings)"
    )
    if do_import:
        timed([*ACCDESK, "migrate", "-v0"], env)
        timed([*ACCDESK, "agency", "add", "--ori", "CA0990000", "--name", "Bench"], env)
        imported, _, import_peak = timed(
            [*ACCDESK, "querylog", "import", str(log), "--agency", "CA0990000"], env
        )
        size = sum(p.stat().st_size for p in (data_dir / "querylogs").rglob("*"))
        print(
            f"import  (encrypted):      {imported:8.2f} s   "
            f"ratio {imported / floor:5.2f}   {imported / seconds:4.1f}x the audit   "
            f"archive {size / 2**20:,.0f} MiB   peak memory {import_peak:,.0f} MiB"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--ten-million", action="store_true", help="also 10 M rows (1.2 GB of CSV)"
    )
    parser.add_argument("--no-import", action="store_true", help="skip the import")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = [options.rows] + ([10_000_000] if options.ten_million else [])
    for rows in sizes:
        bench(rows, not options.no_import)


if __name__ == "__main__":
    main()
