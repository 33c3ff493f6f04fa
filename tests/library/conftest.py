"""Helpers for library tests: tus requests through the Django test client, stored files, renditions."""

import base64
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from library import storage
from library.models import Rendition, Video
from mediaportal.lib.media import probe

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


def meta(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def tus_create(client, length: int, **metadata: str):
    headers = {**TUS, "HTTP_UPLOAD_LENGTH": str(length)}
    if metadata:
        headers["HTTP_UPLOAD_METADATA"] = meta(**metadata)
    return client.post("/api/v1/uploads/", **headers)


def tus_patch(client, url: str, offset: int, data: bytes, **extra):
    return client.generic("PATCH", url, data, content_type="application/offset+octet-stream",
                          HTTP_UPLOAD_OFFSET=str(offset), **TUS, **extra)


def tus_upload(client, path: Path, name: str | None = None, chunk: int = 1 << 30, **metadata: str):
    """Create + PATCH a whole file; returns the last response."""
    data = Path(path).read_bytes()
    created = tus_create(client, len(data), filename=name or Path(path).name, **metadata)
    if created.status_code != 201:
        return created
    url = created["Location"]
    offset, resp = 0, None
    while offset < len(data):
        resp = tus_patch(client, url, offset, data[offset:offset + chunk])
        if resp.status_code != 204:
            return resp
        offset = int(resp["Upload-Offset"])
    return resp


def user_files(user) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / f"u{user.pk}"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def make_video(clips):
    def make(owner, src: Path | None = None, title: str = "Clip") -> Video:
        src = Path(src or clips.av_mp4)
        dst = storage.user_dir(owner.pk, "originals") / storage.new_name(src.suffix)
        shutil.copyfile(src, dst)
        poster = storage.user_dir(owner.pk, "posters") / storage.new_name(".jpg")
        shutil.copyfile(clips.jpeg, poster)
        info = probe(dst)
        return Video.objects.create(
            owner=owner, title=title, original_name=src.name, original=storage.relative(dst),
            poster=storage.relative(poster), container=info.container, duration=info.duration, width=info.width,
            height=info.height, fps=info.fps, video_codec=info.video_codec or "",
            audio_codec=info.audio_codec or "", bit_rate=info.bit_rate, size=info.size,
        )
    return make


@pytest.fixture
def make_rendition(clips):
    """A rendition row with a real file (a copy of a clip): the encoding app makes real ones."""
    def make(video: Video, preset_slug: str = "h264-720p", src: Path | None = None) -> Rendition:
        from encoding.models import Preset

        src = Path(src or clips.video_only_mp4)
        dst = storage.user_dir(video.owner_id, "renditions") / storage.new_name(src.suffix)
        shutil.copyfile(src, dst)
        info = probe(dst)
        return Rendition.objects.create(
            video=video, preset=Preset.objects.filter(slug=preset_slug).first(), preset_slug=preset_slug,
            file=storage.relative(dst), container=info.container, duration=info.duration, width=info.width,
            height=info.height, fps=info.fps, video_codec=info.video_codec or "",
            audio_codec=info.audio_codec or "", size=info.size,
        )
    return make
