"""Reads for the library. `get_video_for_user` and `get_rendition_for_user` are the only way
pages, API, downloads and consumers reach a video: another user's object is a 404."""

from django.db.models import QuerySet
from django.http import Http404

from library.models import Rendition, Video


def video_list(*, owner) -> QuerySet[Video]:
    return Video.objects.filter(owner=owner).prefetch_related("renditions")


def get_video_for_user(user, video_id) -> Video:
    try:
        return Video.objects.get(pk=int(video_id), owner_id=user.pk)
    except (Video.DoesNotExist, TypeError, ValueError):
        raise Http404("No such video.") from None


def get_rendition_for_user(user, rendition_id) -> Rendition:
    try:
        return Rendition.objects.select_related("video").get(pk=int(rendition_id), video__owner_id=user.pk)
    except (Rendition.DoesNotExist, TypeError, ValueError):
        raise Http404("No such rendition.") from None
