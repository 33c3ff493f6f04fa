"""Downloads and playback: async views streaming a file in chunks with HTTP Range support.

Async on purpose: under daphne a FileResponse over a plain file is read whole into memory, and a
sync view would hold the one sync thread for the length of the transfer.
"""

import asyncio
import functools
import re
from collections.abc import AsyncIterator
from pathlib import Path

from asgiref.sync import sync_to_async
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from accounts.selectors import user_for_token
from library import selectors, storage
from library.models import Rendition, Video

CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


async def _user(request):
    """Session (browser) or `Authorization: Token <key>` (scripts); None when neither."""
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Token "):
        return await sync_to_async(user_for_token)(auth[len("Token "):].strip())
    user = await request.auser()
    return user if user.is_authenticated else None


def _not_found(message: str) -> JsonResponse:
    return JsonResponse({"detail": message, "code": "not_found"}, status=404)


def parse_range(header: str, size: int) -> tuple[int, int] | None | str:
    """(start, end inclusive) for one satisfiable range, None to send the whole file (no header,
    or several ranges), "unsatisfiable" for a range outside the file."""
    match = _RANGE.match(header.strip()) if header else None
    if not match or not (match.group(1) or match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return "unsatisfiable"
    return start, end


async def _read_chunks(path: Path, start: int, length: int) -> AsyncIterator[bytes]:
    fh = await asyncio.to_thread(open, path, "rb")
    try:
        await asyncio.to_thread(fh.seek, start)
        left = length
        while left > 0:
            chunk = await asyncio.to_thread(fh.read, min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        await asyncio.to_thread(fh.close)


def file_response(request, name: str, download_name: str, inline: bool) -> HttpResponse:
    try:
        path = storage.absolute(name)
        stat = path.stat()
    except (ValueError, OSError):
        return _not_found("The file is missing on the server.")
    size = stat.st_size
    # The same URL can mean another file later (a new default rendition): a resuming client sends
    # If-Range with this tag and gets the whole new file instead of a splice of two.
    etag = f'"{stat.st_ino:x}-{size:x}-{stat.st_mtime_ns:x}"'
    headers = {"Accept-Ranges": "bytes", "Content-Type": storage.content_type_for(name),
               "Content-Disposition": content_disposition_header(not inline, download_name),
               "X-Content-Type-Options": "nosniff", "ETag": etag,
               "Last-Modified": http_date(stat.st_mtime)}
    if_range = request.headers.get("If-Range")
    range_header = request.headers.get("Range", "") if if_range in (None, etag) else ""
    wanted = parse_range(range_header, size)
    if wanted == "unsatisfiable":
        return HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    start, end = wanted if wanted else (0, size - 1)
    length = max(0, end - start + 1)
    if request.method == "HEAD":
        response = HttpResponse(status=206 if wanted else 200, headers=headers)
        response["Content-Length"] = str(length)
        if wanted:
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
        return response
    response = StreamingHttpResponse(_read_chunks(path, start, length), status=206 if wanted else 200,
                                     headers=headers)
    response["Content-Length"] = str(length)
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def _download_name(video: Video, name: str) -> str:
    return (video.title or "video") + Path(name).suffix


def choose_file(video: Video, variant: str | None, preset: str | None) -> tuple[str, str] | str:
    """(stored name, download name) by the rules, or a message for a 404.
    ?variant=original, ?preset=<slug>, else the user's default preset's rendition, else the original."""
    if variant and variant != "original":
        return f"Unknown variant {variant!r}: use variant=original or preset=<slug>."
    if preset:
        rendition = video.renditions.filter(preset_slug=preset).order_by("-created").first()
        if rendition is None:
            return f"This video has no rendition made with preset {preset!r}."
        return rendition.file.name, _download_name(video, rendition.file.name)
    if not variant:
        rendition = selectors.default_rendition(video)
        if rendition is not None:
            return rendition.file.name, _download_name(video, rendition.file.name)
    if video.original:
        return video.original.name, _download_name(video, video.original.name)
    if variant:
        return "The original of this video was replaced by a compressed rendition."
    rendition = video.renditions.order_by("-created").first()
    if rendition is None:
        return "This video has no file to download."
    return rendition.file.name, _download_name(video, rendition.file.name)


def _unauthenticated() -> JsonResponse:
    return JsonResponse({"detail": "Authentication credentials were not provided.", "code": "not_authenticated"},
                        status=401)


def _is_inline(request) -> bool:
    return request.GET.get("inline") in ("1", "true", "yes")


def _owned(getter):
    """Authenticate (session or token), then fetch the object through its access helper: 401 or
    404 in the API's error shape, else the view is called with the object itself."""
    def decorate(view):
        @functools.wraps(view)
        async def wrapper(request, **kwargs) -> HttpResponse:
            user = await _user(request)
            if user is None:
                return _unauthenticated()
            (object_id,) = kwargs.values()
            try:
                obj = await sync_to_async(getter)(user, object_id)
            except Http404 as exc:
                return _not_found(str(exc))
            return await view(request, obj)
        return require_safe(wrapper)
    return decorate


@_owned(selectors.get_video_for_user)
async def video_download(request, video: Video) -> HttpResponse:
    choice = await sync_to_async(choose_file)(video, request.GET.get("variant"), request.GET.get("preset"))
    if isinstance(choice, str):
        return _not_found(choice)
    return file_response(request, choice[0], choice[1], _is_inline(request))


@_owned(selectors.get_rendition_for_user)
async def rendition_download(request, rendition: Rendition) -> HttpResponse:
    name = f"{rendition.video.title} [{rendition.preset_slug}]{Path(rendition.file.name).suffix}"
    return file_response(request, rendition.file.name, name, _is_inline(request))


@_owned(selectors.get_video_for_user)
async def video_poster(request, video: Video) -> HttpResponse:
    if not video.poster:
        return _not_found("This video has no poster.")
    response = file_response(request, video.poster.name, f"{video.title}.jpg", inline=True)
    response["Cache-Control"] = "private, max-age=3600"
    return response
