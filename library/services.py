"""Writes for videos and renditions: turning a finished upload into a Video, rename, delete."""

import logging
import os
import unicodedata
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from library import storage
from library.errors import NotMedia
from library.models import Rendition, Video
from mediaportal.events import EventKind, send_user_event
from mediaportal.ffmpeg import ffmpeg_binary
from mediaportal.lib.media import FFmpegError, FFmpegNotFound, MediaInfo, ProbeError, poster_command, probe, run_ffmpeg

log = logging.getLogger(__name__)
TITLE_MAX = 255


def title_from_filename(filename: str) -> str:
    """The readable part of a client's file name: no directories, no control characters, no
    extension. It is only ever shown, never used as a path."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    stem = base.rsplit(".", 1)[0].strip() if "." in base.strip(".") else base.strip()
    return (stem or "Untitled")[:TITLE_MAX]


def safe_original_name(filename: str) -> str:
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()[:TITLE_MAX]


def _media_fields(info: MediaInfo) -> dict:
    return {
        "container": info.container, "duration": info.duration, "width": info.display_width,
        "height": info.display_height, "fps": info.fps, "video_codec": info.video_codec or "",
        "audio_codec": info.audio_codec or "", "bit_rate": info.bit_rate, "size": info.size,
        "probe": info.to_dict(),
    }


def _make_poster(owner_id: int, src: Path, info: MediaInfo) -> str:
    """A JPEG poster; a failure costs the poster only, never the video."""
    if not info.has_video:
        return ""
    dst = storage.user_dir(owner_id, "posters") / storage.new_name(".jpg")
    at = min(1.0, info.duration / 2) if info.duration else 0.0
    try:
        run_ffmpeg(poster_command(ffmpeg_binary(), src, dst, at), duration=0, stall_timeout=60)
    except (FFmpegError, FFmpegNotFound, OSError) as exc:
        log.warning("poster for %s failed: %s", src.name, exc)
        dst.unlink(missing_ok=True)
        return ""
    return storage.relative(dst) if dst.exists() and dst.stat().st_size else ""


def video_create_from_upload(*, owner, path: Path, filename: str, preset_slug: str | None = None,
                             title: str | None = None) -> Video:
    """Probe a finished upload and store it as the owner's Video. `path` is consumed: moved under
    u<id>/originals/ with a server-made name, or deleted when it is not playable media (NotMedia)."""
    shown = safe_original_name(filename) or "The file"
    try:
        info = probe(path)
    except ProbeError as exc:
        Path(path).unlink(missing_ok=True)
        raise NotMedia(f"{shown} was refused: {exc}. Only video or audio files can be uploaded.") from None
    dst = storage.user_dir(owner.pk, "originals") / storage.new_name(storage.ext_for_container(info.container,
                                                                                              info.has_video))
    os.replace(path, dst)
    poster = _make_poster(owner.pk, dst, info)
    try:
        with transaction.atomic():
            video = Video.objects.create(
                owner=owner, title=(title or "").strip()[:TITLE_MAX] or title_from_filename(filename),
                original_name=safe_original_name(filename), original=storage.relative(dst), poster=poster,
                **_media_fields(info),
            )
            transaction.on_commit(lambda: _after_create(video, preset_slug))
    except Exception:
        dst.unlink(missing_ok=True)
        storage.remove(poster)
        raise
    return video


def _after_create(video: Video, preset_slug: str | None) -> None:
    send_user_event(video.owner_id, EventKind.VIDEO, {"id": video.pk, "action": "created"})
    from encoding.services import on_video_uploaded

    on_video_uploaded(video=video, preset_slug=preset_slug or None)


@transaction.atomic
def video_rename(*, video: Video, title: str) -> Video:
    title = "".join(ch for ch in (title or "") if unicodedata.category(ch)[0] != "C").strip()
    if not title:
        raise ValidationError({"title": ["The title cannot be empty."]})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": [f"The title can be at most {TITLE_MAX} characters."]})
    video.title = title
    video.save(update_fields=["title", "updated"])
    transaction.on_commit(lambda: send_user_event(video.owner_id, EventKind.VIDEO,
                                                  {"id": video.pk, "action": "updated"}))
    return video


def video_delete(*, video: Video) -> None:
    """Remove the video, its renditions and all their files. The rows go first and the files once
    that has committed: a failure in between leaves an orphan file, never a row without its file."""
    names = [video.original.name, video.poster.name, *(r.file.name for r in video.renditions.all())]
    owner_id, video_id = video.owner_id, video.pk
    with transaction.atomic():
        video.delete()
        transaction.on_commit(lambda: _remove_files(names))
        transaction.on_commit(lambda: send_user_event(owner_id, EventKind.VIDEO,
                                                      {"id": video_id, "action": "deleted"}))


def rendition_delete(*, rendition: Rendition) -> None:
    name, video = rendition.file.name, rendition.video
    with transaction.atomic():
        rendition.delete()
        transaction.on_commit(lambda: _remove_files([name]))
        transaction.on_commit(lambda: send_user_event(video.owner_id, EventKind.VIDEO,
                                                      {"id": video.pk, "action": "updated"}))


def _remove_files(names: list[str]) -> None:
    for name in names:
        storage.remove(name)
