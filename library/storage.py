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
