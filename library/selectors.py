"""Reads for the library. `get_video_for_user`, `get_rendition_for_user` and `get_upload_for_user`
are the only way pages, API, downloads and consumers reach these objects: another user's is a 404."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min, Q, QuerySet, Sum
from django.http import Http404

from accounts.selectors import user_settings_get
from library.models import Rendition, Upload, Video

MB = 1024 * 1024
SORTS = {"created": "created", "-created": "-created", "title": "title", "-title": "-title", "size": "size",
         "-size": "-size", "duration": "duration", "-duration": "-duration"}


def video_list(*, owner, search: str = "", sort: str = "-created") -> QuerySet[Video]:
    qs = Video.objects.filter(owner=owner).prefetch_related("renditions")
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(original_name__icontains=search))
    return qs.order_by(SORTS.get(sort, "-created"), "-id")


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


def get_upload_for_user(user, upload_id) -> Upload:
    try:
        return Upload.objects.get(pk=uuid.UUID(str(upload_id)), owner_id=user.pk)
    except (Upload.DoesNotExist, ValueError):
        raise Http404("No such upload.") from None


def quota_bytes(user) -> int:
    quota_mb = user_settings_get(user=user).quota_mb
    return (settings.QUOTA_MB if quota_mb is None else quota_mb) * MB


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * MB


def space_used(user) -> int:
    """Originals kept + renditions + what uploads in progress have declared they will send."""
    originals = Video.objects.filter(owner=user).exclude(original="").aggregate(s=Sum("size"))["s"] or 0
    renditions = Rendition.objects.filter(video__owner=user).aggregate(s=Sum("size"))["s"] or 0
    pending = Upload.objects.filter(owner=user, completed=False).aggregate(s=Sum("length"))["s"] or 0
    return originals + renditions + pending


def space_saved(video: Video) -> int:
    """What the smallest rendition saves against the original (0 without renditions)."""
    sizes = [r.size for r in video.renditions.all()]
    return max(0, video.size - min(sizes)) if sizes else 0


@dataclass(frozen=True)
class LibraryTotals:
    count: int
    originals: int
    renditions: int
    saved: int
    used: int
    quota: int

    @property
    def percent(self) -> float:
        return min(100.0, 100.0 * self.used / self.quota) if self.quota else 100.0


def library_totals(*, owner) -> LibraryTotals:
    videos = Video.objects.filter(owner=owner)
    originals = videos.exclude(original="").aggregate(s=Sum("size"))["s"] or 0
    renditions = Rendition.objects.filter(video__owner=owner).aggregate(s=Sum("size"))["s"] or 0
    smallest = videos.annotate(smallest=Min("renditions__size")).exclude(smallest=None).values_list("size", "smallest")
    saved = sum(max(0, size - small) for size, small in smallest)
    return LibraryTotals(count=videos.count(), originals=originals, renditions=renditions, saved=saved,
                         used=space_used(owner), quota=quota_bytes(owner))


def default_rendition(video: Video) -> Rendition | None:
    """The rendition made with the owner's default preset, if one exists."""
    preset = user_settings_get(user=video.owner).default_preset
    if preset is None:
        return None
    return video.renditions.filter(preset_slug=preset.slug).order_by("-created").first()
