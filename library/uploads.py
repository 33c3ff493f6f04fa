"""Writes for resumable (tus) uploads: create, append a chunk, complete, terminate, expire.

The bytes go straight to a partial file under MEDIA_ROOT/u<id>/uploads/ with a server-made name;
the client's file name is metadata only.
"""

import base64
import fcntl
import hashlib
import logging
import os
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from library import selectors, storage
from library.errors import (
    BadUpload, ChecksumMismatch, EmptyFile, NotMedia, OffsetConflict, QuotaExceeded, TooLarge, UnknownPreset,
)
from library.models import Upload, Video
from library.services import video_create_from_upload

log = logging.getLogger(__name__)
READ_CHUNK = 1 << 20
CHECKSUMS = {"sha1": hashlib.sha1, "md5": hashlib.md5}
MB = 1024 * 1024


def _mb(n: int) -> str:
    return f"{n / MB:,.1f} MB"


def check_room(*, owner, length: int) -> None:
    """Refuse before any byte arrives: empty, over the max upload size, or over the quota."""
    if length <= 0:
        raise EmptyFile()
    limit = selectors.max_upload_bytes()
    if length > limit:
        raise TooLarge(f"The file is {_mb(length)}; the largest upload allowed is {_mb(limit)}.")
    quota, used = selectors.quota_bytes(owner), selectors.space_used(owner)
    if used + length > quota:
        raise QuotaExceeded(f"Upload of {_mb(length)} would exceed your quota of {_mb(quota)} ({_mb(used)} used).")


def check_preset(slug: str | None) -> str:
    from encoding.models import Preset

    if not slug:
        return ""
    if not Preset.objects.filter(slug=slug, is_active=True).exists():
        raise UnknownPreset(f"Unknown preset {slug!r}: choose one of the active presets.")
    return slug


def _expiry():
    return timezone.now() + timedelta(hours=settings.UPLOAD_EXPIRY_HOURS)


def upload_create(*, owner, length: int, metadata: dict[str, str]) -> Upload:
    uploads_expire()
    filename = metadata.get("filename") or metadata.get("name") or ""
    preset = check_preset(metadata.get("preset"))
    check_room(owner=owner, length=length)
    path = storage.user_dir(owner.pk, "uploads") / storage.new_name(storage.hint_suffix(filename))
    path.touch(exist_ok=False)
    try:
        return Upload.objects.create(owner=owner, length=length, filename=filename[:255], metadata=metadata,
                                     preset_slug=preset, partial=storage.relative(path), expires=_expiry())
    except Exception:
        path.unlink(missing_ok=True)
        raise


def parse_checksum(header: str | None) -> tuple[str, bytes] | None:
    if not header:
        return None
    algo, _, value = header.strip().partition(" ")
    if algo not in CHECKSUMS:
        raise BadUpload(f"Unsupported checksum algorithm {algo!r}: use sha1 or md5.")
    try:
        return algo, base64.b64decode(value.strip(), validate=True)
    except ValueError:
        raise BadUpload("Upload-Checksum is not valid base64.") from None


def upload_append(*, upload: Upload, offset: int, read: Callable[[int], bytes], content_length: int | None,
                  checksum: tuple[str, bytes] | None = None) -> Upload:
    """Write one PATCH body at `offset`. A body cut off midway keeps what arrived (unless a checksum
    was sent, which then cannot match); a checksum mismatch discards the whole chunk."""
    if upload.offset != offset:
        raise OffsetConflict(f"Upload-Offset {offset} does not match the server's offset {upload.offset}: "
                             "ask with HEAD and resume from there.")
    if upload.completed:
        return upload  # a client repeating the last PATCH because its answer got lost
    remaining = upload.length - offset
    if content_length is not None and content_length > remaining:
        raise BadUpload(f"This chunk of {content_length} bytes would go past the declared Upload-Length "
                        f"({upload.length} bytes).")
    path = storage.absolute(upload.partial)
    if not path.exists():
        raise OffsetConflict("The partial file is gone; start the upload again.")
    digest = CHECKSUMS[checksum[0]]() if checksum else None
    received, cut_off = 0, False
    with open(path, "r+b") as fh:
        try:
            # Two PATCHes to one upload must not interleave their bytes.
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OffsetConflict("Another request is writing to this upload; wait and resume.") from None
        upload.refresh_from_db(fields=["offset"])
        if upload.offset != offset:
            raise OffsetConflict(f"Upload-Offset {offset} does not match the server's offset {upload.offset}.")
        fh.seek(offset)
        fh.truncate()
        while received < remaining:
            try:
                chunk = read(min(READ_CHUNK, remaining - received))
            except OSError:
                cut_off = True
                break
            if not chunk:
                break
            fh.write(chunk)
            if digest is not None:
                digest.update(chunk)
            received += len(chunk)
        if content_length is None and received == remaining and _more(read):
            fh.truncate(offset)
            raise BadUpload(f"The chunk goes past the declared Upload-Length ({upload.length} bytes).")
        if digest is not None and (cut_off or digest.digest() != checksum[1]):
            fh.truncate(offset)
            raise ChecksumMismatch()
        fh.flush()
        os.fdatasync(fh.fileno())
    Upload.objects.filter(pk=upload.pk, offset=offset).update(offset=offset + received, expires=_expiry())
    upload.refresh_from_db()
    return upload


def _more(read: Callable[[int], bytes]) -> bool:
    try:
        return bool(read(1))
    except OSError:
        return False


def upload_complete(*, upload: Upload) -> Video:
    """Turn a fully received upload into a Video; a file that is not media is removed with its row."""
    assert upload.offset == upload.length and not upload.completed
    try:
        video = video_create_from_upload(owner=upload.owner, path=storage.absolute(upload.partial),
                                         filename=upload.filename, preset_slug=upload.preset_slug or None,
                                         title=upload.metadata.get("title"))
    except NotMedia:
        upload.delete()
        raise
    with transaction.atomic():
        Upload.objects.filter(pk=upload.pk).update(completed=True, video=video)
    upload.refresh_from_db()
    return video


def upload_terminate(*, upload: Upload) -> None:
    if not upload.completed:
        storage.remove(upload.partial)
    upload.delete()


def uploads_expire(*, now=None) -> int:
    """Remove uploads past their Upload-Expires: partial files of unfinished ones, and the rows."""
    expired = list(Upload.objects.filter(expires__lt=now or timezone.now()))
    for upload in expired:
        upload_terminate(upload=upload)
    return len(expired)
