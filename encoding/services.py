"""Writes for encoding jobs: every state change goes through here, and each one is pushed to the
owner's status socket after it commits.

Life of a job: job_create (queued) -> jobs_dispatch hands it to a worker when a slot and the
owner's running limit allow -> job_claim (running) -> job_progress ... -> job_succeed / job_fail /
job_cancelled. jobs_recover_stale puts back what a dead worker left running.
"""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.selectors import user_settings_get
from encoding.models import Job, Preset
from encoding.presets import extension
from encoding.selectors import busy_slots, fair_order, job_event_data, running_limit, waiting_jobs
from library import storage
from library.models import Rendition, Video
from library.selectors import MB, quota_bytes, space_used
from mediaportal.events import EventKind, send_user_event
from mediaportal.lib.media import MediaInfo, Progress

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A worker that has not written a heartbeat for this long is taken for dead (it writes one every
# couple of seconds while ffmpeg runs); settings.ENCODING_STALE_SECONDS overrides it.
STALE_SECONDS = 30
# A job handed to the task queue that no worker picked up for this long is handed out again.
DISPATCH_STALE_SECONDS = 600


class JobError(Exception):
    code = "job_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PresetUnavailable(JobError):
    code = "preset_unavailable"


class JobConflict(JobError):
    code = "job_exists"


class OverQuota(JobError):
    code = "quota_exceeded"


class JobStateError(JobError):
    code = "job_state"


def _announce(job_id: int) -> None:
    """Send the job's current row to its owner once the surrounding transaction commits."""

    def send() -> None:
        job = Job.objects.filter(pk=job_id).first()
        if job is not None:
            try:
                send_user_event(job.owner_id, EventKind.JOB, job_event_data(job))
            except Exception:  # a broken channel layer must not fail an encode
                logger.exception("could not send job event %s", job_id)

    transaction.on_commit(send)


def _enqueue(job_id: int) -> None:
    from django_q.tasks import async_task

    async_task("encoding.tasks.run_job", job_id, task_name=f"encode-job-{job_id}", group="encoding")


def _after_commit_dispatch() -> None:
    transaction.on_commit(jobs_dispatch)


def preset_get_active(slug: str) -> Preset:
    preset = Preset.objects.filter(slug=slug, is_active=True).first()
    if preset is None:
        raise PresetUnavailable(f"Unknown or inactive preset: {slug!r}.")
    return preset


@transaction.atomic
def job_create(*, owner, video: Video, preset: Preset) -> Job:
    if video.owner_id != owner.pk:
        raise JobError("That video belongs to someone else.")  # callers look videos up per user first
    if not preset.is_active:
        raise PresetUnavailable(f"Unknown or inactive preset: {preset.slug!r}.")
    if Job.objects.filter(video=video, preset_slug=preset.slug, state__in=Job.ACTIVE).exists():
        raise JobConflict(f"This video is already queued or encoding with {preset.slug!r}.")
    # A rendition's size is unknown until it exists; refuse only when the quota is already used up.
    used, quota = space_used(owner), quota_bytes(owner)
    if used >= quota:
        raise OverQuota(f"Your storage is full ({used / MB:.1f} MB of {quota / MB:.1f} MB): "
                        "delete videos or renditions before encoding more.")
    job = Job.objects.create(owner=owner, video=video, preset=preset, preset_slug=preset.slug)
    _announce(job.pk)
    _after_commit_dispatch()
    return job


def jobs_dispatch() -> list[int]:
    """Hand queued jobs to the task queue while worker slots are free, fairly between users, and
    refresh everyone's queue position. Returns the ids handed out."""
    handed: list[int] = []
    with transaction.atomic():
        # Lock first, count second: a dispatcher in another process waits here and then sees
        # what this one handed out (SQLite's IMMEDIATE transactions serialise it anyway).
        waiting = list(waiting_jobs().select_for_update().only("pk", "owner_id", "created", "queue_position"))
        busy = busy_slots()
        free = settings.WORKERS - sum(busy.values())
        limits: dict[int, int] = {}
        load = dict(busy)
        now = timezone.now()
        for job in fair_order(waiting, busy):
            if free <= 0:
                break
            owner = job.owner_id
            limit = limits.setdefault(owner, running_limit(owner))
            if load.get(owner, 0) >= limit:
                continue
            claimed = Job.objects.filter(pk=job.pk, state=Job.State.QUEUED, dispatched__isnull=True).update(
                dispatched=now, queue_position=0
            )
            if claimed:
                handed.append(job.pk)
                load[owner] = load.get(owner, 0) + 1
                free -= 1
                _announce(job.pk)
                transaction.on_commit(lambda pk=job.pk: _enqueue(pk))
        rest = [job for job in waiting if job.pk not in handed]
        for place, job in enumerate(fair_order(rest, load), 1):
            if job.queue_position != place:
                Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(queue_position=place)
                _announce(job.pk)
    return handed


def _new_output_name(job: Job) -> str:
    folder = storage.user_dir(job.owner_id, "renditions")
    return storage.relative(folder / storage.new_name(extension(job.preset)))


def temp_path(output_name: str):
    """Where an encode is written before it is verified: beside its final name, so the rename is atomic."""
    final = storage.absolute(output_name)
    return final.with_name(".tmp-" + final.name)


def job_claim(*, job_id: int) -> Job | None:
    """Take a queued job for this worker; None if it was cancelled or another worker has it."""
    job = Job.objects.select_related("preset").filter(pk=job_id).first()
    if job is None or job.state != Job.State.QUEUED:
        return None
    output_name = _new_output_name(job) if job.preset is not None else ""
    now = timezone.now()
    with transaction.atomic():
        taken = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING, started=now, heartbeat=now, attempts=F("attempts") + 1,
            worker_host=socket.gethostname(), worker_pid=os.getpid(), output_name=output_name,
            progress=0, fps=None, speed=None, eta=None, queue_position=None, dispatched=None,
        )
        if taken != 1:
            return None
        _announce(job_id)
    job.refresh_from_db()
    return job


def job_progress(*, job_id: int, progress: Progress) -> None:
    values = {"heartbeat": timezone.now(), "fps": progress.fps, "speed": progress.speed, "eta": progress.eta_seconds}
    with transaction.atomic():
        updated = Job.objects.filter(pk=job_id, state=Job.State.RUNNING)
        if progress.percent is not None:
            # Never backwards: a late block must not make the bar jump back.
            updated.filter(progress__lt=progress.percent).update(progress=progress.percent)
        if updated.update(**values):
            _announce(job_id)


def job_heartbeat(*, job_id: int) -> bool:
    """Record that the worker is alive; True if the job should stop (cancelled or taken away)."""
    Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(heartbeat=timezone.now())
    return job_should_stop(job_id=job_id)


def job_should_stop(*, job_id: int) -> bool:
    row = Job.objects.filter(pk=job_id).values_list("state", "cancel_requested").first()
    return row is None or row[0] != Job.State.RUNNING or row[1]


def _media_fields(info: MediaInfo) -> dict:
    return {
        "container": info.container, "duration": info.duration, "width": info.width, "height": info.height,
        "fps": info.fps, "video_codec": info.video_codec or "", "audio_codec": info.audio_codec or "",
        "bit_rate": info.bit_rate, "size": info.size, "probe": info.to_dict(),
    }


def job_succeed(*, job_id: int, info: MediaInfo) -> Rendition | None:
    """Record the verified file already moved to job.output_name as a Rendition. Replaces the
    original only now, if the owner asked for that. None if the job was taken away meanwhile
    (the caller then removes the file)."""
    delete_after_commit: list[str] = []
    with transaction.atomic():
        job = Job.objects.select_related("video", "preset").filter(pk=job_id, state=Job.State.RUNNING).first()
        if job is None or job.cancel_requested:
            return None
        rendition = Rendition.objects.create(
            video=job.video, preset=job.preset, preset_slug=job.preset_slug, file=job.output_name,
            **_media_fields(info),
        )
        Job.objects.filter(pk=job_id).update(
            state=Job.State.SUCCEEDED, progress=100, eta=0, finished=timezone.now(), rendition=rendition,
            error="", heartbeat=timezone.now(),
        )
        keep = user_settings_get(user=job.owner).keep_original
        video = Video.objects.select_for_update().get(pk=job.video_id)
        if not keep and video.original:
            # The rendition row exists in this same transaction: the file goes once it commits.
            delete_after_commit.append(video.original.name)
            Video.objects.filter(pk=video.pk).update(original="", updated=timezone.now())
        _announce(job_id)
        transaction.on_commit(lambda: _announce_video(job.owner_id, job.video_id))
        _after_commit_dispatch()
    for name in delete_after_commit:
        try:
            storage.absolute(name).unlink(missing_ok=True)
        except OSError:
            logger.exception("could not delete replaced original %s", name)
    return rendition


def _announce_video(owner_id: int, video_id: int) -> None:
    try:
        send_user_event(owner_id, EventKind.VIDEO, {"id": video_id, "action": "updated"})
    except Exception:
        logger.exception("could not send video event %s", video_id)


def job_fail(*, job_id: int, reason: str) -> None:
    with transaction.atomic():
        done = Job.objects.filter(pk=job_id, state__in=Job.ACTIVE).update(
            state=Job.State.FAILED, error=reason[:400], finished=timezone.now(), eta=None, queue_position=None,
            dispatched=None,
        )
        if done:
            _announce(job_id)
        _after_commit_dispatch()


def job_cancelled(*, job_id: int) -> None:
    """The worker stopped ffmpeg because cancel was asked for."""
    with transaction.atomic():
        if Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
            state=Job.State.CANCELLED, finished=timezone.now(), eta=None
        ):
            _announce(job_id)
        _after_commit_dispatch()


@transaction.atomic
def job_cancel(*, job: Job) -> Job:
    """Queued: cancelled at once. Running: the worker sees cancel_requested, kills ffmpeg, removes
    its partial file and marks it cancelled."""
    if Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
        state=Job.State.CANCELLED, finished=timezone.now(), queue_position=None, dispatched=None
    ):
        _after_commit_dispatch()
    elif not Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(cancel_requested=True):
        raise JobStateError(f"A {Job.objects.get(pk=job.pk).state} job cannot be cancelled.")
    _announce(job.pk)
    job.refresh_from_db()
    return job


def job_retry(*, job: Job) -> Job:
    """A failed or cancelled job runs again as a new job (the old one keeps its error)."""
    if job.state not in (Job.State.FAILED, Job.State.CANCELLED):
        raise JobStateError(f"Only failed or cancelled jobs can be retried; this one is {job.state}.")
    preset = preset_get_active(job.preset_slug)
    return job_create(owner=job.owner, video=job.video, preset=preset)


def _pid_alive(pid: int) -> bool:
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    # A zombie is dead; its parent just has not reaped it yet.
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _remove_temp(output_name: str) -> None:
    if output_name:
        try:
            temp_path(output_name).unlink(missing_ok=True)
        except (OSError, ValueError):
            logger.exception("could not remove temp file for %s", output_name)


def jobs_recover_stale(*, stale_after: float | None = None) -> list[int]:
    """Put back jobs whose worker died (kill -9, OOM, power loss): re-queued, or failed after
    MAX_ATTEMPTS. Never touches originals; removes the half-written temp file."""
    if stale_after is None:
        stale_after = getattr(settings, "ENCODING_STALE_SECONDS", STALE_SECONDS)
    now = timezone.now()
    host = socket.gethostname()
    recovered: list[int] = []
    for job in Job.objects.filter(state=Job.State.RUNNING):
        dead_here = job.worker_host == host and job.worker_pid and not _pid_alive(job.worker_pid)
        silent = job.heartbeat is None or job.heartbeat < now - timedelta(seconds=stale_after)
        if not (dead_here or silent):
            continue
        with transaction.atomic():
            base = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, heartbeat=job.heartbeat)
            if job.cancel_requested:
                changed = base.update(state=Job.State.CANCELLED, finished=now, eta=None)
            elif job.attempts >= MAX_ATTEMPTS:
                changed = base.update(state=Job.State.FAILED, finished=now, eta=None,
                                      error=f"worker died {job.attempts} times")
            else:
                changed = base.update(state=Job.State.QUEUED, progress=0, fps=None, speed=None, eta=None,
                                      dispatched=None, error="worker stopped; re-queued")
            if changed:
                recovered.append(job.pk)
                _announce(job.pk)
        if changed:
            _remove_temp(job.output_name)
    lost = now - timedelta(seconds=DISPATCH_STALE_SECONDS)
    Job.objects.filter(state=Job.State.QUEUED, dispatched__lt=lost).update(dispatched=None)
    jobs_dispatch()
    return recovered


def on_video_uploaded(*, video: Video, preset_slug: str | None) -> Job | None:
    """Called by the library once a new upload is stored and probed.

    preset_slug is the per-upload override (tus metadata or form field), already validated;
    None means "follow the user's settings" (auto-encode with the default preset, or nothing).
    """
    try:
        if preset_slug:
            preset = preset_get_active(preset_slug)
        else:
            prefs = user_settings_get(user=video.owner)
            if not prefs.auto_encode or prefs.default_preset is None or not prefs.default_preset.is_active:
                return None
            preset = prefs.default_preset
        return job_create(owner=video.owner, video=video, preset=preset)
    except JobError as exc:
        # The upload itself succeeded; a refused job must not turn it into an error, but the
        # user who expected an encode is told why there is none.
        logger.warning("no encode for video %s: %s", video.pk, exc.message)
        send_user_event(video.owner_id, EventKind.NOTICE,
                        {"level": "error", "message": f"“{video.title}” was stored but not encoded: {exc.message}"})
        return None
