"""``accdesk backup FILE --key-file K``: one consistent, encrypted archive of the
database and the data folder (``backups/archive.py``). Run it nightly from cron
(SECURITY.md); keep the key file apart from the archives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from accdesk.backups import archive
from accdesk.core.audit import record_event
from accdesk.core.command import OperatorCommand


class Command(OperatorCommand):
    help = "Write an encrypted backup of the database and the data folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive to write")
        parser.add_argument(
            "--key-file",
            type=Path,
            required=True,
            metavar="K",
            help="the backup key (created, mode 0600, if it does not exist)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        file: Path = options["file"]
        key_path: Path = options["key_file"]
        try:
            key, created = archive.load_key(key_path, create=True)
            if created:
                self.stdout.write(
                    f"Created the backup key {key_path} (mode 0600). Keep it apart "
                    "from the backups (another machine, a safe): without it no "
                    "backup can be restored, and with it anyone holding a backup "
                    "can read it."
                )
            manifest = archive.backup(file, key)
        except archive.BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["counts"].values())
        record_event(
            "backup.written",
            message=f"{file.name}: {rows} rows, {len(manifest['files'])} files",
        )
        self.stdout.write(
            f"Backup written to {file}: {rows} rows in "
            f"{len(manifest['counts'])} tables, {len(manifest['files'])} files."
        )
        for ori, head in manifest["heads"]["change_record"].items():
            self.stdout.write(f"  change record {ori}: head {head}")
