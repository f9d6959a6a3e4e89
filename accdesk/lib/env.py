"""Typed readers for environment variables: the only way ACC Desk is configured.

Every reader records the variable's name in ``READ_VARIABLES`` so that a test can
check that each one is documented in ``docs/configuration.md``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

READ_VARIABLES: set[str] = set()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigurationError(RuntimeError):
    """A variable is set to a value ACC Desk cannot use; fail at start-up, loudly."""


def env_str(name: str, default: str = "") -> str:
    READ_VARIABLES.add(name)
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    READ_VARIABLES.add(name)
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(
        f"{name} must be a yes/no value (1/0, true/false), not {raw!r}"
    )


def env_int(
    name: str, default: int, minimum: int | None = None, maximum: int | None = None
) -> int:
    READ_VARIABLES.add(name)
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(
            f"{name} must be a whole number, not {raw!r}"
        ) from None
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {value}")
    if maximum is not None and value > maximum:
        raise ConfigurationError(f"{name} must be at most {maximum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    READ_VARIABLES.add(name)
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(
    name: str,
    generated_file: Path | None = None,
    nbytes: int = 50,
    default: str | None = None,
) -> str:
    """Read a secret from ``NAME``, from the file named by ``NAME_FILE``, from
    ``generated_file`` (created with a random value on first use), or ``default``.

    Secrets stay outside the database on purpose: a copy of the database alone must
    not be enough to forge a signature or decrypt an archive.
    """
    READ_VARIABLES.add(name)
    READ_VARIABLES.add(f"{name}_FILE")
    if value := os.environ.get(name):
        return value
    if path := os.environ.get(f"{name}_FILE"):
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ConfigurationError(f"{name}_FILE: cannot read {path}: {exc}") from exc
    if generated_file is None:
        if default is not None:
            return default
        raise ConfigurationError(f"{name} (or {name}_FILE) must be set")
    if not generated_file.exists():
        generated_file.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not write two different keys.
        try:
            fd = os.open(generated_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(nbytes))
    return generated_file.read_text().strip()
