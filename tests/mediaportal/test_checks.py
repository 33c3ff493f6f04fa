import stat

from mediaportal.checks import check_channel_layer, check_data_dir, check_ffmpeg


def _fake_ffmpeg(tmp_path, encoders: str):
    script = tmp_path / "ffmpeg"
    script.write_text(
        "#!/bin/sh\ncat <<'OUT'\nEncoders:\n V..... = Video\n ------\n" + encoders + "\nOUT\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_the_shipped_ffmpeg_passes(settings):
    settings.FFMPEG_BINARY = None
    assert check_ffmpeg() == []


def test_missing_explicit_binary_is_reported(settings, tmp_path):
    settings.FFMPEG_BINARY = str(tmp_path / "nope" / "ffmpeg")
    errors = check_ffmpeg()
    assert [e.id for e in errors] == ["mediaportal.E004"]
    assert "is not an executable" in errors[0].msg


def test_ffmpeg_without_libx264_is_reported(settings, tmp_path):
    settings.FFMPEG_BINARY = _fake_ffmpeg(tmp_path, " V....D libvpx-vp9          VP9")
    errors = check_ffmpeg()
    assert [e.id for e in errors] == ["mediaportal.E003"]
    assert "no libx264" in errors[0].msg


def test_ffmpeg_with_libx264_passes(settings, tmp_path):
    settings.FFMPEG_BINARY = _fake_ffmpeg(tmp_path, " V....D libx264              H.264")
    assert check_ffmpeg() == []


def test_unwritable_data_dir_is_reported(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    assert check_data_dir() == []
    # Tests run as root, who may write anywhere: stand in for a read-only mount.
    monkeypatch.setattr("mediaportal.checks.os.access", lambda path, mode: path != tmp_path)
    assert [e.id for e in check_data_dir()] == ["mediaportal.E010"]


def test_in_memory_channel_layer_is_refused(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    assert [e.id for e in check_channel_layer()] == ["mediaportal.E020"]
