"""`make run PORT=8080 HOST=0.0.0.0` works: it serves on that port, lets this
machine's names in (ALLOWED_HOSTS), warns that plain HTTP must not carry CJI over
a network, and prints a way to get the demo code that works as printed. Traffic
goes to this machine only (127.0.0.1)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, host: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/signin/", headers={"Host": f"{host}:{port}"})
    return conn.getresponse().status


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("ALLOWED_HOSTS", None)
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run", "HOST=0.0.0.0", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            output.append(line)
            if "Serving ACC Desk" in line:
                break
        for _ in range(100):  # runserver takes a moment after the message
            try:
                _get(port, "127.0.0.1")
                break
            except OSError:
                time.sleep(0.2)
        yield port, "".join(output), tmp_path
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


@pytest.mark.slow
def test_make_run_serves_other_hosts_with_a_warning(served):
    port, output, data_dir = served
    assert f"Serving ACC Desk on http://0.0.0.0:{port}" in output
    assert "Plain HTTP" in output and "must not carry CJI over a network" in output
    assert _get(port, "127.0.0.1") == 200
    assert _get(port, socket.gethostname()) == 200  # this machine's name is let in
    assert _get(port, "elsewhere.example") == 400  # others are not
    # The demo's hint works as printed, from the checkout.
    hint = next(line for line in output.splitlines() if "Current code:" in line)
    command = hint.split("Current code:", 1)[1].split()
    assert command[0] == ".venv/bin/accdesk"
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.strip().isdigit()
