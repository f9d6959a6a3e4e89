"""The `accdesk` entry point, run as a server operator would run it."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def accdesk(tmp_path_factory):
    """One migrated throwaway installation for the module (migrating takes seconds)."""
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path_factory.mktemp("cli")),
        "ACCDESK_HTTPS": "0",
    }
    env.pop("DATABASE_URL", None)  # a throwaway SQLite database in tmp_path

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "accdesk", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("migrate", "--noinput", "-v0").returncode == 0
    return run


def test_it_creates_an_agency_and_records_the_os_user(accdesk):
    result = accdesk("agency", "add", "--ori", "CA0190000", "--name", "Alameda PD")
    assert result.returncode == 0, result.stderr
    assert "Created Alameda PD (CA0190000)" in result.stdout
    trail = accdesk(
        "shell",
        "-c",
        "from accdesk.core.models import ChangeRecord; "
        "print(ChangeRecord.objects.get(action='create').actor_label)",
    )
    assert trail.stdout.strip().splitlines()[-1] == f"cli:{getpass.getuser()}"


def test_bad_input_exits_1_with_a_clear_message(accdesk):
    result = accdesk("agency", "add", "--ori", "CA01", "--name", "Nowhere PD")
    assert result.returncode == 1
    assert "An ORI is 9 characters" in result.stderr
    assert "Nowhere" not in accdesk("agency", "list").stdout


def test_a_file_that_is_not_text_exits_1_with_one_sentence(accdesk, tmp_path):
    assert (
        accdesk("agency", "add", "--ori", "CA0330000", "--name", "Import PD").returncode
        == 0
    )
    path = tmp_path / "roster.csv"
    path.write_bytes("employee_id,last_name\nE1,Muñoz\n".encode("utf-16-le"))  # no BOM
    result = accdesk("import", "roster", str(path), "--agency", "CA0330000")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "error: roster.csv: this is not a CSV text file: it holds binary data "
        "(NUL and other control bytes); a UTF-16 text file needs its byte-order mark."
    ]
    assert result.stderr.strip() == "CommandError: 1 error(s): nothing was imported."
