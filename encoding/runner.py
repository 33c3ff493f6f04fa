"""Running one claimed job in a worker: probe, encode to a temp file, verify, rename into place.

The original is only ever read here. Whatever goes wrong, the temp file is removed and the job
ends failed with a short reason (or cancelled), never "running".
"""

import logging
import os
import time
from pathlib import Path

from django.conf import settings

from encoding import services
from encoding.models import Job
from encoding.presets import preset_spec
from encoding.selectors import busy_slots
from library import storage
from mediaportal.ffmpeg import ffmpeg_binary
from mediaportal.lib.media import (
    Cancelled, FFmpegError, FFmpegNotFound, Progress, ProbeError, VerifyError, encode_command, probe, run_ffmpeg,
    verify_output,
)

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.3  # seconds between progress events: a few per second at most
CANCEL_CHECK_INTERVAL = 0.5
HEARTBEAT_INTERVAL = 2.0
STALL_SECONDS = 600  # no ffmpeg output for this long: stalled (settings.ENCODING_STALL_SECONDS)


class JobAbort(Exception):
    """The job cannot run; the message is the reason shown to the user."""


def ffmpeg_threads(running: int) -> int:
    """Share the CPUs between the encodes running at once (counting those handed to a worker and
    about to start, so the first of a batch does not take every core)."""
    return max(1, (os.cpu_count() or 1) // max(1, min(settings.WORKERS, running)))


def source_path(job: Job) -> Path:
    """The original if it is still there, else the newest rendition (the original was replaced)."""
    video = job.video
    if video.original:
        return storage.absolute(video.original.name)
    newest = video.renditions.order_by("-created").first()
    if newest is None:
        raise JobAbort("the original file is gone and there is no rendition to encode from")
    return storage.absolute(newest.file.name)


class _Watch:
    """should_cancel for run_ffmpeg: reads the DB at most every CANCEL_CHECK_INTERVAL and writes a
    heartbeat every HEARTBEAT_INTERVAL, so a quiet encoder still looks alive."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.checked = self.beat = time.monotonic()
        self.stop = False

    def __call__(self) -> bool:
        now = time.monotonic()
        if now - self.beat >= HEARTBEAT_INTERVAL:
            self.beat = self.checked = now
            self.stop = services.job_heartbeat(job_id=self.job_id)
        elif now - self.checked >= CANCEL_CHECK_INTERVAL:
            self.checked = now
            self.stop = services.job_should_stop(job_id=self.job_id)
        return self.stop

    def progress(self, progress: Progress) -> None:
        self.beat = time.monotonic()
        services.job_progress(job_id=self.job_id, progress=progress)


def job_run(*, job_id: int) -> str:
    """Claim and run one job; returns its final state."""
    job = services.job_claim(job_id=job_id)
    if job is None:
        services.jobs_dispatch()
        return "skipped"
    tmp = services.temp_path(job.output_name) if job.output_name else None
    final = storage.absolute(job.output_name) if job.output_name else None
    try:
        if job.preset is None:
            raise JobAbort(f"the preset {job.preset_slug!r} was deleted")
        src = source_path(job)
        try:
            spec = preset_spec(job.preset)
        except ValueError as exc:
            raise JobAbort(f"the preset {job.preset_slug!r} is invalid: {exc}") from None
        source = probe(src)
        try:
            threads = ffmpeg_threads(sum(busy_slots().values()))
            args = encode_command(ffmpeg_binary(), src, tmp, spec, source, threads=threads)
        except ValueError as exc:
            raise JobAbort(str(exc)) from None
        watch = _Watch(job.pk)
        run_ffmpeg(args, source.duration, on_progress=watch.progress, should_cancel=watch,
                   stall_timeout=getattr(settings, "ENCODING_STALL_SECONDS", STALL_SECONDS),
                   min_interval=PROGRESS_INTERVAL)
        info = verify_output(tmp, source, spec)
        os.replace(tmp, final)
        if services.job_succeed(job_id=job.pk, info=info) is None:
            final.unlink(missing_ok=True)  # cancelled or taken away at the last moment
            services.job_cancelled(job_id=job.pk)
            return Job.objects.filter(pk=job.pk).values_list("state", flat=True).first() or "gone"
        return Job.State.SUCCEEDED
    except Cancelled:
        services.job_cancelled(job_id=job.pk)
        return Job.State.CANCELLED
    except (FFmpegError, VerifyError) as exc:
        reason = exc.reason
    except ProbeError as exc:
        reason = f"cannot read the source: {exc}"
    except (JobAbort, FFmpegNotFound) as exc:
        reason = str(exc)
    except Exception as exc:  # a bug must still end the job, not leave it running
        logger.exception("encode job %s crashed", job.pk)
        reason = f"internal error: {type(exc).__name__}"
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    services.job_fail(job_id=job.pk, reason=reason)
    return Job.State.FAILED
