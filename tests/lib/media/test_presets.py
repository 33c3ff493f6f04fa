from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from mediaportal.lib.media import EncodeSpec


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(container="mp4", video_codec="h264", crf=23, speed="medium"),
        dict(container="mp4", video_codec="vp9", crf=32, speed="4", audio_codec="opus"),
        dict(container="mp4", video_codec="hevc", crf=28, speed="faster"),
        dict(container="webm", video_codec="av1", crf=35, speed="8", audio_codec="opus"),
        dict(container="mkv", video_codec="vp9", crf=63, audio_codec="aac"),
        dict(container="m4a", video_codec=None, audio_codec="aac", audio_bitrate_k=128),
        dict(container="webm", video_codec=None, crf=None, audio_codec="opus", audio_rate=48000),
        dict(container="mp4", video_codec="h264", crf=None, rate_control="bitrate",
             video_bitrate_k=2500, bufsize_k=2500, constant_bitrate=True, keyframe_seconds=2.0),
        dict(container="mp4", video_codec="h264", crf=20, maxrate_k=4000, bufsize_k=8000),
        dict(container="mkv", video_codec="h264", crf=23, audio_codec=None),
    ],
)
def test_valid_specs(kwargs: dict[str, Any]) -> None:
    spec = EncodeSpec(**kwargs)
    for key, value in kwargs.items():
        assert getattr(spec, key) == value
    assert spec.has_video == (spec.video_codec is not None)
    assert spec.has_audio == (spec.audio_codec is not None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(container="avi", crf=23), "container"),
        (dict(video_codec="mpeg2", crf=23), "video_codec"),
        (dict(audio_codec="mp3", crf=23), "audio_codec"),
        (dict(video_codec=None, audio_codec=None), "needs a video codec"),
        (dict(container="webm", video_codec="h264", crf=23, audio_codec="opus"), "h264 video cannot be stored in webm"),
        (dict(container="webm", video_codec="vp9", crf=30, audio_codec="aac"), "aac audio cannot be stored in webm"),
        (dict(container="m4a", video_codec="h264", crf=23), "cannot be stored in m4a"),
        (dict(container="m4a", video_codec=None, audio_codec="opus"), "opus audio cannot be stored in m4a"),
        (dict(video_codec="h264", crf=52), r"0\.\.51"),
        (dict(video_codec="h264", crf=-1), r"0\.\.51"),
        (dict(container="webm", video_codec="vp9", crf=64, audio_codec="opus"), r"0\.\.63"),
        (dict(video_codec="h264", crf=None), "needs crf"),
        (dict(rate_control="vbr", crf=23), "rate_control"),
        (dict(rate_control="bitrate", crf=None), "needs video_bitrate_k"),
        (dict(rate_control="bitrate", crf=23, video_bitrate_k=1000), "crf must be None"),
        (dict(crf=23, video_bitrate_k=1000), "only used with rate_control='bitrate'"),
        (dict(crf=23, constant_bitrate=True), "constant_bitrate needs rate_control='bitrate'"),
        (dict(container="mkv", video_codec="hevc", crf=None, rate_control="bitrate", video_bitrate_k=900,
              constant_bitrate=True), "only supported for h264"),
        (dict(crf=None, rate_control="bitrate", video_bitrate_k=900, maxrate_k=1200, bufsize_k=900,
              constant_bitrate=True), "equal to video_bitrate_k"),
        (dict(crf=23, maxrate_k=3000), "needs bufsize_k"),
        (dict(crf=None, rate_control="bitrate", video_bitrate_k=3000, maxrate_k=2000, bufsize_k=2000),
         "must not be below"),
        (dict(crf=23, speed="fastest"), "speed for h264"),
        (dict(container="webm", video_codec="vp9", crf=30, audio_codec="opus", speed="fast"), "must be a number"),
        (dict(container="mkv", video_codec="av1", crf=30, speed="14"), r"-1\.\.13"),
        (dict(crf=23, max_height=-720), "max_height must be positive"),
        (dict(crf=23, max_height=8), "at least 16"),
        (dict(crf=23, max_fps=0), "max_fps must be positive"),
        (dict(crf=23, keyframe_seconds=0), "keyframe_seconds must be positive"),
        (dict(crf=23, pix_fmt="yuv420p; rm"), "pix_fmt"),
        (dict(crf=23, audio_channels=0), "audio_channels"),
        (dict(crf=23, audio_bitrate_k=-64), "audio_bitrate_k must be positive"),
        (dict(container="mkv", crf=23, audio_codec="opus", audio_rate=44100), "not valid for opus"),
        (dict(container="mkv", crf=23, audio_codec="opus", audio_channels=6), "2 channels"),
    ],
)
def test_invalid_specs(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EncodeSpec(**kwargs)


def test_video_fields_ignored_for_audio_only() -> None:
    # A shared preset row may carry video settings; an audio-only spec must not trip on them.
    spec = EncodeSpec(container="m4a", video_codec=None, crf=99, speed="whatever", audio_codec="aac")
    assert not spec.has_video


def test_frozen() -> None:
    spec = EncodeSpec(crf=23)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.crf = 30  # type: ignore[misc]
    assert dataclasses.replace(spec, crf=30).crf == 30
