"""Query-log audit benchmark (issue 4): how close is ``accdesk querylog audit`` to
the speed at which DuckDB merely counts the rows of the same CSV?

    .venv/bin/python bench/querylog_bench.py --rows 10000000

Prints, in one run: the floor (``SELECT count(*)`` by DuckDB over the CSV), the
audit's seconds with process start-up included, their ratio, rows per second, the
audit's peak memory, and the same for ``import`` (encrypted archive included).
Targets at 10 M rows: ratio <= 3, peak memory <= 2 GiB. The machine may be shared:
the load average is printed, and floor and audit run back to back so that the
ratio compares like with like.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
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


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall seconds of a command (process start-up included), and its output."""
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def peak_child_mib() -> float:
    # ru_maxrss of children is the largest of the processes waited for so far.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-import", action="store_true", help="skip the import")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / f"querylog-{options.rows}.csv"
    if not log.exists():
        print(f"generating {log.name} ...", flush=True)
        generate(options.rows, log)
    roster, accounts = people(OUT, 300)
    data_dir = Path(tempfile.mkdtemp(prefix="querylog-bench-"))
    env = {**os.environ, "DATA_DIR": str(data_dir), "ACCDESK_HTTPS": "0"}
    env.pop("DATABASE_URL", None)

    print(
        f"rows: {options.rows:,}  file: {log.stat().st_size / 2**20:,.0f} MiB  "
        f"cores: {os.cpu_count()}  load average before: {os.getloadavg()[0]:.2f}"
    )
    floor = floor_seconds(log)
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
    seconds, out = timed(audit_args, env)
    peak = peak_child_mib()
    summary = json.loads(out)
    print(f"floor   SELECT count(*): {floor:8.2f} s")
    print(
        f"audit   (start-up incl.): {seconds:8.2f} s   ratio {seconds / floor:5.2f}   "
        f"{options.rows / seconds:,.0f} rows/s   peak memory {peak:,.0f} MiB"
    )
    print(
        f"        {summary['chri_rows']:,} CHRI rows, "
        f"{summary['rows_with_findings']:,} with findings"
    )
    findings = data_dir / "findings.csv"
    seconds, _ = timed([*audit_args, "--findings-out", str(findings)], env)
    print(
        f"audit + --findings-out:   {seconds:8.2f} s   ratio {seconds / floor:5.2f}   "
        f"({findings.stat().st_size / 2**20:,.0f} MiB of findings)"
    )
    if not options.no_import:
        timed([*ACCDESK, "migrate", "-v0"], env)
        timed([*ACCDESK, "agency", "add", "--ori", "CA0990000", "--name", "Bench"], env)
        seconds, _ = timed(
            [*ACCDESK, "querylog", "import", str(log), "--agency", "CA0990000"], env
        )
        size = sum(p.stat().st_size for p in (data_dir / "querylogs").rglob("*"))
        print(
            f"import  (encrypted):      {seconds:8.2f} s   "
            f"ratio {seconds / floor:5.2f}   archive {size / 2**20:,.0f} MiB   "
            f"peak memory {peak_child_mib():,.0f} MiB"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
