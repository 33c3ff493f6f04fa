"""The one place where EncodeSpecs become ffmpeg argument lists.

Every list is meant for subprocess without a shell, so no value is quoted for
a shell; only ffmpeg's own filter/tee syntax is escaped where needed.
"""
from __future__ import annotations

import os
import re

from .presets import EncodeSpec
from .probe import MediaInfo

__all__ = ["encode_command", "stream_command", "poster_command", "can_stream_copy", "tee_target", "target_size"]

_MUXER = {"mp4": "mp4", "mkv": "matroska", "webm": "webm", "m4a": "ipod"}
_VIDEO_ENCODER = {"h264": "libx264", "hevc": "libx265", "vp9": "libvpx-vp9", "av1": "libsvtav1"}
_AUDIO_ENCODER = {"aac": "aac", "opus": "libopus"}
# ffmpeg itself is told to tag log lines with their level so the runner can
# pick the real error out of the noise.
_LOGLEVEL = ["-loglevel", "level+warning"]
_FALLBACK_FPS = 30.0
_STREAM_SCHEMES = ("rtmp://", "rtmps://")
_TEE_SPECIAL = re.compile(r"([\\|\[\]'])")


def _path_arg(path: str | os.PathLike[str]) -> str:
    # A relative name like "a:b.mp4" would be read as protocol "a", and one
    # starting with "-" as an option; "file:" pins both to the local file.
    text = os.fspath(path)
    if not os.path.isabs(text) and (":" in text or text.startswith("-")):
        return "file:" + text
    return text


def _even_floor(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def target_size(source: MediaInfo, max_height: int | None) -> tuple[int, int] | None:
    """Displayed output size: never larger than the source, even, same aspect."""
    width, height = source.display_width, source.display_height
    if not width or not height:
        return None
    out_h = _even_floor(min(height, max_height) if max_height else height)
    out_w = _even_floor(width * out_h / height + 1)  # +1: round to nearest even
    return min(out_w, _even_floor(width)), out_h


def _output_fps(source: MediaInfo | None, spec: EncodeSpec) -> float | None:
    fps = source.fps if source is not None else None
    if spec.max_fps and fps and fps > spec.max_fps:
        return spec.max_fps
    return fps


def _video_filters(source: MediaInfo | None, spec: EncodeSpec) -> list[str]:
    # ffmpeg autorotates before these filters run, which is why the sizes
    # come from display_width/height rather than the coded ones.
    filters: list[str] = []
    if source is not None and spec.max_fps and source.fps and source.fps > spec.max_fps:
        filters.append(f"fps={spec.max_fps:g}")
    size = target_size(source, spec.max_height) if source is not None else None
    if source is not None and size is not None:
        if size != (source.display_width, source.display_height):
            filters.append(f"scale={size[0]}:{size[1]}")
    elif spec.max_height:
        # Unknown source size: let ffmpeg clamp, still never upscaling.
        filters.append(f"scale=-2:'trunc(min(ih,{spec.max_height})/2)*2'")
    else:
        filters.append("scale=trunc(iw/2)*2:trunc(ih/2)*2")
    return ["-vf", ",".join(filters)] if filters else []


def _rate_args(spec: EncodeSpec) -> list[str]:
    if spec.constant_bitrate:
        rate = f"{spec.video_bitrate_k}k"
        return ["-b:v", rate, "-minrate", rate, "-maxrate", rate,
                "-bufsize", f"{spec.bufsize_k or spec.video_bitrate_k}k"]
    if spec.rate_control == "crf":
        args = ["-crf", str(spec.crf)]
        if spec.video_codec == "vp9":
            args += ["-b:v", "0"]  # without it libvpx treats crf as a cap on 256k
    else:
        args = ["-b:v", f"{spec.video_bitrate_k}k"]
    if spec.maxrate_k:
        args += ["-maxrate", f"{spec.maxrate_k}k"]
    if spec.bufsize_k:
        args += ["-bufsize", f"{spec.bufsize_k}k"]
    return args


def _keyframe_args(spec: EncodeSpec, fps: float | None) -> list[str]:
    if not spec.keyframe_seconds:
        return []
    if not fps:
        # No frame rate to turn seconds into a GOP length: ask for times.
        return ["-force_key_frames", f"expr:gte(t,n_forced*{spec.keyframe_seconds:g})"]
    gop = str(max(1, round(fps * spec.keyframe_seconds)))
    args = ["-g", gop, "-keyint_min", gop]
    if spec.video_codec == "h264":
        args += ["-sc_threshold", "0"]  # scene cuts would break fixed segments
    return args


def _video_args(spec: EncodeSpec, source: MediaInfo | None, container: str | None) -> list[str]:
    codec = spec.video_codec
    assert codec is not None
    args = _video_filters(source, spec) + ["-c:v", _VIDEO_ENCODER[codec]]
    fps = _output_fps(source, spec)
    if codec in ("h264", "hevc") and spec.speed:
        args += ["-preset", spec.speed]
    elif codec == "vp9":
        args += ["-row-mt", "1"]
        if spec.speed:
            # libvpx only honours cpu-used above 5 in realtime mode.
            deadline = "realtime" if int(spec.speed) > 5 else "good"
            args += ["-deadline", deadline, "-cpu-used", spec.speed]
    elif codec == "av1" and spec.speed:
        args += ["-preset", spec.speed]
    args += _rate_args(spec) + _keyframe_args(spec, fps)
    if codec == "h264" and spec.constant_bitrate:
        args += ["-x264-params", "nal-hrd=cbr:force-cfr=1"]
    if codec == "hevc":
        params = "log-level=error"  # x265 otherwise floods stderr with info
        if spec.keyframe_seconds:
            params += ":scenecut=0"
        args += ["-x265-params", params]
        if container in ("mp4", "m4a"):
            args += ["-tag:v", "hvc1"]  # Apple players refuse the default hev1
    return args + ["-pix_fmt", spec.pix_fmt]


def _audio_args(spec: EncodeSpec) -> list[str]:
    codec = spec.audio_codec
    assert codec is not None
    args = ["-c:a", _AUDIO_ENCODER[codec]]
    if spec.audio_bitrate_k:
        args += ["-b:a", f"{spec.audio_bitrate_k}k"]
    if spec.audio_channels:
        args += ["-ac", str(spec.audio_channels)]
    if spec.audio_rate:
        args += ["-ar", str(spec.audio_rate)]
    return args


def encode_command(
    binary: str,
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    spec: EncodeSpec,
    source: MediaInfo,
    threads: int = 0,
) -> list[str]:
    want_video = spec.has_video and source.has_video
    want_audio = spec.has_audio and source.has_audio
    if not want_video and not want_audio:
        raise ValueError("nothing to encode: the source has none of the streams the spec asks for")
    args = [binary, "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats",
            "-i", _path_arg(src), *_LOGLEVEL]
    # 0:V skips attached cover pictures; "?" keeps a missing stream harmless.
    if want_video:
        args += ["-map", "0:V:0?"]
    if want_audio:
        args += ["-map", "0:a:0?"]
    args += _video_args(spec, source, spec.container) if want_video else ["-vn"]
    args += _audio_args(spec) if want_audio else ["-an"]
    if spec.faststart and spec.container in ("mp4", "m4a"):
        args += ["-movflags", "+faststart"]
    if threads > 0:
        args += ["-threads", str(threads)]
    return args + ["-f", _MUXER[spec.container], _path_arg(dst)]


def _check_stream_url(url: str) -> None:
    if not url.lower().startswith(_STREAM_SCHEMES):
        raise ValueError(f"stream output must start with rtmp:// or rtmps://: {url!r}")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        # The tee parser trims whitespace, so such a URL cannot round-trip.
        raise ValueError(f"stream output contains whitespace or control characters: {url!r}")


def tee_target(urls: list[str]) -> str:
    """Tee muxer output string: one FLV slave per URL, each allowed to fail.

    The tee parser tokenises with backslash escapes and single quotes, so
    those characters and its own delimiters are escaped inside each URL.
    """
    return "|".join("[f=flv:onfail=ignore]" + _TEE_SPECIAL.sub(r"\\\1", url) for url in urls)


def stream_command(
    binary: str,
    src: str | os.PathLike[str],
    outputs: list[str],
    spec: EncodeSpec | None,
    loop: bool,
    copy: bool,
    source: MediaInfo | None = None,
) -> list[str]:
    """Live push of one file to several RTMP(S) targets with one encode.

    `source` is optional; with it the scale and frame-rate numbers are exact,
    without it ffmpeg evaluates them from the input.
    """
    if not outputs:
        raise ValueError("at least one stream output is required")
    for url in outputs:
        _check_stream_url(url)
    if not copy:
        if spec is None:
            raise ValueError("a spec is required unless copy=True")
        if spec.video_codec not in ("h264", None) or spec.audio_codec not in ("aac", None):
            raise ValueError("FLV streaming needs h264 video and aac audio")
    args = [binary, "-hide_banner", "-nostdin", "-progress", "pipe:1", "-nostats", *_LOGLEVEL, "-re"]
    if loop:
        args += ["-stream_loop", "-1"]
    args += ["-i", _path_arg(src)]
    use_video = (copy or (spec is not None and spec.has_video)) and (source is None or source.has_video)
    use_audio = (copy or (spec is not None and spec.has_audio)) and (source is None or source.has_audio)
    if not use_video and not use_audio:
        raise ValueError("nothing to stream: the source has none of the streams the spec asks for")
    # tee does no stream selection of its own, so every stream is mapped.
    if use_video:
        args += ["-map", "0:V:0?"]
    if use_audio:
        args += ["-map", "0:a:0?"]
    if copy:
        # Stream copy keeps the source container's codec tags ("avc1" from
        # MP4, 27 from MPEG-TS) and tee cannot translate them, so the FLV
        # slaves would refuse the header; 7 and 10 are FLV's AVC and AAC ids.
        args += ["-c", "copy", "-tag:v", "7", "-tag:a", "10"]
    else:
        assert spec is not None
        args += _video_args(spec, source, None) if use_video else ["-vn"]
        args += _audio_args(spec) if use_audio else ["-an"]
        # FLV wants codec headers out of band; tee cannot ask per slave.
        args += ["-flags", "+global_header"]
    return args + ["-f", "tee", tee_target(outputs)]


def poster_command(
    binary: str,
    src: str | os.PathLike[str],
    dst_jpg: str | os.PathLike[str],
    at_seconds: float,
    max_width: int = 640,
) -> list[str]:
    """One JPEG frame at `at_seconds`; the caller clamps it below the duration."""
    return [
        binary, "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats",
        # Seeking before -i jumps to the nearest keyframe instead of decoding
        # everything up to the timestamp.
        "-ss", f"{max(0.0, at_seconds):.3f}", "-i", _path_arg(src), *_LOGLEVEL,
        "-map", "0:V:0", "-frames:v", "1",
        "-vf", f"scale='min({int(max_width)},iw)':-2",
        "-q:v", "3", "-update", "1", "-f", "image2", _path_arg(dst_jpg),
    ]


def can_stream_copy(source: MediaInfo) -> bool:
    """Whether the file can go to FLV/RTMP without re-encoding."""
    # FLV carries no display matrix, so rotated phone clips need an encode.
    return source.video_codec == "h264" and source.audio_codec == "aac" and source.rotation == 0
