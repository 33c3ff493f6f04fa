"""Where a user's files live: MEDIA_ROOT/u<id>/<kind>/<random name>. Never a user-given name."""

import secrets
from pathlib import Path

from django.conf import settings


def user_dir(user_id: int, kind: str) -> Path:
    path = Path(settings.MEDIA_ROOT) / f"u{int(user_id)}" / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_name(suffix: str) -> str:
    """A fresh server-made file name; suffix is chosen by the server (from the probe), e.g. '.mp4'."""
    return secrets.token_hex(16) + suffix


def relative(path: Path) -> str:
    """The name stored in a FileField: relative to MEDIA_ROOT."""
    return str(Path(path).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve()))


def absolute(name: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError("path outside the media root")
    return path


# Extension for a stored file, from the container PyAV found (never from the user's name).
_CONTAINER_EXT = {
    "mp4": ".mp4", "mov": ".mov", "m4a": ".m4a", "3gp": ".3gp", "matroska": ".mkv", "webm": ".webm",
    "mpegts": ".ts", "avi": ".avi", "flv": ".flv", "ogg": ".ogg", "mp3": ".mp3", "wav": ".wav",
    "flac": ".flac", "asf": ".wmv", "mpeg": ".mpg", "nut": ".nut", "aac": ".aac", "mkv": ".mkv",
}
CONTENT_TYPES = {
    ".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime", ".m4a": "audio/mp4", ".3gp": "video/3gpp",
    ".mkv": "video/x-matroska", ".webm": "video/webm", ".ts": "video/mp2t", ".avi": "video/x-msvideo",
    ".flv": "video/x-flv", ".ogg": "audio/ogg", ".mp3": "audio/mpeg", ".wav": "audio/wav", ".flac": "audio/flac",
    ".wmv": "video/x-ms-wmv", ".mpg": "video/mpeg", ".aac": "audio/aac", ".jpg": "image/jpeg",
}


def ext_for_container(container: str, has_video: bool) -> str:
    ext = _CONTAINER_EXT.get(container, ".bin")
    return ".m4a" if ext == ".mp4" and not has_video else ext


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def hint_suffix(filename: str) -> str:
    """A harmless suffix taken from the user's file name, only so the prober recognises the
    container family ('.mkv', '.mp4'); anything odd becomes '.part'."""
    suffix = Path(filename.replace("\\", "/")).suffix.lower()
    return suffix if 2 <= len(suffix) <= 6 and suffix[1:].isascii() and suffix[1:].isalnum() else ".part"


def remove(name: str) -> None:
    """Delete a stored file by its FileField name; a missing file is fine."""
    if not name:
        return
    try:
        absolute(name).unlink(missing_ok=True)
    except ValueError:
        pass
