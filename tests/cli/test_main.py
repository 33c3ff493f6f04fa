"""Argument parsing, usage errors and exit codes, with no server needed."""

import pytest

from mediaportal.cli import main as cli_main
from mediaportal.cli.client import error_message, exit_for_status
from mediaportal.cli.errors import Exit


@pytest.fixture(autouse=True)
def xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MEDIAPORTAL_URL", raising=False)


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main.main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for line in ("0    success", "3    not logged in", "4    not found", "5    an encoding job", "130  interrupted"):
        assert line in out


def test_an_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main.main(["frobnicate"])
    assert exc.value.code == Exit.USAGE
    assert "invalid choice" in capsys.readouterr().err


def test_a_missing_argument_is_a_usage_error():
    with pytest.raises(SystemExit) as exc:
        cli_main.main(["info"])
    assert exc.value.code == Exit.USAGE


def test_options_work_before_or_after_the_command():
    before = cli_main.parse_args(["--server", "http://h:1", "--json", "ls"])
    after = cli_main.parse_args(["ls", "--server", "http://h:1", "--json"])
    for args in (before, after):
        assert (args.server, args.json, args.command) == ("http://h:1", True, "ls")


def test_the_environment_names_the_server(monkeypatch):
    monkeypatch.setenv("MEDIAPORTAL_URL", "portal.example:8000")
    assert cli_main.parse_args(["ls"]).server == "http://portal.example:8000"


def test_progress_bars_are_off_when_stderr_is_not_a_terminal():
    assert cli_main.parse_args(["ls"]).progress is False  # pytest captures stderr
    assert cli_main.parse_args(["ls", "--progress"]).progress is True
    assert cli_main.parse_args(["ls", "--progress", "--no-progress"]).progress is False


def test_upload_takes_several_files_and_a_preset():
    args = cli_main.parse_args(["upload", "a.mp4", "b.mkv", "--preset", "h264-720p"])
    assert (args.files, args.preset, args.chunk_size) == (["a.mp4", "b.mkv"], "h264-720p", 8)


def test_download_variants_exclude_each_other():
    with pytest.raises(SystemExit) as exc:
        cli_main.parse_args(["download", "3", "--original", "--preset", "h264-720p"])
    assert exc.value.code == Exit.USAGE


def test_stream_start_needs_a_destination():
    with pytest.raises(SystemExit) as exc:
        cli_main.parse_args(["stream", "start", "3"])
    assert exc.value.code == Exit.USAGE
    args = cli_main.parse_args(["stream", "start", "3", "--dest", "1", "--dest", "2", "--loop"])
    assert (args.video, args.dest, args.loop) == (3, [1, 2], True)


def test_commands_that_need_a_token_say_so_with_exit_3(capsys):
    assert cli_main.main(["--server", "http://127.0.0.1:9", "ls"]) == Exit.AUTH
    assert "run `mediaportal login`" in capsys.readouterr().err


def test_an_unreachable_server_is_exit_1_with_a_message(capsys):
    # Port 9 (discard) on loopback: nothing listens there.
    assert cli_main.main(["--server", "http://127.0.0.1:9", "login", "-u", "a", "--password", "b"]) == Exit.API_ERROR
    assert "Cannot reach http://127.0.0.1:9" in capsys.readouterr().err


def test_login_without_a_terminal_or_password_stdin_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    assert cli_main.main(["--server", "http://127.0.0.1:9", "login", "-u", "alice"]) == Exit.USAGE
    assert "--password-stdin" in capsys.readouterr().err


def test_settings_set_rejects_unknown_keys_and_bad_switches(capsys):
    assert cli_main.main(["settings", "set", "colour=blue"]) == Exit.USAGE
    assert "default_preset" in capsys.readouterr().err
    from mediaportal.cli.commands.account import _setting_value
    from mediaportal.cli.errors import CliError

    assert _setting_value("auto_encode", "on") is True and _setting_value("keep_original", "off") is False
    assert _setting_value("default_preset", "none") is None
    with pytest.raises(CliError):
        _setting_value("auto_encode", "maybe")


@pytest.mark.parametrize(("status", "code"), [(400, Exit.API_ERROR), (401, Exit.AUTH), (403, Exit.AUTH),
                                              (404, Exit.NOT_FOUND), (409, Exit.API_ERROR), (500, Exit.API_ERROR)])
def test_http_statuses_map_to_exit_codes(status, code):
    assert exit_for_status(status) == code


class FakeResponse:
    def __init__(self, status_code, body):
        self.status_code, self._body, self.reason = status_code, body, "Reason"

    def json(self):
        if self._body is None:
            raise ValueError
        return self._body


def test_error_messages_come_from_the_api_error_body():
    assert error_message(FakeResponse(400, {"detail": "title: too long", "code": "invalid"})) == "title: too long"
    several = error_message(FakeResponse(400, {"detail": "a: x", "code": "invalid", "errors": {"a": ["x"], "b": ["y"]}}))
    assert several == "a: x (a: x; b: y)"
    assert error_message(FakeResponse(502, None)) == "HTTP 502 Reason"


def test_the_console_script_is_installed_with_the_project():
    from importlib.metadata import entry_points

    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "mediaportal"]
    assert script.load() is cli_main.main
