"""Locating the ffmpeg executable and asking it what it can encode."""
from __future__ import annotations

import functools
import os
import shutil
import subprocess

__all__ = ["FFmpegNotFound", "find_ffmpeg", "ffmpeg_encoders"]


class FFmpegNotFound(Exception):
    """No usable ffmpeg executable could be located."""


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_ffmpeg(env_value: str | None = None) -> str | None:
    """Return the ffmpeg to use, or None.

    An explicit setting wins only when it really points at an executable, so
    a stale FFMPEG_BINARY falls back to something that works instead of
    failing every job later with a confusing "No such file" error.
    """
    if env_value:
        candidate = env_value if os.sep in env_value else shutil.which(env_value)
        if candidate and _is_executable(candidate):
            return candidate
    on_path = shutil.which("ffmpeg")
    if on_path:
        return on_path
    try:
        # Imported lazily: the wheel is an optional dependency in production.
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        bundled = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # it raises RuntimeError when its binary is missing
        return None
    return bundled if bundled and _is_executable(bundled) else None


@functools.lru_cache(maxsize=8)
def ffmpeg_encoders(binary: str) -> frozenset[str]:
    """Names of the encoders the given ffmpeg build offers (e.g. "libx264").

    Cached because the answer only changes when the binary is replaced, and
    callers ask for every job to pick a codec the build actually has.
    """
    try:
        out = subprocess.run(
            [binary, "-hide_banner", "-encoders"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise FFmpegNotFound(f"cannot run {binary}: {exc}") from exc
    names: set[str] = set()
    in_table = False
    for line in out.splitlines():
        # The legend above the table ends with a dashed separator line.
        if line.strip().startswith("------"):
            in_table = True
            continue
        parts = line.split()
        if in_table and len(parts) >= 2 and len(parts[0]) == 6:
            names.add(parts[1])
    return frozenset(names)
