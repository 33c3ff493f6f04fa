"""The ffmpeg this installation runs: FFMPEG_BINARY, else ffmpeg on PATH, else imageio-ffmpeg's."""

from django.conf import settings

from mediaportal.lib.media import FFmpegNotFound, find_ffmpeg


def ffmpeg_binary() -> str:
    binary = find_ffmpeg(settings.FFMPEG_BINARY)
    if binary is None:
        raise FFmpegNotFound("no usable ffmpeg: run `manage.py check` for details")
    return binary
