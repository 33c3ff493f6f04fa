import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from mediaportal.lib.env import env_bool, env_int, env_list


def test_env_bool(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='perhaps' is not a boolean"):
        env_bool("X_FLAG")


def test_env_int(monkeypatch):
    monkeypatch.delenv("X_NUM", raising=False)
    assert env_int("X_NUM", 3) == 3
    monkeypatch.setenv("X_NUM", "8")
    assert env_int("X_NUM", 3) == 8
    monkeypatch.setenv("X_NUM", "eight")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("X_NUM", 3)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("X_NUM", 3, minimum=1)


def test_env_list(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.example, b.example")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("X_LIST", " , ")
    with pytest.raises(ImproperlyConfigured):
        env_list("X_LIST", [])


def _load_settings(tmp_path, **env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mediaportal.settings",
                "MEDIAPORTAL_DATA_DIR": str(tmp_path), **env}
    full_env.pop("SECRET_KEY", None) if "SECRET_KEY" not in env else None
    return subprocess.run([sys.executable, "-c", code], env=full_env, capture_output=True, text=True, timeout=60)


def test_bad_setting_stops_startup_with_a_clear_message(tmp_path):
    proc = _load_settings(tmp_path, MEDIAPORTAL_WORKERS="lots")
    assert proc.returncode != 0
    assert "MEDIAPORTAL_WORKERS='lots' is not a whole number" in proc.stderr


def test_generated_secret_key_is_persisted_privately(tmp_path):
    first = _load_settings(tmp_path)
    second = _load_settings(tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
