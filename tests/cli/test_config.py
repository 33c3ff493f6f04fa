"""The client's config file: where it lives, who can read it, one token per server."""

import json
import stat

import pytest

from mediaportal.cli import config


@pytest.fixture(autouse=True)
def xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MEDIAPORTAL_URL", raising=False)
    return tmp_path / "xdg"


def test_it_keeps_the_token_in_a_file_only_the_owner_can_read(xdg):
    config.save_credentials("http://portal.example:8000", token="abc123", username="alice")
    path = xdg / "mediaportal" / "config.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_text())["servers"]["http://portal.example:8000"]["token"] == "abc123"


def test_it_tightens_a_file_that_was_readable_by_others(xdg):
    path = xdg / "mediaportal" / "config.json"
    path.parent.mkdir(parents=True)
    path.write_text("{}")
    path.chmod(0o644)
    config.save_credentials("http://a", token="t", username="u")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_it_keys_tokens_by_server_and_remembers_the_last_one():
    config.save_credentials("http://a:1/", token="ta", username="alice")
    config.save_credentials("http://b:2", token="tb", username="bob")
    assert config.get_credentials("http://a:1")["token"] == "ta"
    assert config.get_credentials("http://b:2")["token"] == "tb"
    assert config.resolve_server(None) == "http://b:2"


def test_server_precedence_is_flag_then_environment_then_last_login(monkeypatch):
    config.save_credentials("http://last:1", token="t", username="u")
    monkeypatch.setenv("MEDIAPORTAL_URL", "http://env:2/")
    assert config.resolve_server("flag:3") == "http://flag:3"
    assert config.resolve_server(None) == "http://env:2"
    monkeypatch.delenv("MEDIAPORTAL_URL")
    assert config.resolve_server(None) == "http://last:1"


def test_without_any_server_it_uses_localhost():
    assert config.resolve_server(None) == config.DEFAULT_SERVER


def test_logout_forgets_only_that_server():
    config.save_credentials("http://a", token="ta", username="alice")
    config.save_credentials("http://b", token="tb", username="bob")
    assert config.forget_credentials("http://a") is True
    assert config.get_credentials("http://a") == {}
    assert config.get_credentials("http://b")["token"] == "tb"
    assert config.forget_credentials("http://a") is False


def test_a_corrupt_file_reads_as_empty(xdg):
    path = xdg / "mediaportal" / "config.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert config.get_credentials("http://a") == {}
