"""The archive survives a crash (issue 11 item 1): real ``accdesk querylog
import`` processes killed with SIGKILL at several moments; the archive then holds
all of the file's new rows with their results, or none, and the next import of the
same file completes it. ``querylog verify`` names what a kill left."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accdesk import testing

ORI = "CA0990000"
ROWS = 40_000
START = dt.datetime(2026, 3, 1)


def _env(folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATA_DIR": str(folder / "data"),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "ACCDESK_HTTPS": "0",
        "ACCDESK_QUERYLOG_KEY": "k" * 40,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _accdesk(env, *args, check=True):
    done = subprocess.run(
        [sys.executable, "-m", "accdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and done.returncode:
        raise AssertionError(f"{args} failed: {done.stderr[-2000:]}")
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A migrated database with the agency, copied for each scenario."""
    folder = tmp_path_factory.mktemp("installed")
    env = _env(folder)
    _accdesk(env, "migrate", "-v0")
    _accdesk(env, "agency", "add", "--ori", ORI, "--name", "Crash PD")
    rows = [
        {
            # One row a minute from March 1: every row is new to the archive.
            "timestamp": (START + dt.timedelta(minutes=i)).isoformat(),
            "operator_id": f"OP{i % 40}",
            "purpose_code": "R" if i % 7 == 0 else "C",
            "message_key": "QH" if i % 3 else "QW",
            "subject_name": f"DOE{i % 500},JOHN",
        }
        for i in range(ROWS)
    ]
    testing.make_querylog(folder / "log.csv", rows)
    return folder


@pytest.fixture
def scenario(installed, tmp_path):
    shutil.copy(installed / "db.sqlite3", tmp_path / "db.sqlite3")
    return tmp_path, _env(tmp_path), installed / "log.csv"


def _stages(env) -> list[Path]:
    root = Path(env["DATA_DIR"]) / "querylogs" / ORI
    return list(root.glob(".import-*")) if root.is_dir() else []


def _when_staged(env) -> bool:
    return bool(_stages(env))


def _when_results_staged(env) -> bool:
    return any((s / "results").is_dir() for s in _stages(env))


def _when_committed(env) -> bool:
    return any((s / "commit.json").exists() for s in _stages(env))


def _import_killed(env, log: Path, when) -> None:
    """Start an import and SIGKILL it once ``when(env)`` holds (polled every
    millisecond), or at once if it is a number of seconds."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "accdesk",
            "querylog",
            "import",
            str(log),
            "--agency",
            ORI,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    try:
        if isinstance(when, (int, float)):
            time.sleep(when)
        else:
            while not when(env) and process.poll() is None:
                if time.monotonic() > deadline:
                    raise AssertionError("the import never reached the moment")
                time.sleep(0.001)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def _import_json(env, log: Path) -> dict:
    done = _accdesk(env, "querylog", "import", str(log), "--agency", ORI, "--json")
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "when",
    [1.0, _when_staged, _when_results_staged, _when_committed],
    ids=["early", "rows being written", "results being written", "committed"],
)
def test_a_killed_import_leaves_all_or_nothing_and_the_next_import_completes_it(
    scenario, when
):
    _, env, log = scenario
    _import_killed(env, log, when)
    check = _accdesk(env, "querylog", "verify", "--agency", ORI, check=False)
    problems = check.stderr.strip().splitlines()[:-1]
    if check.returncode:
        # Only the leftovers of the interrupted import: never rows without
        # results, nor results that do not count the archived rows -- except
        # after the commit, which the next run completes (see docs).
        left = [p for p in problems if "interrupted" in p]
        assert left, problems
    again = _import_json(env, log)
    assert again["rows"] == ROWS and again["skipped_rows"] == 0
    assert again["new_rows"] + again["duplicate_rows"] == ROWS
    # All or none of the rows were the killed import's; once committed, all.
    assert again["new_rows"] in (0, ROWS)
    if when is _when_committed:
        assert again["new_rows"] == 0
    verified = _accdesk(env, "querylog", "verify", "--agency", ORI, check=False)
    assert verified.returncode == 0, verified.stderr
    assert "is complete" in verified.stdout
    assert not _stages(env)


def test_verify_names_each_problem_and_repair_removes_leftovers(scenario):
    _, env, log = scenario
    _import_json(env, log)
    assert _accdesk(env, "querylog", "verify", "--agency", ORI).returncode == 0
    root = Path(env["DATA_DIR"]) / "querylogs" / ORI
    stray = root / ".import-999"
    (stray / "archive").mkdir(parents=True)
    part = next(root.glob("results/month=*/")) / "findings.parquet.part"
    part.write_bytes(b"x")
    archived = next(root.glob("archive/month=*/*.parquet"))
    with archived.open("r+b") as handle:  # one byte changed on disk
        handle.seek(100)
        byte = handle.read(1)
        handle.seek(100)
        handle.write(bytes([byte[0] ^ 1]))
    check = _accdesk(env, "querylog", "verify", "--agency", ORI, check=False)
    assert check.returncode == 1
    assert ".import-999 is left by an interrupted import" in check.stderr
    assert "findings.parquet.part is left by an interrupted import" in check.stderr
    assert f"{archived.relative_to(root)} has changed" in check.stderr
    assert "month 2026-03 cannot be read" in check.stderr
    assert "4 problems" in check.stderr
    repaired = _accdesk(
        env, "querylog", "verify", "--agency", ORI, "--repair", check=False
    )
    assert "repaired: import #999 undone" in repaired.stdout
    assert not stray.exists() and not part.exists()
    assert repaired.returncode == 1  # the changed file is not a leftover
    assert "has changed" in repaired.stderr
