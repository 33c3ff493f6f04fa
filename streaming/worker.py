"""Running one stream inside a stream worker: claim it, start ffmpeg, report, end it.

The full ingest URL (with the key) exists only in this process's memory while ffmpeg runs;
everything stored, logged or sent is redacted first.
"""

import logging
import os
import queue
import time

from django.conf import settings
from django.utils import timezone

from mediaportal.ffmpeg import ffmpeg_binary
from mediaportal.lib.media import (Cancelled, FFmpegError, FFmpegNotFound, ProbeError, Progress, can_stream_copy,
                                   probe, run_ffmpeg, stream_command)
from streaming import crypto
from streaming.diagnose import TeeWatcher, redact
from streaming.models import Stream, StreamState, StreamTarget
from streaming.services import SourceMissing, stream_notify, stream_source
from streaming.spec import stream_spec

logger = logging.getLogger(__name__)
STOP_POLL = 0.5  # seconds between reads of stop_requested
HEARTBEAT = 2.0  # seconds between writes of the stream's row while it runs


def _settings_seconds(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def _claim(stream_id: int) -> bool:
    now = timezone.now()
    return bool(Stream.objects.filter(
        pk=stream_id, state=StreamState.STARTING, worker_pid__isnull=True, stop_requested=False,
    ).update(worker_pid=os.getpid(), heartbeat=now, started=now))


class _Run:
    """State shared by ffmpeg's callbacks for one stream."""

    def __init__(self, stream: Stream, targets: list[StreamTarget], urls: list[str], secrets: list[str],
                 nominal_kbps: float | None, max_seconds: float):
        self.stream, self.targets, self.secrets = stream, targets, secrets
        self.watcher = TeeWatcher(urls, secrets)
        self.failed_outputs: queue.Queue[int] = queue.Queue()  # from the stderr thread
        self.nominal_kbps = nominal_kbps
        self.began = time.monotonic()
        self.max_seconds = max_seconds
        self.timed_out = False
        self.last_poll = self.last_save = 0.0

    def on_stderr(self, line: str) -> None:
        for index in self.watcher.feed(line):
            self.failed_outputs.put(index)

    def _apply_failures(self) -> bool:
        changed = False
        while True:
            try:
                index = self.failed_outputs.get_nowait()
            except queue.Empty:
                return changed
            target = self.targets[index]
            target.state, target.error = StreamTarget.State.FAILED, self.watcher.failed[index][:300]
            target.save(update_fields=["state", "error"])
            logger.info("stream %s: destination %s failed: %s", self.stream.pk, target.pk, target.error)
            changed = True

    def _save(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.last_save >= HEARTBEAT:
            self.last_save = now
            s = self.stream
            s.heartbeat = timezone.now()
            s.save(update_fields=["heartbeat", "elapsed", "bitrate_kbps", "fps", "speed", "state"])

    def on_progress(self, progress: Progress) -> None:
        s = self.stream
        changed = self._apply_failures()
        if s.state == StreamState.STARTING and progress.out_time > 0:
            s.state = StreamState.LIVE
            for target in self.targets:
                if target.state == StreamTarget.State.PENDING:
                    target.state = StreamTarget.State.LIVE
                    target.save(update_fields=["state"])
            logger.info("stream %s is live", s.pk)
            changed = True
        s.elapsed = progress.out_time
        s.fps, s.speed = progress.fps, progress.speed
        # tee reports no bit rate of its own; then the rate being sent is the source's or the preset's.
        s.bitrate_kbps = progress.bitrate_kbps or self.nominal_kbps
        self._save(force=changed)
        stream_notify(s)

    def should_cancel(self) -> bool:
        if self._apply_failures():
            self._save(force=True)
            stream_notify(self.stream)
        now = time.monotonic()
        if now - self.began > self.max_seconds:
            self.timed_out = True
            return True
        if now - self.last_poll < STOP_POLL:
            return False
        self.last_poll = now
        self._save()  # keeps the heartbeat going while ffmpeg is still connecting
        return Stream.objects.filter(pk=self.stream.pk, stop_requested=True).exists()


def _end(stream: Stream, state: str, error: str = "") -> None:
    stream.state, stream.error, stream.ended = state, error[:500], timezone.now()
    stream.heartbeat = stream.ended
    stream.save(update_fields=["state", "error", "ended", "heartbeat", "elapsed", "bitrate_kbps", "fps", "speed"])
    # A destination is never left "live" once nothing is being sent to it.
    final = StreamTarget.State.ENDED if state in (StreamState.FINISHED, StreamState.STOPPED) else StreamTarget.State.FAILED
    stream.targets.exclude(state=StreamTarget.State.FAILED).update(state=final)
    logger.info("stream %s %s%s", stream.pk, state, f": {error}" if error else "")
    stream_notify(stream)


def _prepare(stream: Stream, targets: list[StreamTarget]) -> tuple[list[str], list[str], list[StreamTarget]]:
    urls, secrets, usable = [], [], []
    for target in targets:
        dest = target.destination
        if dest is None:
            target.state, target.error = StreamTarget.State.FAILED, "the destination was deleted"
            target.save(update_fields=["state", "error"])
            continue
        key = crypto.decrypt(dest.stream_key_encrypted)
        secrets.append(key)
        urls.append(f"{dest.ingest_url}/{key}")
        usable.append(target)
    return urls, secrets, usable


def stream_run(*, stream_id: int, stall_timeout: float | None = None, max_seconds: float | None = None) -> str:
    """Run the stream to its end; returns its final state. Safe to call twice: only one run claims it."""
    if not _claim(stream_id):
        return "not-claimed"
    stream = Stream.objects.select_related("video", "rendition").get(pk=stream_id)
    targets = list(stream.targets.select_related("destination").order_by("position"))
    stall = stall_timeout if stall_timeout is not None else _settings_seconds("STREAM_STALL_SECONDS", 20)
    longest = max_seconds if max_seconds is not None else _settings_seconds("STREAM_MAX_SECONDS", 24 * 3600)
    secrets: list[str] = []
    try:
        src = stream_source(video=stream.video, rendition=stream.rendition)
        info = probe(src)
        copy = can_stream_copy(info)
        spec = None if copy else stream_spec()
        urls, secrets, targets = _prepare(stream, targets)
        if not urls:
            _end(stream, StreamState.FAILED, "none of its destinations exists any more")
            return stream.state
        args = stream_command(ffmpeg_binary(), src, urls, spec, stream.loop, copy, source=info)
    except SourceMissing as exc:
        _end(stream, StreamState.FAILED, str(exc.detail))
        return stream.state
    except (ProbeError, crypto.KeyUnreadable, FFmpegNotFound, ValueError) as exc:
        _end(stream, StreamState.FAILED, redact(str(exc), secrets))
        return stream.state
    if copy:
        nominal = info.bit_rate / 1000 if info.bit_rate else None
    else:
        nominal = float((spec.video_bitrate_k or 0) + (spec.audio_bitrate_k or 0)) or None
    stream.mode = "copy" if copy else "encode"
    stream.save(update_fields=["mode"])
    run = _Run(stream, targets, urls, secrets, nominal, longest)
    try:
        run_ffmpeg(args, info.duration or 0.0, on_progress=run.on_progress, should_cancel=run.should_cancel,
                   stall_timeout=stall, min_interval=0.5, on_stderr=run.on_stderr)
    except Cancelled:
        run._apply_failures()
        error = f"stopped after the longest allowed stream time ({longest / 3600:g} h)" if run.timed_out else ""
        _end(stream, StreamState.STOPPED, error)
    except FFmpegError as exc:
        run._apply_failures()
        reason = redact(exc.reason, secrets)
        if run.watcher.failed and len(run.watcher.failed) == len(urls):
            reason = run.watcher.summary()
        _end(stream, StreamState.FAILED, reason)
    except FFmpegNotFound as exc:
        _end(stream, StreamState.FAILED, str(exc))
    except Exception as exc:
        _end(stream, StreamState.FAILED, "internal error while streaming")
        logger.error("stream %s crashed: %s", stream.pk, redact(repr(exc), secrets))
    else:
        run._apply_failures()
        if run.watcher.failed and len(run.watcher.failed) == len(urls):
            _end(stream, StreamState.FAILED, run.watcher.summary())
        else:
            _end(stream, StreamState.FINISHED)
    return stream.state
