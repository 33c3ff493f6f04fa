"""Session-wide test media (tiny lavfi clips and bad files), generated once; shared by every test package.

Clips are tiny (2 s, 320x240) because the CI box has two cores.
"""
from __future__ import annotations

import os
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from mediaportal.lib.media import EncodeSpec, encode_command, find_ffmpeg, probe, run_ffmpeg

VIDEO = ["-f", "lavfi", "-i", "testsrc2=duration=2:size=320x240:rate=25"]
AUDIO = ["-f", "lavfi", "-i", "sine=frequency=440:duration=2"]
X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
AAC = ["-c:a", "aac", "-b:a", "64k"]


@dataclass(frozen=True)
class Clips:
    av_mp4: Path
    av_ts: Path
    moov_end_mp4: Path
    video_only_mp4: Path
    audio_m4a: Path
    portrait_mp4: Path
    rotated_mp4: Path
    truncated_mp4: Path
    truncated_moov_end_mp4: Path
    truncated_mkv: Path
    zeroed_mdat_mp4: Path
    random_mp4: Path
    png: Path
    single_frame_mkv: Path
    cover_art_m4a: Path
    jpeg: Path
    text_mp4: Path
    empty_mp4: Path


def make(binary: str, *args: str | os.PathLike[str]) -> None:
    subprocess.run(
        [binary, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *map(str, args)],
        check=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def truncate_copy(src: Path, dst: Path, fraction: float) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


@pytest.fixture(scope="session")
def ffmpeg_bin() -> str:
    binary = find_ffmpeg(os.environ.get("FFMPEG_BINARY"))
    if binary is None:
        pytest.skip("no ffmpeg available")
    return binary


@pytest.fixture(scope="session")
def clips(ffmpeg_bin: str, tmp_path_factory: pytest.TempPathFactory) -> Clips:
    d = tmp_path_factory.mktemp("media-clips")
    b = ffmpeg_bin
    make(b, *VIDEO, *AUDIO, *X264, *AAC, "-shortest", "-movflags", "+faststart", d / "av.mp4")
    # Without faststart the moov index is written last, so cutting the file removes it.
    make(b, *VIDEO, *AUDIO, *X264, *AAC, "-shortest", d / "moov_end.mp4")
    make(b, *VIDEO, *X264, d / "video_only.mp4")
    make(b, *AUDIO, *AAC, d / "audio.m4a")
    make(b, "-f", "lavfi", "-i", "testsrc2=duration=2:size=240x320:rate=25", *AUDIO, *X264, *AAC,
         "-shortest", d / "portrait.mp4")
    # Same pixels as av.mp4 but a display matrix saying "turn 90 degrees", like phone footage.
    make(b, "-display_rotation", "90", "-i", d / "av.mp4", "-c", "copy", d / "rotated.mp4")
    make(b, "-i", d / "av.mp4", "-c", "copy", d / "full.mkv")
    make(b, "-i", d / "av.mp4", "-c", "copy", d / "av.ts")
    make(b, "-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", d / "still.png")
    make(b, "-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", d / "still.jpg")
    # A still wrapped in a video container is still a picture, not a video.
    make(b, "-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", "-c:v", "png", d / "one_frame.mkv")
    # Music with embedded cover art: the picture is not a video stream.
    make(b, "-i", d / "audio.m4a", "-i", d / "still.jpg", "-map", "0", "-map", "1", "-c", "copy",
         "-disposition:v", "attached_pic", d / "cover.m4a")

    data = (d / "av.mp4").read_bytes()
    mdat = data.index(b"mdat") + 4
    # Index intact, sample data zeroed: opens fine, nothing decodes.
    (d / "zeroed.mp4").write_bytes(data[:mdat] + bytes(len(data) - mdat))
    (d / "random.mp4").write_bytes(random.Random(1234).randbytes(64 * 1024))
    (d / "text.mp4").write_text("this is not a video\n" * 200)
    (d / "empty.mp4").write_bytes(b"")
    return Clips(
        av_mp4=d / "av.mp4",
        av_ts=d / "av.ts",
        moov_end_mp4=d / "moov_end.mp4",
        video_only_mp4=d / "video_only.mp4",
        audio_m4a=d / "audio.m4a",
        portrait_mp4=d / "portrait.mp4",
        rotated_mp4=d / "rotated.mp4",
        truncated_mp4=truncate_copy(d / "av.mp4", d / "truncated.mp4", 0.4),
        truncated_moov_end_mp4=truncate_copy(d / "moov_end.mp4", d / "truncated_moov_end.mp4", 0.4),
        truncated_mkv=truncate_copy(d / "full.mkv", d / "truncated.mkv", 0.4),
        zeroed_mdat_mp4=d / "zeroed.mp4",
        random_mp4=d / "random.mp4",
        png=d / "still.png",
        single_frame_mkv=d / "one_frame.mkv",
        cover_art_m4a=d / "cover.m4a",
        jpeg=d / "still.jpg",
        text_mp4=d / "text.mp4",
        empty_mp4=d / "empty.mp4",
    )
