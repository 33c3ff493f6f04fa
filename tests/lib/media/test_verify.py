from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from mediaportal.lib.media import EncodeSpec, VerifyError, encode_command, probe, run_ffmpeg, verify_output

from .conftest import Clips


def test_good_output_passes(clips: Clips, h264_output: Path, h264_spec: EncodeSpec) -> None:
    info = verify_output(h264_output, probe(clips.av_mp4), h264_spec)
    assert (info.video_codec, info.audio_codec, info.height) == ("h264", "aac", 180)


def test_wrong_video_codec(clips: Clips, h264_output: Path) -> None:
    vp9 = EncodeSpec(container="mp4", video_codec="vp9", crf=30)
    with pytest.raises(VerifyError, match="video codec is h264, expected vp9"):
        verify_output(h264_output, probe(clips.av_mp4), vp9)


def test_wrong_audio_codec(clips: Clips, h264_output: Path, h264_spec: EncodeSpec) -> None:
    with pytest.raises(VerifyError, match="audio codec is aac, expected opus"):
        verify_output(h264_output, probe(clips.av_mp4), dataclasses.replace(h264_spec, audio_codec="opus"))


def test_missing_audio(clips: Clips, h264_spec: EncodeSpec) -> None:
    # A video-only file presented as the output of an encode whose source had sound.
    with pytest.raises(VerifyError, match="no audio stream"):
        verify_output(clips.video_only_mp4, probe(clips.av_mp4), dataclasses.replace(h264_spec, max_height=None))


def test_unexpected_video(clips: Clips, h264_output: Path) -> None:
    audio_only = EncodeSpec(container="m4a", video_codec=None, audio_codec="aac")
    with pytest.raises(VerifyError, match="unexpected video stream"):
        verify_output(h264_output, probe(clips.av_mp4), audio_only)


def test_short_output(ffmpeg_bin: str, clips: Clips, h264_spec: EncodeSpec, tmp_path: Path) -> None:
    source = probe(clips.av_mp4)
    dst = tmp_path / "short.mp4"
    args = encode_command(ffmpeg_bin, clips.av_mp4, dst, h264_spec, source)
    args[-3:-3] = ["-t", "1"]  # an encode that stopped half way
    run_ffmpeg(args, source.duration)
    with pytest.raises(VerifyError, match="lasts 1.0"):
        verify_output(dst, source, h264_spec)
    # The same file is acceptable when the caller allows a wide tolerance.
    assert verify_output(dst, source, h264_spec, tolerance=1.5).duration == pytest.approx(1.0, abs=0.1)


def test_taller_than_source(clips: Clips, h264_output: Path, h264_spec: EncodeSpec) -> None:
    tiny_source = dataclasses.replace(probe(clips.av_mp4), width=160, height=120)
    with pytest.raises(VerifyError, match="taller than the source"):
        verify_output(h264_output, tiny_source, dataclasses.replace(h264_spec, max_height=None))


def test_above_max_height(clips: Clips, h264_output: Path, h264_spec: EncodeSpec) -> None:
    with pytest.raises(VerifyError, match="exceeds max_height"):
        verify_output(h264_output, probe(clips.av_mp4), dataclasses.replace(h264_spec, max_height=144))


@pytest.mark.parametrize("clip", ["truncated_mp4", "empty_mp4", "text_mp4"])
def test_unplayable_output(clips: Clips, h264_spec: EncodeSpec, clip: str) -> None:
    with pytest.raises(VerifyError, match="not playable"):
        verify_output(getattr(clips, clip), probe(clips.av_mp4), h264_spec)
