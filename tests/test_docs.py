"""Documentation that cannot drift: every setting and every command is documented."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from django.core.management import get_commands

from accdesk import settings
from accdesk.agency.permissions import markdown
from accdesk.lib.env import READ_VARIABLES

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _headings(name: str) -> set[str]:
    text = (DOCS / name).read_text()
    return set(re.findall(r"^###\s+`([^`]+)`", text, flags=re.MULTILINE))


def _variables_read_by_settings() -> set[str]:
    READ_VARIABLES.clear()  # other tests read made-up variables
    importlib.reload(settings)
    return set(READ_VARIABLES)


def test_every_environment_variable_is_documented():
    variables = _variables_read_by_settings()
    assert "DATABASE_URL" in variables
    missing = sorted(variables - _headings("configuration.md"))
    assert not missing, f"add these to docs/configuration.md: {missing}"


def test_every_accdesk_command_is_documented():
    ours = {name for name, app in get_commands().items() if app.startswith("accdesk.")}
    assert {"agency", "user", "demo"} <= ours
    missing = sorted(ours - _headings("commands.md"))
    assert not missing, f"add these to docs/commands.md: {missing}"


def test_the_permissions_doc_matches_the_table():
    current = (DOCS / "permissions.md").read_text()
    assert current == markdown(), (
        "docs/permissions.md differs from accdesk/agency/permissions.py: "
        "run `make docs` and commit the result"
    )


def test_every_command_in_the_readme_works_as_printed():
    """A line of a shell block that types ``accdesk`` comes after the line that
    puts it on the PATH (activating the checkout's .venv, or the installation's
    bin)."""
    readme = (DOCS.parent / "README.md").read_text()
    for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
        on_path = False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith(
                ("source .venv/bin/activate", "export PATH=/opt/accdesk")
            ):
                on_path = True
            if line.startswith("accdesk "):
                assert on_path, line
