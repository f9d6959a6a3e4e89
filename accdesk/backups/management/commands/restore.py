"""``accdesk restore FILE --key-file K``: restore a backup into a migrated,
empty database and an empty data folder, then run every verify (change record,
release log, query-log archive) and print the counts."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError, CommandParser

from accdesk.agency.models import Agency
from accdesk.backups import archive
from accdesk.core.command import OperatorCommand


def has_verb(command: str, verb: str) -> bool:
    """Whether ``accdesk <command> <verb>`` exists (the query-log ``verify`` is
    added by issue 11 item 1; until then it is skipped, and said so)."""
    app = get_commands().get(command)
    if app is None:
        return False
    parser = load_command_class(app, command).create_parser("accdesk", command)
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        if verb in getattr(action, "choices", {}) or {}:
            return True
    return False


class Command(OperatorCommand):
    help = "Restore a backup into a new installation, then verify every chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive to restore")
        parser.add_argument(
            "--key-file", type=Path, required=True, metavar="K", help="the backup key"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        file: Path = options["file"]
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            key, _ = archive.load_key(options["key_file"], create=False)
            result = archive.restore(file, key)
        except archive.BackupError as exc:
            raise CommandError(str(exc)) from None
        heads = result.manifest["heads"]
        self.stdout.write(f"Restored {file} (made {result.manifest['created_at']}):")
        for label, count in sorted(result.counts.items()):
            if count:
                self.stdout.write(f"  {label}: {count}")
        failures = list(result.problems)
        for ori in Agency.objects.order_by("ori").values_list("ori", flat=True):
            failures += self._verify(
                "changes", "--agency", ori, *_head(heads["change_record"][ori])
            )
            failures += self._verify(
                "releaselog",
                "verify",
                "--agency",
                ori,
                *_head(heads["release_log"][ori]),
            )
            if has_verb("querylog", "verify"):
                failures += self._verify("querylog", "verify", "--agency", ori)
        failures += self._verify(
            "changes", "--installation", *_head(heads["change_record"]["installation"])
        )
        if not has_verb("querylog", "verify"):
            self.stdout.write("  (no `querylog verify` in this version: skipped)")
        if failures:
            raise CommandError("Restored, but: " + "; ".join(failures))
        self.stdout.write("Every verify passed.")

    def _verify(self, command: str, *args: str) -> list[str]:
        if command == "changes":
            args = ("verify", *args)
        out = StringIO()
        try:
            call_command(command, *args, stdout=out, stderr=out)
        except CommandError as exc:
            return [f"accdesk {command} {' '.join(args[:3])}: {exc}"]
        last = out.getvalue().strip().splitlines()[-1:] or [""]
        self.stdout.write(f"  {command} {' '.join(args[:3])}: {last[0]}")
        return []


def _head(head: str) -> list[str]:
    """``--head`` for a chain that has entries (an empty one has nothing to lose)."""
    return [] if head.startswith("0:") else ["--head", head]
