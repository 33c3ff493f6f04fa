"""The client's config file: tokens per server, kept in the user's config directory with mode 0600.

$XDG_CONFIG_HOME/mediaportal/config.json (default ~/.config/mediaportal/config.json):
{"default_server": url, "servers": {url: {"token": ..., "username": ...}}}
"""

from __future__ import annotations

import json
import os
from pathlib import Path

DEFAULT_SERVER = "http://127.0.0.1:8000"


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "mediaportal"


def config_path() -> Path:
    return config_dir() / "config.json"


def normalize_server(url: str) -> str:
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = f"http://{url}"
    return url


def write_private(path: Path, data: dict) -> None:
    """Write JSON readable by the owner only: created 0600 and renamed into place, so the token
    is never in a file others can read, not even for a moment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load() -> dict:
    data = read_json(config_path())
    data.setdefault("servers", {})
    return data


def resolve_server(explicit: str | None) -> str:
    """--server, else $MEDIAPORTAL_URL, else the server you last logged in to, else localhost:8000."""
    chosen = explicit or os.environ.get("MEDIAPORTAL_URL") or load().get("default_server") or DEFAULT_SERVER
    return normalize_server(chosen)


def get_credentials(server: str) -> dict:
    return load()["servers"].get(normalize_server(server), {})


def save_credentials(server: str, *, token: str, username: str) -> None:
    server = normalize_server(server)
    data = load()
    data["servers"][server] = {"token": token, "username": username}
    data["default_server"] = server
    write_private(config_path(), data)


def forget_credentials(server: str) -> bool:
    data = load()
    if data["servers"].pop(normalize_server(server), None) is None:
        return False
    write_private(config_path(), data)
    return True
