"""Reads for encoding. `get_job_for_user` is the only way pages, API and admin actions reach a
job on a user's behalf: another user's job is a 404.

The fair order decides both which queued job a free worker takes next (services.jobs_dispatch)
and the queue position users see, so the two never disagree.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import UserSettings
from encoding.models import Job, Preset


def preset_list() -> QuerySet[Preset]:
    return Preset.objects.filter(is_active=True)


def job_list(*, owner, state: str | None = None, video_id: int | None = None) -> QuerySet[Job]:
    qs = Job.objects.filter(owner=owner).select_related("video")
    if state:
        qs = qs.filter(state=state)
    if video_id is not None:
        qs = qs.filter(video_id=video_id)
    return qs.order_by("-created", "-id")


def get_job_for_user(user, job_id) -> Job:
    try:
        return Job.objects.select_related("video", "preset").get(pk=int(job_id), owner_id=user.pk)
    except (Job.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404("No such job.") from None


def running_limit(owner_id: int) -> int:
    value = UserSettings.objects.filter(user_id=owner_id).values_list("max_running_jobs", flat=True).first()
    return value or settings.MAX_JOBS_PER_USER


def busy_slots() -> dict[int, int]:
    """Per owner: jobs running plus queued jobs already handed to the task queue."""
    rows = (
        Job.objects.filter(Q(state=Job.State.RUNNING) | Q(state=Job.State.QUEUED, dispatched__isnull=False))
        .values("owner_id")
        .annotate(n=Count("id"))
    )
    return {row["owner_id"]: row["n"] for row in rows}


def fair_order(waiting: Iterable[Job], busy: dict[int, int]) -> list[Job]:
    """Round-robin by owner: the owner with the fewest jobs in progress goes first, ties go to the
    oldest waiting job. One user's fifty queued jobs interleave with everyone else's."""
    per_owner: dict[int, list[Job]] = defaultdict(list)
    for job in sorted(waiting, key=lambda j: (j.created, j.pk)):
        per_owner[job.owner_id].append(job)
    load = {owner: busy.get(owner, 0) for owner in per_owner}
    order: list[Job] = []
    while per_owner:
        owner = min(per_owner, key=lambda o: (load[o], per_owner[o][0].created, per_owner[o][0].pk))
        order.append(per_owner[owner].pop(0))
        load[owner] += 1
        if not per_owner[owner]:
            del per_owner[owner]
    return order


def waiting_jobs() -> QuerySet[Job]:
    """Queued jobs not yet handed to a worker."""
    return Job.objects.filter(state=Job.State.QUEUED, dispatched__isnull=True)


def job_event_data(job: Job) -> dict:
    """The `job` status event and the API's job shape (contracts.md)."""
    return {
        "id": job.pk,
        "video": job.video_id,
        "preset": job.preset_slug,
        "state": job.state,
        "progress": round(job.progress, 1),
        "fps": job.fps,
        "speed": job.speed,
        "eta": None if job.eta is None else round(job.eta, 1),
        "error": job.error,
        "rendition": job.rendition_id,
        "queue_position": job.queue_position if job.state == Job.State.QUEUED else None,
    }


def active_job_exists(*, video_id: int, preset_slug: str) -> bool:
    return Job.objects.filter(video_id=video_id, preset_slug=preset_slug, state__in=Job.ACTIVE).exists()
