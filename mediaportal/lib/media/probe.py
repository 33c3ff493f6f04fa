"""Inspecting uploaded media with PyAV (the bundled ffmpeg has no ffprobe)."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any

import av

__all__ = ["MediaInfo", "ProbeError", "probe"]

NOT_MEDIA = "not a video or audio file"
EMPTY = "file is empty"
NO_FRAME = "file is truncated or corrupt: could not decode any frame"
NO_INDEX = "file is truncated or corrupt: the index (moov) is missing"
DATA_MISSING = "file is truncated or corrupt: media data ends early"

# Demuxers that only ever hold still pictures (image2, png_pipe, jpeg_pipe...).
_TEXT_DEMUXERS = frozenset({"tty", "bin", "xbin", "adf", "idf"})
_TEXT_CODECS = frozenset({"ansi", "bintext", "xbin", "idf"})
_IMAGE_DEMUXERS = {"image2", "image2pipe", "gif_pipe", "webp_pipe"}
# Codecs that are normally stills; a stream with one of these is a video only
# when it yields more than one frame (e.g. MJPEG AVI, animated GIF).
_IMAGE_CODECS = {"png", "apng", "mjpeg", "gif", "webp", "bmp", "tiff", "jpeg2000", "jpegls", "qoi"}
# Bounds how much of a broken file we read before giving up on decoding.
_MAX_PACKETS = 300
_EXT_ALIASES = {"mkv": "matroska", "m4v": "mp4"}


class ProbeError(Exception):
    """The file is not usable media; str(exc) is safe to show to users."""


@dataclass(frozen=True)
class MediaInfo:
    container: str
    duration: float = 0.0
    width: int | None = None  # coded size; see display_width for rotation
    height: int | None = None
    fps: float | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    bit_rate: int | None = None
    size: int = 0
    # Counter-clockwise degrees from the display matrix (ffmpeg's convention),
    # normalised to 0/90/180/270; players and ffmpeg's autorotate apply it.
    rotation: int = 0

    @property
    def has_video(self) -> bool:
        return self.video_codec is not None

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None

    @property
    def display_width(self) -> int | None:
        return self.height if self.rotation in (90, 270) else self.width

    @property
    def display_height(self) -> int | None:
        return self.width if self.rotation in (90, 270) else self.height

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.update(has_video=self.has_video, has_audio=self.has_audio)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MediaInfo:
        # Ignores derived keys (has_video...) so to_dict() output round-trips.
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def _container_name(format_name: str, path: str) -> str:
    # PyAV reports demuxer families ("mov,mp4,m4a,3gp,3g2,mj2"); the file's
    # extension picks the member the user would recognise.
    names = format_name.split(",")
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    ext = _EXT_ALIASES.get(ext, ext)
    return ext if ext in names else names[0]


def _looks_like_container(path: str) -> bool:
    # ISO-BMFF starts with an ftyp box, Matroska with the EBML magic; if such
    # a file fails to open it is damaged, not of an unknown kind.
    with open(path, "rb") as fh:
        head = fh.read(12)
    return head[4:8] == b"ftyp" or head[:4] == b"\x1a\x45\xdf\xa3"


def _usable_streams(container: Any) -> tuple[Any, Any]:
    video = next(
        (s for s in container.streams.video
         if not s.disposition & av.stream.Disposition.attached_pic),  # cover art
        None,
    )
    audio = next(iter(container.streams.audio), None)
    return video, audio


def _decode_frames(container: Any, stream: Any, wanted: int) -> list[Any]:
    frames: list[Any] = []
    packets = 0
    try:
        for packet in container.demux(stream):
            packets += 1
            for frame in packet.decode():
                frames.append(frame)
                if len(frames) >= wanted:
                    return frames
            if packets >= _MAX_PACKETS and not frames:
                break
    except (av.FFmpegError, ValueError, OSError):
        pass  # whatever decoded before the damage is still evidence
    return frames


def _duration(container: Any) -> float:
    if container.duration:
        return max(0.0, float(container.duration / av.time_base))
    best = 0.0
    for s in container.streams:
        if s.duration and s.time_base:
            best = max(best, float(s.duration * s.time_base))
    return best


def _index_exceeds_file(container: Any, size: int) -> bool:
    # MP4/MOV carry a full sample table; a sample that would lie past the end
    # of the file proves a truncated upload even when the start decodes.
    for s in container.streams:
        try:
            entries = s.index_entries
            count = len(entries)
            if count and max(entries[i].pos + entries[i].size for i in range(max(0, count - 4), count)) > size:
                return True
        except (AttributeError, TypeError, IndexError):
            return False
    return False


def _tail_missing(container: Any, duration: float) -> bool:
    # Matroska has no sample table, so look for packets near the advertised
    # end: a truncated file simply stops long before it. Only the last few
    # seconds are read, and every stream counts (audio may outlast video).
    if duration < 1.0:
        return False
    try:
        container.seek(int(max(0.0, duration - 5.0) * av.time_base), backward=True)
    except (av.FFmpegError, ValueError, OSError):
        return False  # cannot tell; decoding the start already succeeded
    last_end = None
    try:
        for packet in container.demux():
            if packet.pts is not None and packet.time_base is not None:
                end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
                last_end = end if last_end is None else max(last_end, end)
    except (av.FFmpegError, ValueError, OSError):
        pass  # a read error at the cut is expected; judge what came before
    start = (container.start_time or 0) / av.time_base
    return last_end is None or last_end - start < duration - max(1.0, duration * 0.05)


def _codec_name(stream: Any) -> str:
    # codec_context.name is the *decoder* (e.g. "libdav1d"); the canonical
    # name is the format ("av1") that specs and other tools talk about.
    ctx = stream.codec_context
    return str(getattr(ctx.codec, "canonical_name", None) or ctx.name)


def _fps(stream: Any) -> float | None:
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    value = float(rate) if rate else 0.0
    return value if 0 < value < 1000 else None


def probe(path: str | os.PathLike[str]) -> MediaInfo:
    path = os.fspath(path)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ProbeError("file not found or unreadable") from exc
    if size == 0:
        raise ProbeError(EMPTY)
    try:
        container = av.open(path, mode="r")
    except (av.FFmpegError, ValueError, OSError) as exc:
        raise ProbeError(NO_INDEX if _looks_like_container(path) else NOT_MEDIA) from exc
    with container:
        if container.format.name in _IMAGE_DEMUXERS or container.format.name.endswith("_pipe"):
            raise ProbeError(NOT_MEDIA)
        video, audio = _usable_streams(container)
        if video is None and audio is None:
            raise ProbeError(NOT_MEDIA)
        # ffmpeg "decodes" any text file as ANSI art (the tty demuxer): not a video to anyone.
        if container.format.name in _TEXT_DEMUXERS or (video is not None and _codec_name(video) in _TEXT_CODECS):
            raise ProbeError(NOT_MEDIA)
        duration = _duration(container)
        still_candidate = (
            video is not None and audio is None and _codec_name(video) in _IMAGE_CODECS
        )
        primary = video if video is not None else audio
        frames = _decode_frames(container, primary, 2 if still_candidate else 1)
        if not frames:
            raise ProbeError(NO_FRAME)
        if still_candidate and len(frames) < 2:
            raise ProbeError(NOT_MEDIA)
        rotation = 0
        if video is not None:
            # PyAV exposes the display matrix angle on decoded frames
            # (counter-clockwise, possibly negative).
            angle = getattr(frames[0], "rotation", 0)
            rotation = int(round((angle or 0) / 90.0)) * 90 % 360
        fmt = container.format.name
        if "mp4" in fmt.split(",") and _index_exceeds_file(container, size):
            raise ProbeError(DATA_MISSING)
        if "matroska" in fmt.split(",") and _tail_missing(container, duration):
            raise ProbeError(DATA_MISSING)
        vctx = video.codec_context if video is not None else None
        return MediaInfo(
            container=_container_name(fmt, path),
            duration=round(duration, 3),
            width=(vctx.width or None) if vctx is not None else None,
            height=(vctx.height or None) if vctx is not None else None,
            fps=_fps(video) if video is not None else None,
            video_codec=_codec_name(video) if video is not None else None,
            audio_codec=_codec_name(audio) if audio is not None else None,
            bit_rate=container.bit_rate or None,
            size=size,
            rotation=rotation,
        )
