from __future__ import annotations

import importlib

import pytest

from accdesk import settings
from accdesk.lib.env import ConfigurationError, env_bool, env_int, env_list, env_secret


def test_env_bool_accepts_yes_no_words(monkeypatch):
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False


def test_env_bool_refuses_other_values(monkeypatch):
    monkeypatch.setenv("X_FLAG", "sometimes")
    with pytest.raises(ConfigurationError, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_env_int_enforces_its_bounds(monkeypatch):
    monkeypatch.setenv("X_LIMIT", "31")
    with pytest.raises(ConfigurationError, match="at most 30"):
        env_int("X_LIMIT", 30, maximum=30)
    monkeypatch.setenv("X_LIMIT", "abc")
    with pytest.raises(ConfigurationError, match="whole number"):
        env_int("X_LIMIT", 30)
    monkeypatch.delenv("X_LIMIT")
    assert env_int("X_LIMIT", 30) == 30


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,")
    assert env_list("X_HOSTS", []) == ["a.example", "b.example"]


def test_env_secret_prefers_the_variable_then_the_file(monkeypatch, tmp_path):
    secret_file = tmp_path / "s"
    secret_file.write_text("from-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret_file))
    assert env_secret("X_SECRET") == "from-file"
    monkeypatch.setenv("X_SECRET", "from-env")
    assert env_secret("X_SECRET") == "from-env"


def test_env_secret_generates_a_file_once(tmp_path):
    target = tmp_path / "keys" / "k"
    first = env_secret("X_UNSET_SECRET", generated_file=target)
    assert len(first) > 40
    assert env_secret("X_UNSET_SECRET", generated_file=target) == first
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_an_unreadable_secret_file_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigurationError, match="cannot read"):
        env_secret("X_SECRET")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ACCDESK_LOCKOUT_ATTEMPTS", "6"),
        ("ACCDESK_LOCKOUT_WINDOW_MINUTES", "10"),
        ("ACCDESK_IDLE_LOCK_MINUTES", "45"),
        ("ACCDESK_REAUTH_HOURS", "24"),
    ],
)
def test_settings_refuse_looser_cjis_limits(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    try:
        with pytest.raises(ConfigurationError, match=name):
            importlib.reload(settings)
    finally:
        monkeypatch.delenv(name)
        importlib.reload(settings)
