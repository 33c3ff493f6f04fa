"""Moving files: resumable tus uploads and Range-resumed downloads, both with tqdm bars on stderr."""

from __future__ import annotations

import base64
import re
import sys
import time
from pathlib import Path
from urllib.parse import unquote

from tqdm import tqdm

from mediaportal.cli import config
from mediaportal.cli.client import Api
from mediaportal.cli.errors import CliError, Exit

TUS = {"Tus-Resumable": "1.0.0"}
CHUNK = 1 << 20


def bar(total: int | None, desc: str, enabled: bool, initial: int = 0) -> tqdm:
    return tqdm(total=total, initial=initial, desc=desc, unit="B", unit_scale=True, unit_divisor=1024,
                file=sys.stderr, disable=not enabled, leave=True, dynamic_ncols=True)


def _store_path() -> Path:
    return config.config_dir() / "uploads.json"


def _upload_key(server: str, path: Path) -> str:
    # Size and mtime in the key: an edited file must not resume into the old file's upload.
    st = path.stat()
    return f"{server}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"


def _remember(key: str, url: str | None) -> None:
    data = config.read_json(_store_path())
    if url is None:
        if data.pop(key, None) is None:
            return
    else:
        data[key] = url
    config.write_private(_store_path(), data)


def _metadata(values: dict[str, str | None]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items() if v)


def _video_id(headers) -> int | None:
    value = headers.get("X-Video-Id")
    return int(value) if value and value.isdigit() else None


def _offset(api: Api, url: str) -> tuple[int, int | None] | None:
    """(offset, video id) of an upload the server still has, or None."""
    response = api.request("HEAD", url, headers=TUS, ok=(403, 404, 410))
    if response.status_code != 200 or not response.headers.get("Upload-Offset", "").isdigit():
        return None
    return int(response.headers["Upload-Offset"]), _video_id(response.headers)


def tus_upload(api: Api, path: Path, *, preset: str | None = None, title: str | None = None,
               chunk_size: int = CHUNK, progress: bool = False) -> int:
    """Upload one file with tus and return the new video's id. An interrupted upload of the same
    file (same path, size and mtime) to the same server continues from the server's offset."""
    size = path.stat().st_size
    key = _upload_key(api.server, path)
    url = config.read_json(_store_path()).get(key)
    state = _offset(api, url) if url else None
    if state is None:
        headers = {**TUS, "Upload-Length": str(size),
                   "Upload-Metadata": _metadata({"filename": path.name, "preset": preset, "title": title})}
        response = api.request("POST", "uploads/", headers=headers)
        url = response.headers.get("Location")
        if not url:
            raise CliError("The server did not return an upload location.")
        _remember(key, url)
        state = (0, None)
    offset, video_id = state
    try:
        with open(path, "rb") as fh, bar(size, path.name, progress, initial=offset) as progress_bar:
            conflicts = 0
            while offset < size and video_id is None:
                fh.seek(offset)
                chunk = fh.read(chunk_size)
                response = api.request("PATCH", url, data=chunk, ok=(409,), timeout=300, headers={
                    **TUS, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
                if response.status_code == 409:
                    # Someone (an earlier run) moved the offset: ask the server where it stands.
                    conflicts += 1
                    state = _offset(api, url)
                    if state is None or conflicts > 3:
                        raise CliError(f"The upload of {path.name} is out of step with the server; run again.")
                    progress_bar.update(state[0] - offset)
                    offset, video_id = state
                    continue
                new_offset = int(response.headers.get("Upload-Offset", offset + len(chunk)))
                progress_bar.update(new_offset - offset)
                offset = new_offset
                video_id = _video_id(response.headers)
    except CliError as exc:
        if exc.code != Exit.API_ERROR or "Cannot reach" not in exc.message:
            _remember(key, None)  # refused for good (bad file, quota): do not resume into it
        raise
    video_id = video_id or _wait_for_video(api, url)
    _remember(key, None)
    return video_id


def _wait_for_video(api: Api, url: str, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _offset(api, url)
        if state and state[1]:
            return state[1]
        time.sleep(0.5)
    raise CliError("The upload finished but the server has not made a video of it yet.")


_CD_STAR = re.compile(r"filename\*\s*=\s*[^']*'[^']*'([^;]+)", re.I)
_CD_PLAIN = re.compile(r'filename\s*=\s*"?([^";]+)"?', re.I)


def filename_from(disposition: str | None) -> str | None:
    if not disposition:
        return None
    match = _CD_STAR.search(disposition)
    name = unquote(match.group(1).strip()) if match else None
    if name is None:
        match = _CD_PLAIN.search(disposition)
        name = match.group(1).strip() if match else None
    name = Path(name.replace("\\", "/")).name if name else None  # never a path from the server
    return name if name and name not in (".", "..") else None


def _total_from(response) -> int | None:
    content_range = response.headers.get("Content-Range", "")
    if "/" in content_range and content_range.rsplit("/", 1)[1].isdigit():
        return int(content_range.rsplit("/", 1)[1])
    length = response.headers.get("Content-Length", "")
    return int(length) if response.status_code == 200 and length.isdigit() else None


def _free_name(target: Path, overwrite: bool) -> Path:
    """The server's name, or `name (1).ext`...: a download never replaces a file you have (say,
    the original you uploaded from this directory) unless asked to."""
    if overwrite or not target.exists():
        return target
    for n in range(1, 1000):
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        if not candidate.exists():
            return candidate
    raise CliError(f"Too many files named like {target.name}; pass --output.")


def download(api: Api, url: str, *, params: dict | None = None, output: Path | None = None,
             default_name: str = "download", progress: bool = False, overwrite: bool = False) -> Path:
    """Fetch into `<name>.part`, continuing an earlier partial file with Range, check the size
    against Content-Range/Content-Length, then rename into place."""
    probe = api.request("GET", url, params=params, headers={"Range": "bytes=0-0"}, stream=True, ok=(416,))
    probe.close()
    total = _total_from(probe)
    name = filename_from(probe.headers.get("Content-Disposition")) or default_name
    if output is not None and not output.is_dir():
        target = output
        if target.exists() and not overwrite:
            raise CliError(f"{target} exists: pass --force to replace it.")
    else:
        target = _free_name((output or Path(".")) / name, overwrite)
    part = target.with_name(target.name + ".part")
    # The server's ETag for the bytes in .part: resuming sends it as If-Range, so a file that
    # changed on the server since is fetched whole instead of spliced onto the old bytes.
    tag_file = target.with_name(target.name + ".part.etag")
    have = part.stat().st_size if part.exists() else 0
    if total is not None and have > total:
        have = 0
    if total is None or have < total or total == 0:
        headers = {"Range": f"bytes={have}-"} if have and total else {}
        if headers and tag_file.exists():
            headers["If-Range"] = tag_file.read_text().strip()
        response = api.request("GET", url, params=params, headers=headers, stream=True, timeout=60)
        if response.headers.get("ETag"):
            tag_file.write_text(response.headers["ETag"])
        if response.status_code == 206:
            match = re.match(r"bytes (\d+)-(\d+)/(\d+)", response.headers.get("Content-Range", ""))
            if not match or int(match.group(1)) != have:
                raise CliError(f"The server answered an unexpected range ({response.headers.get('Content-Range')}).")
            total = int(match.group(3))
            mode = "ab"
        else:
            have, mode = 0, "wb"
            total = _total_from(response)
        with open(part, mode) as fh, bar(total, target.name, progress, initial=have) as progress_bar:
            for chunk in response.iter_content(CHUNK):
                fh.write(chunk)
                progress_bar.update(len(chunk))
    size = part.stat().st_size if part.exists() else 0
    if total is not None and size != total:
        raise CliError(f"Download of {target.name} stopped at {size} of {total} bytes; run again to resume.")
    part.replace(target)
    tag_file.unlink(missing_ok=True)
    return target
