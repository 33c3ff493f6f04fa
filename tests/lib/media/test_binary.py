from __future__ import annotations

import os
from pathlib import Path

import imageio_ffmpeg
import pytest

from mediaportal.lib.media import FFmpegNotFound, ffmpeg_encoders, find_ffmpeg
from mediaportal.lib.media import binary as binary_mod


def test_explicit_executable_wins(ffmpeg_bin: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(binary_mod.shutil, "which", lambda name: "/should/not/be/used")
    assert find_ffmpeg(ffmpeg_bin) == ffmpeg_bin


def test_bogus_setting_falls_back(ffmpeg_bin: str, tmp_path: Path) -> None:
    not_exec = tmp_path / "ffmpeg"
    not_exec.write_text("not a program")
    for bogus in ("/nonexistent/ffmpeg", str(not_exec), str(tmp_path)):
        found = find_ffmpeg(bogus)
        assert found is not None and found != bogus
        assert os.access(found, os.X_OK)


def test_path_lookup_before_bundled(monkeypatch: pytest.MonkeyPatch, ffmpeg_bin: str) -> None:
    monkeypatch.setattr(binary_mod.shutil, "which", lambda name: ffmpeg_bin if name == "ffmpeg" else None)
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", lambda: pytest.fail("bundled looked up first"))
    assert find_ffmpeg(None) == ffmpeg_bin


def test_bundled_used_when_not_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(binary_mod.shutil, "which", lambda name: None)
    assert find_ffmpeg() == imageio_ffmpeg.get_ffmpeg_exe()


def test_none_when_nothing_found(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> str:
        raise RuntimeError("no ffmpeg")

    monkeypatch.setattr(binary_mod.shutil, "which", lambda name: None)
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", missing)
    assert find_ffmpeg("/nonexistent/ffmpeg") is None


def test_encoders_parsed_and_cached(ffmpeg_bin: str) -> None:
    encoders = ffmpeg_encoders(ffmpeg_bin)
    assert {"libx264", "aac"} <= encoders
    # Legend rows ("V..... = Video") and the separator must not leak in.
    assert "=" not in encoders and not any(name.startswith("---") for name in encoders)
    assert ffmpeg_encoders(ffmpeg_bin) is encoders


def test_encoders_of_missing_binary_raise() -> None:
    with pytest.raises(FFmpegNotFound):
        ffmpeg_encoders("/nonexistent/ffmpeg-binary")
