"""Fixtures for the media package's own tests; the clips themselves come from tests/clips.py."""

from pathlib import Path

import pytest

from mediaportal.lib.media import EncodeSpec, encode_command, probe, run_ffmpeg
from tests.clips import Clips


@pytest.fixture(scope="session")
def h264_spec() -> EncodeSpec:
    return EncodeSpec(container="mp4", video_codec="h264", crf=30, speed="ultrafast",
                      max_height=180, audio_codec="aac", audio_bitrate_k=64)


@pytest.fixture(scope="session")
def h264_output(
    ffmpeg_bin: str, clips: Clips, h264_spec: EncodeSpec, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """av.mp4 re-encoded with h264_spec, shared by several modules."""
    dst = tmp_path_factory.mktemp("h264-out") / "out.mp4"
    source = probe(clips.av_mp4)
    run_ffmpeg(encode_command(ffmpeg_bin, clips.av_mp4, dst, h264_spec, source), source.duration)
    return dst
