"""Library pages: the list (upload zone, search, sort, rename, delete) and the watch page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from encoding.models import Preset
from library import selectors, services

SORT_CHOICES = [("-created", "Newest"), ("created", "Oldest"), ("title", "Title"), ("-size", "Largest"),
                ("size", "Smallest"), ("-duration", "Longest"), ("duration", "Shortest")]


def _rows(videos) -> list[dict]:
    return [{"video": v, "renditions": list(v.renditions.all()), "saved": selectors.space_saved(v)} for v in videos]


@login_required
def library_page(request):
    q = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "-created")
    context = {
        "rows": _rows(selectors.video_list(owner=request.user, search=q, sort=sort)),
        "q": q, "sort": sort if sort in selectors.SORTS else "-created", "sort_choices": SORT_CHOICES,
        "totals": selectors.library_totals(owner=request.user),
        "presets": Preset.objects.filter(is_active=True),
        "max_upload": selectors.max_upload_bytes(),
    }
    template = "library/_list.html" if request.GET.get("fragment") else "library/library.html"
    return render(request, template, context)


@login_required
def video_watch(request, video_id: int):
    video = selectors.get_video_for_user(request.user, video_id)
    renditions = list(video.renditions.all())
    return render(request, "library/watch.html", {
        "video": video, "renditions": renditions, "saved": selectors.space_saved(video),
        "default": selectors.default_rendition(video),
    })


@login_required
@require_POST
def video_rename(request, video_id: int):
    video = selectors.get_video_for_user(request.user, video_id)
    try:
        services.video_rename(video=video, title=request.POST.get("title", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.message_dict.get("title", exc.messages)))
    else:
        messages.success(request, f"Renamed to “{video.title}”.")
    if request.POST.get("next") == "watch":
        return redirect("video-watch", video_id=video.pk)
    return redirect("library")


@login_required
@require_POST
def video_delete(request, video_id: int):
    video = selectors.get_video_for_user(request.user, video_id)
    title = video.title
    services.video_delete(video=video)
    messages.success(request, f"Deleted “{title}” and its files.")
    return redirect("library")
