from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import pytest

from mediaportal.lib.media import MediaInfo, ProbeError, probe

from .conftest import Clips


def test_audio_video_clip(clips: Clips) -> None:
    info = probe(clips.av_mp4)
    assert info.container == "mp4"
    assert info.duration == pytest.approx(2.0, abs=0.1)
    assert (info.width, info.height) == (320, 240)
    assert info.fps == pytest.approx(25.0)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert info.has_video and info.has_audio
    assert info.size == os.path.getsize(clips.av_mp4)
    assert info.bit_rate is not None and info.bit_rate > 0
    assert info.rotation == 0


def test_moov_at_end_is_fine_when_complete(clips: Clips) -> None:
    info = probe(clips.moov_end_mp4)
    assert info.has_video and info.duration == pytest.approx(2.0, abs=0.1)


def test_video_only(clips: Clips) -> None:
    info = probe(clips.video_only_mp4)
    assert info.has_video and not info.has_audio
    assert info.audio_codec is None


def test_audio_only(clips: Clips) -> None:
    info = probe(clips.audio_m4a)
    assert info.container == "m4a"
    assert info.has_audio and not info.has_video
    assert info.width is None and info.height is None and info.fps is None
    assert info.duration == pytest.approx(2.0, abs=0.1)


def test_cover_art_is_not_video(clips: Clips) -> None:
    info = probe(clips.cover_art_m4a)
    assert info.has_audio and not info.has_video and info.width is None


def test_portrait(clips: Clips) -> None:
    info = probe(clips.portrait_mp4)
    assert (info.width, info.height) == (240, 320)
    assert (info.display_width, info.display_height) == (240, 320)


def test_rotation_metadata(clips: Clips) -> None:
    info = probe(clips.rotated_mp4)
    assert info.rotation in (90, 270)
    assert (info.width, info.height) == (320, 240)
    assert (info.display_width, info.display_height) == (240, 320)


def test_dict_round_trip_is_json_safe(clips: Clips) -> None:
    info = probe(clips.av_mp4)
    data = json.loads(json.dumps(info.to_dict()))
    assert data["has_video"] is True and data["video_codec"] == "h264"
    assert MediaInfo.from_dict(data) == info


def test_media_info_is_frozen(clips: Clips) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        probe(clips.av_mp4).duration = 5.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("clip", "message"),
    [
        ("empty_mp4", "file is empty"),
        ("random_mp4", "not a video or audio file"),
        ("text_mp4", "not a video or audio file"),
        ("png", "not a video or audio file"),
        ("jpeg", "not a video or audio file"),
        ("single_frame_mkv", "not a video or audio file"),
        ("truncated_mp4", "truncated or corrupt"),
        ("truncated_moov_end_mp4", "truncated or corrupt"),
        ("truncated_mkv", "truncated or corrupt"),
        ("zeroed_mdat_mp4", "could not decode any frame"),
    ],
)
def test_bad_files_refused(clips: Clips, clip: str, message: str) -> None:
    with pytest.raises(ProbeError, match=message):
        probe(getattr(clips, clip))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProbeError):
        probe(tmp_path / "nope.mp4")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
def test_no_file_handles_leak(clips: Clips) -> None:
    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    probe(clips.av_mp4)  # warm up lazily loaded libraries
    before = open_fds()
    for _ in range(3):
        for clip in dataclasses.astuple(clips):
            try:
                probe(clip)
            except ProbeError:
                pass
    assert open_fds() == before


@pytest.mark.parametrize("name", ["notes.txt", "readme.ans", "data.bin"])
def test_text_files_are_not_taken_for_ansi_art_video(tmp_path: Path, name: str) -> None:
    # With these extensions ffmpeg picks its tty/bin demuxers and "decodes" text as video frames.
    path = tmp_path / name
    path.write_text("this is not a video\n" * 200)
    with pytest.raises(ProbeError, match="not a video or audio file"):
        probe(path)
