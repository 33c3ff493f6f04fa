"""Preset rows become EncodeSpecs here, and only here; commands.encode_command makes the argv."""

from mediaportal.lib.media import EncodeSpec

from encoding.models import Preset

EXTENSIONS = {"mp4": ".mp4", "mkv": ".mkv", "webm": ".webm", "m4a": ".m4a"}


def preset_spec(preset: Preset) -> EncodeSpec:
    """The validated EncodeSpec for a preset; raises ValueError with a readable message if the
    operator saved a combination ffmpeg cannot do (e.g. AAC in WebM)."""
    video = preset.video_codec or None
    crf_mode = preset.rate_control == Preset.RateControl.CRF
    return EncodeSpec(
        container=preset.container,
        video_codec=video,
        rate_control=preset.rate_control,
        crf=preset.crf if video and crf_mode else None,
        video_bitrate_k=preset.video_bitrate_k if video and not crf_mode else None,
        maxrate_k=preset.maxrate_k if video else None,
        bufsize_k=preset.bufsize_k if video else None,
        speed=preset.speed if video else "",
        max_height=preset.max_height,
        max_fps=preset.max_fps,
        pix_fmt=preset.pix_fmt or "yuv420p",
        audio_codec=preset.audio_codec or None,
        audio_bitrate_k=preset.audio_bitrate_k,
        audio_channels=preset.audio_channels,
        audio_rate=preset.audio_rate,
        faststart=preset.faststart,
        keyframe_seconds=preset.keyframe_seconds,
        constant_bitrate=preset.constant_bitrate,
    )


def extension(preset: Preset) -> str:
    return EXTENSIONS[preset.container]
