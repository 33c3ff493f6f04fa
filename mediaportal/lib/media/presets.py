"""Structured, validated encode settings (no ffmpeg flags live here)."""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["EncodeSpec", "CONTAINERS", "VIDEO_CODECS", "AUDIO_CODECS", "X26X_PRESETS"]

CONTAINERS = ("mp4", "mkv", "webm", "m4a")
VIDEO_CODECS = ("h264", "hevc", "vp9", "av1")
AUDIO_CODECS = ("aac", "opus")
X26X_PRESETS = (
    "ultrafast", "superfast", "veryfast", "faster", "fast",
    "medium", "slow", "slower", "veryslow", "placebo",
)

# What each muxer can carry; anything else fails at mux time, after the
# expensive encode, so it is rejected here instead.
_VIDEO_IN = {
    "mp4": {"h264", "hevc", "vp9", "av1"},
    "mkv": {"h264", "hevc", "vp9", "av1"},
    "webm": {"vp9", "av1"},
    "m4a": set(),
}
_AUDIO_IN = {
    "mp4": {"aac", "opus"},
    "mkv": {"aac", "opus"},
    "webm": {"opus"},
    "m4a": {"aac"},
}
_CRF_RANGE = {"h264": (0, 51), "hevc": (0, 51), "vp9": (0, 63), "av1": (1, 63)}
# libvpx-vp9 cpu-used and SVT-AV1 preset ranges.
_NUMERIC_SPEED = {"vp9": (-8, 8), "av1": (-1, 13)}
_OPUS_RATES = {8000, 12000, 16000, 24000, 48000}
_AAC_RATES = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000}
_PIX_FMT = re.compile(r"^[a-z0-9]+$")


def _positive(name: str, value: float | int | None) -> None:
    if value is not None and value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")


@dataclass(frozen=True)
class EncodeSpec:
    container: str = "mp4"
    video_codec: str | None = "h264"  # None means audio-only output
    rate_control: str = "crf"  # "crf" or "bitrate"
    crf: int | None = None  # required with rate_control="crf"
    video_bitrate_k: int | None = None
    maxrate_k: int | None = None
    bufsize_k: int | None = None
    # x264/x265 preset name, libvpx-vp9 cpu-used or SVT-AV1 preset number as a
    # string; "" keeps the encoder's own default.
    speed: str = ""
    max_height: int | None = None
    max_fps: float | None = None
    pix_fmt: str = "yuv420p"
    audio_codec: str | None = "aac"
    audio_bitrate_k: int | None = 128
    audio_channels: int | None = None
    audio_rate: int | None = None
    faststart: bool = True  # only meaningful for mp4/m4a, ignored elsewhere
    keyframe_seconds: float | None = None
    constant_bitrate: bool = False

    @property
    def has_video(self) -> bool:
        return self.video_codec is not None

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None

    def __post_init__(self) -> None:
        if self.container not in CONTAINERS:
            raise ValueError(f"container must be one of {CONTAINERS}, got {self.container!r}")
        if self.video_codec is not None and self.video_codec not in VIDEO_CODECS:
            raise ValueError(f"video_codec must be one of {VIDEO_CODECS} or None, got {self.video_codec!r}")
        if self.audio_codec is not None and self.audio_codec not in AUDIO_CODECS:
            raise ValueError(f"audio_codec must be one of {AUDIO_CODECS} or None, got {self.audio_codec!r}")
        if self.video_codec is None and self.audio_codec is None:
            raise ValueError("a spec needs a video codec, an audio codec or both")
        if self.video_codec is not None and self.video_codec not in _VIDEO_IN[self.container]:
            raise ValueError(f"{self.video_codec} video cannot be stored in {self.container}")
        if self.audio_codec is not None and self.audio_codec not in _AUDIO_IN[self.container]:
            raise ValueError(f"{self.audio_codec} audio cannot be stored in {self.container}")
        if self.video_codec is not None:
            self._check_video()
        if self.audio_codec is not None:
            self._check_audio()

    def _check_video(self) -> None:
        codec = self.video_codec
        assert codec is not None
        if self.rate_control not in ("crf", "bitrate"):
            raise ValueError(f"rate_control must be 'crf' or 'bitrate', got {self.rate_control!r}")
        for name in ("video_bitrate_k", "maxrate_k", "bufsize_k", "max_height", "max_fps", "keyframe_seconds"):
            _positive(name, getattr(self, name))
        if self.rate_control == "crf":
            if self.crf is None:
                raise ValueError("rate_control='crf' needs crf")
            low, high = _CRF_RANGE[codec]
            if not low <= self.crf <= high:
                raise ValueError(f"crf for {codec} must be in {low}..{high}, got {self.crf}")
            if self.video_bitrate_k is not None:
                raise ValueError("video_bitrate_k is only used with rate_control='bitrate'")
            if self.constant_bitrate:
                raise ValueError("constant_bitrate needs rate_control='bitrate'")
        else:
            if self.video_bitrate_k is None:
                raise ValueError("rate_control='bitrate' needs video_bitrate_k")
            if self.crf is not None:
                raise ValueError("crf must be None with rate_control='bitrate'")
            if self.maxrate_k is not None and self.maxrate_k < self.video_bitrate_k:
                raise ValueError("maxrate_k must not be below video_bitrate_k")
        if self.maxrate_k is not None and self.bufsize_k is None:
            # x264/x265 silently ignore a maxrate without a VBV buffer.
            raise ValueError("maxrate_k needs bufsize_k")
        if self.constant_bitrate:
            if codec != "h264":
                raise ValueError("constant_bitrate is only supported for h264")
            if self.maxrate_k is not None and self.maxrate_k != self.video_bitrate_k:
                raise ValueError("constant_bitrate needs maxrate_k equal to video_bitrate_k (or None)")
        self._check_speed(codec)
        if self.max_height is not None and self.max_height < 16:
            raise ValueError(f"max_height must be at least 16, got {self.max_height}")
        if not _PIX_FMT.match(self.pix_fmt):
            raise ValueError(f"pix_fmt looks invalid: {self.pix_fmt!r}")

    def _check_speed(self, codec: str) -> None:
        if self.speed == "":
            return
        if codec in _NUMERIC_SPEED:
            low, high = _NUMERIC_SPEED[codec]
            try:
                value = int(self.speed)
            except ValueError:
                raise ValueError(f"speed for {codec} must be a number in {low}..{high}, got {self.speed!r}") from None
            if not low <= value <= high:
                raise ValueError(f"speed for {codec} must be in {low}..{high}, got {self.speed!r}")
        elif self.speed not in X26X_PRESETS:
            raise ValueError(f"speed for {codec} must be one of {X26X_PRESETS}, got {self.speed!r}")

    def _check_audio(self) -> None:
        _positive("audio_bitrate_k", self.audio_bitrate_k)
        if self.audio_channels is not None and not 1 <= self.audio_channels <= 8:
            raise ValueError(f"audio_channels must be in 1..8, got {self.audio_channels}")
        if self.audio_codec == "opus" and self.audio_channels is not None and self.audio_channels > 2:
            # libopus needs an explicit mapping family for surround.
            raise ValueError("opus output is limited to 2 channels")
        if self.audio_rate is not None:
            allowed = _OPUS_RATES if self.audio_codec == "opus" else _AAC_RATES
            if self.audio_rate not in allowed:
                raise ValueError(f"audio_rate {self.audio_rate} is not valid for {self.audio_codec}")
