"""Reads for streaming. `get_destination_for_user` and `get_stream_for_user` are the only way pages,
API and workers reach these objects on behalf of a user: another user's object is a 404."""

from django.db.models import QuerySet
from django.http import Http404

from streaming.models import ACTIVE_STATES, Destination, Stream


def destination_list(*, owner) -> QuerySet[Destination]:
    return Destination.objects.filter(owner=owner)


def get_destination_for_user(user, destination_id) -> Destination:
    try:
        return Destination.objects.get(pk=int(destination_id), owner_id=user.pk)
    except (Destination.DoesNotExist, TypeError, ValueError):
        raise Http404("No such destination.") from None


def stream_list(*, owner) -> QuerySet[Stream]:
    return Stream.objects.filter(owner=owner).select_related("video", "rendition").prefetch_related("targets")


def get_stream_for_user(user, stream_id) -> Stream:
    try:
        return stream_list(owner=user).get(pk=int(stream_id))
    except (Stream.DoesNotExist, TypeError, ValueError):
        raise Http404("No such stream.") from None


def active_stream_count(*, owner=None) -> int:
    qs = Stream.objects.filter(state__in=ACTIVE_STATES)
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs.count()
