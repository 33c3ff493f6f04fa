"""Checking that an encode produced what the spec asked for before it is kept."""
from __future__ import annotations

import os

from .presets import EncodeSpec
from .probe import MediaInfo, ProbeError, probe

__all__ = ["VerifyError", "verify_output"]


class VerifyError(Exception):
    """The output exists but is not what was asked for; str(exc) is readable."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _check_stream(kind: str, wanted: bool, expected: str | None, actual: str | None) -> None:
    if wanted and actual is None:
        raise VerifyError(f"output has no {kind} stream")
    if not wanted and actual is not None:
        raise VerifyError(f"output has an unexpected {kind} stream ({actual})")
    if wanted and actual != expected:
        raise VerifyError(f"output {kind} codec is {actual}, expected {expected}")


def verify_output(
    path: str | os.PathLike[str],
    source: MediaInfo,
    spec: EncodeSpec,
    tolerance: float | None = None,
) -> MediaInfo:
    """Probe (and decode) the output and compare it with source and spec.

    `tolerance` is the allowed duration difference in seconds; by default
    max(0.5 s, 2 % of the source) because encoders pad or trim a few frames
    and audio priming samples.
    """
    try:
        info = probe(path)
    except ProbeError as exc:
        raise VerifyError(f"output is not playable: {exc}") from exc
    _check_stream("video", spec.has_video and source.has_video, spec.video_codec, info.video_codec)
    _check_stream("audio", spec.has_audio and source.has_audio, spec.audio_codec, info.audio_codec)
    if info.has_video and source.display_height and info.display_height:
        if info.display_height > source.display_height:
            raise VerifyError(
                f"output is taller than the source ({info.display_height} > {source.display_height})"
            )
        if spec.max_height and info.display_height > spec.max_height:
            raise VerifyError(f"output height {info.display_height} exceeds max_height {spec.max_height}")
    if source.duration > 0:
        allowed = tolerance if tolerance is not None else max(0.5, source.duration * 0.02)
        if abs(info.duration - source.duration) > allowed:
            raise VerifyError(
                f"output lasts {info.duration:.2f} s but the source lasts {source.duration:.2f} s"
            )
    return info
