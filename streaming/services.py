"""Writes for streaming: destinations, and starting/stopping streams (the run itself is in worker.py)."""

import logging
import os
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException

from accounts.selectors import user_settings_get
from library.models import Rendition, Video
from library.storage import absolute
from mediaportal.events import EventKind, send_user_event
from streaming import crypto
from streaming.models import ACTIVE_STATES, Destination, Stream, StreamState, StreamTarget
from streaming.selectors import active_stream_count
from streaming.validators import validate_ingest_url, validate_stream_key

logger = logging.getLogger(__name__)
# A worker writes a heartbeat every few seconds; silence this long means nobody runs the stream.
STALE_AFTER = timedelta(seconds=60)


class StreamLimitReached(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "stream_limit"
    default_detail = "You have reached your limit of streams running at once."


class InstanceBusy(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "instance_busy"
    default_detail = "This server is already running as many streams as it can."


class SourceMissing(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "missing_file"
    default_detail = "The file to stream is missing."


def _clean_destination(*, name: str, platform: str, url: str, stream_key: str | None, is_new: bool) -> dict:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Give the destination a name."]
    elif len(name) > 80:
        errors["name"] = ["A name has at most 80 characters."]
    if platform not in Destination.Platform.values:
        errors["platform"] = ["Choose youtube, twitch or custom."]
    clean_url = ""
    if platform == Destination.Platform.CUSTOM:
        try:
            clean_url = validate_ingest_url(url)
        except ValidationError as exc:
            errors["url"] = exc.messages
    elif url:
        errors["url"] = ["The URL is set for you for YouTube and Twitch; leave it empty."]
    if stream_key is not None or is_new:
        try:
            validate_stream_key(stream_key or "")
        except ValidationError as exc:
            errors["stream_key"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {"name": name, "url": clean_url}


@transaction.atomic
def destination_create(*, owner, name: str, platform: str, stream_key: str, url: str = "",
                       secure: bool = True) -> Destination:
    clean = _clean_destination(name=name, platform=platform, url=url, stream_key=stream_key, is_new=True)
    if Destination.objects.filter(owner=owner, name=clean["name"]).exists():
        raise ValidationError({"name": ["You already have a destination with this name."]})
    return Destination.objects.create(owner=owner, platform=platform, secure=secure,
                                      stream_key_encrypted=crypto.encrypt(stream_key), **clean)


@transaction.atomic
def destination_update(*, destination: Destination, name: str | None = None, platform: str | None = None,
                       url: str | None = None, secure: bool | None = None,
                       stream_key: str | None = None) -> Destination:
    """None leaves a field as it is; an empty or missing stream_key keeps the stored key."""
    platform = destination.platform if platform is None else platform
    if url is None:
        url = destination.url if platform == Destination.Platform.CUSTOM else ""
    name = destination.name if name is None else name
    stream_key = stream_key or None
    clean = _clean_destination(name=name, platform=platform, url=url, stream_key=stream_key, is_new=False)
    if Destination.objects.filter(owner=destination.owner, name=clean["name"]).exclude(pk=destination.pk).exists():
        raise ValidationError({"name": ["You already have a destination with this name."]})
    destination.name, destination.url, destination.platform = clean["name"], clean["url"], platform
    if secure is not None:
        destination.secure = secure
    if stream_key is not None:
        destination.stream_key_encrypted = crypto.encrypt(stream_key)
    destination.save()
    return destination


@transaction.atomic
def destination_delete(*, destination: Destination) -> None:
    destination.delete()


def stream_source(*, video: Video, rendition: Rendition | None) -> str:
    """Absolute path of the file to stream; the original unless a rendition is picked (or the
    original was replaced, then the newest rendition)."""
    if rendition is None and not video.original:
        rendition = video.renditions.order_by("-created").first()
    field = rendition.file if rendition is not None else video.original
    try:
        path = absolute(field.name) if field else ""
    except ValueError:  # a stored name pointing outside the media root is as good as missing
        path = ""
    if not path or not os.path.isfile(path):
        raise SourceMissing(f"The file of “{video.title}” is missing on the server; it cannot be streamed.")
    return str(path)


def _limits(owner) -> tuple[int, int]:
    per_user = user_settings_get(user=owner).max_streams or settings.MAX_STREAMS_PER_USER
    return per_user, settings.MAX_STREAMS


def stream_event(stream: Stream) -> dict:
    return {
        "id": stream.pk,
        "state": stream.state,
        "elapsed": round(stream.elapsed, 1),
        "bitrate_kbps": stream.bitrate_kbps,
        "fps": stream.fps,
        "speed": stream.speed,
        "error": stream.error,
        "destinations": [{"id": t.pk, "name": t.name, "state": t.state} for t in stream.targets.all()],
    }


def stream_notify(stream: Stream) -> None:
    try:
        send_user_event(stream.owner_id, EventKind.STREAM, stream_event(stream))
    except Exception:  # status is a courtesy; the stream itself must go on
        logger.warning("could not send the status of stream %s", stream.pk, exc_info=True)


def stream_start(*, owner, video: Video, rendition: Rendition | None, destinations: list[Destination],
                 loop: bool) -> Stream:
    """Create the stream (state starting) and hand it to a stream worker once committed."""
    if not destinations:
        raise ValidationError({"destinations": ["Pick at least one destination."]})
    if any(d.owner_id != owner.pk for d in destinations) or video.owner_id != owner.pk:
        raise ValidationError("You can only stream your own files to your own destinations.")
    if rendition is not None and rendition.video_id != video.pk:
        raise ValidationError({"rendition": ["This rendition belongs to another video."]})
    missing_key = [d.name for d in destinations if not d.stream_key_set]
    if missing_key:
        raise ValidationError({"destinations": [f"Set a stream key for {', '.join(missing_key)} first."]})
    stream_source(video=video, rendition=rendition)
    # The limits count active streams: one whose worker died must not hold a slot until the
    # minute's schedule gets to it.
    stream_reap_stale()
    with transaction.atomic():
        # Lock the owner's row so two quick clicks cannot both pass the per-user limit.
        get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
        per_user, per_instance = _limits(owner)
        running = active_stream_count(owner=owner)
        if running >= per_user:
            raise StreamLimitReached(
                f"You already have {running} stream{'s' if running != 1 else ''} running "
                f"(your limit is {per_user}); stop one first.")
        if active_stream_count() >= per_instance:
            raise InstanceBusy(f"This server is already running its maximum of {per_instance} streams; "
                               "try again when one has ended.")
        unique = list(dict.fromkeys(destinations))
        stream = Stream.objects.create(owner=owner, video=video, rendition=rendition, loop=loop,
                                       title=video.title, heartbeat=timezone.now())
        StreamTarget.objects.bulk_create(
            StreamTarget(stream=stream, destination=d, name=d.name, position=i) for i, d in enumerate(unique)
        )
        transaction.on_commit(lambda: _enqueue(stream.pk))
    stream_notify(stream)
    return stream


def _enqueue(stream_id: int) -> None:
    from streaming.tasks import enqueue_stream

    enqueue_stream(stream_id)


def stream_stop(*, stream: Stream) -> Stream:
    """Ask the worker to stop; a stream no worker has picked up yet stops at once."""
    if not stream.is_active:
        return stream
    Stream.objects.filter(pk=stream.pk).update(stop_requested=True)
    # Conditional update: if a worker claims it at the same moment, exactly one of us wins
    # (the worker only claims a stream whose stop_requested is still False).
    if Stream.objects.filter(pk=stream.pk, state=StreamState.STARTING, worker_pid__isnull=True).update(
            state=StreamState.STOPPED, ended=timezone.now()):
        StreamTarget.objects.filter(stream_id=stream.pk).exclude(state=StreamTarget.State.FAILED).update(
            state=StreamTarget.State.ENDED)
    stream.refresh_from_db()
    stream_notify(stream)
    return stream


def _fail_active(queryset, reason: str) -> int:
    ids = list(queryset.values_list("pk", flat=True))
    now = timezone.now()
    count = Stream.objects.filter(pk__in=ids, state__in=ACTIVE_STATES).update(
        state=StreamState.FAILED, error=reason, ended=now)
    StreamTarget.objects.filter(stream_id__in=ids).exclude(state=StreamTarget.State.FAILED).update(
        state=StreamTarget.State.FAILED)
    for stream in Stream.objects.filter(pk__in=ids).prefetch_related("targets"):
        stream_notify(stream)
    return count


def stream_reap_stale() -> int:
    """Streams whose worker went silent are not live: mark them failed."""
    cutoff = timezone.now() - STALE_AFTER
    stale = Stream.objects.filter(state__in=ACTIVE_STATES, heartbeat__lt=cutoff)
    return _fail_active(stale, "the stream worker stopped answering (no stream worker running?)")


def stream_recover_after_restart() -> int:
    """At start-up no stream can still be running: whatever claims to be is marked failed."""
    return _fail_active(Stream.objects.filter(state__in=ACTIVE_STATES), "the platform restarted")
