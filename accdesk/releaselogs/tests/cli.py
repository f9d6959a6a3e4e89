"""Run ``accdesk ...`` in-process the way the shell does, exit code included."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

from django.core.management import ManagementUtility
from django.db import connections


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def accdesk(monkeypatch, *args: str) -> Run:
    # run_from_argv closes the connections when it ends; the test's transaction
    # must survive it.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            ManagementUtility(["accdesk", *args]).execute()
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())
