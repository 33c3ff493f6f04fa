"""Start-up checks: say clearly what is missing instead of failing on the first upload."""

import os
import shutil

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.compatibility, deploy=False)
def check_ffmpeg(app_configs=None, **kwargs):
    from mediaportal.lib.media.binary import FFmpegNotFound, ffmpeg_encoders, find_ffmpeg

    explicit = settings.FFMPEG_BINARY
    if explicit and not (shutil.which(explicit) if os.sep not in explicit else os.access(explicit, os.X_OK)):
        # Falling back silently would run a different ffmpeg than the operator asked for.
        return [Error(f"FFMPEG_BINARY={explicit!r} is not an executable file.",
                      hint="Fix the path, or unset FFMPEG_BINARY to use ffmpeg from PATH or imageio-ffmpeg.",
                      id="mediaportal.E004")]
    binary = find_ffmpeg(explicit)
    if binary is None:
        return [
            Error(
                "No usable ffmpeg found.",
                hint="Set FFMPEG_BINARY to an ffmpeg executable, put ffmpeg on PATH, "
                "or install the imageio-ffmpeg package (requirements.txt has it).",
                id="mediaportal.E001",
            )
        ]
    try:
        encoders = ffmpeg_encoders(binary)
    except FFmpegNotFound as exc:
        return [Error(f"ffmpeg at {binary} does not run: {exc}", id="mediaportal.E002")]
    if "libx264" not in encoders:
        return [
            Error(
                f"ffmpeg at {binary} has no libx264 encoder.",
                hint="Use an ffmpeg built with --enable-libx264, or unset FFMPEG_BINARY to use imageio-ffmpeg's.",
                id="mediaportal.E003",
            )
        ]
    return []


@register(Tags.compatibility)
def check_data_dir(app_configs=None, **kwargs):
    if not os.access(settings.DATA_DIR, os.W_OK):
        return [Error(f"The data directory {settings.DATA_DIR} is not writable.", hint="Set MEDIAPORTAL_DATA_DIR.", id="mediaportal.E010")]
    return []


@register(Tags.compatibility)
def check_channel_layer(app_configs=None, **kwargs):
    backend = settings.CHANNEL_LAYERS.get("default", {}).get("BACKEND", "")
    if backend.endswith("InMemoryChannelLayer"):
        return [
            Error(
                "InMemoryChannelLayer cannot carry worker events to the web process.",
                hint="Leave CHANNEL_LAYERS to the settings (SQLite layer, or Redis with REDIS_URL).",
                id="mediaportal.E020",
            )
        ]
    return []
