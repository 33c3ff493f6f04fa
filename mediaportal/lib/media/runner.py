"""Running ffmpeg with progress, cancellation, stall detection and readable errors."""
from __future__ import annotations

import collections
import ctypes
import functools
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import IO, Callable, Iterable

from .binary import FFmpegNotFound

__all__ = ["Progress", "parse_progress_block", "FFmpegError", "Cancelled", "run_ffmpeg"]

_TICK = 0.2  # how often cancellation and stalls are checked while ffmpeg is quiet
_TERM_GRACE = 3.0
_REASON_MAX = 300
_EOF = object()
_LEVELED = re.compile(r"^(?:\[[^\]]*\] )?\[(panic|fatal|error|warning|info|verbose|debug|trace)\] (.*)$")
_CONTEXT = re.compile(r"^\[[^\]]* @ (?:0x)?[0-9a-f]+\] ")
_NOISE = re.compile(
    r"^(Input #|Output #|Stream #|Stream mapping|Metadata:|Duration:|Press \[q\]|frame=|size=|"
    r"ffmpeg version|built with|configuration:|lib\w+ +\d|x265 \[info\]|Svt\[info\]|\[info\])"
)
_GENERIC = {"Conversion failed!"}


@dataclass
class Progress:
    out_time: float = 0.0
    percent: float | None = None
    fps: float | None = None
    speed: float | None = None
    eta_seconds: float | None = None
    bitrate_kbps: float | None = None
    total_size: int | None = None
    done: bool = False


class FFmpegError(Exception):
    """ffmpeg failed; `reason` is short enough to store and show."""

    def __init__(self, reason: str, returncode: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.returncode = returncode


class Cancelled(Exception):
    """should_cancel() asked for the job to stop and ffmpeg was terminated."""


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    match = re.match(r"^\s*(-?\d+(?:\.\d+)?)", value)  # "1.5x", "436.7kbits/s"
    return float(match.group(1)) if match else None  # "N/A" and friends


def _clock(value: str | None) -> float | None:
    match = re.match(r"^(-?)(\d+):(\d+):(\d+(?:\.\d+)?)$", value or "")
    if not match:
        return None
    sign = -1.0 if match.group(1) else 1.0
    return sign * (int(match.group(2)) * 3600 + int(match.group(3)) * 60 + float(match.group(4)))


def parse_progress_block(lines: list[str], duration: float) -> Progress:
    """Turn one `-progress` block (key=value lines) into a Progress."""
    values: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.strip().partition("=")
        if sep:
            values[key.strip()] = value.strip()
    # out_time_ms is microseconds too (a long-standing ffmpeg naming bug).
    micros = _number(values.get("out_time_us"))
    if micros is None:
        micros = _number(values.get("out_time_ms"))
    out_time = micros / 1_000_000 if micros is not None else _clock(values.get("out_time"))
    # ffmpeg prints large negative times before the first frame is muxed.
    out_time = max(0.0, out_time or 0.0)
    done = values.get("progress") == "end"
    speed = _number(values.get("speed"))
    speed = speed if speed and speed > 0 else None
    percent = eta = None
    if duration and duration > 0:
        percent = 100.0 if done else min(100.0, out_time / duration * 100.0)
        if done:
            eta = 0.0
        elif speed:
            eta = max(0.0, duration - out_time) / speed
    size = _number(values.get("total_size"))
    return Progress(
        out_time=out_time,
        percent=percent,
        fps=_number(values.get("fps")),
        speed=speed,
        eta_seconds=eta,
        bitrate_kbps=_number(values.get("bitrate")),
        total_size=int(size) if size is not None and size >= 0 else None,
        done=done,
    )


def _readable_reason(lines: Iterable[str], returncode: int | None) -> str:
    leveled: list[str] = []
    plain: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        match = _LEVELED.match(line)
        if match:
            if match.group(1) in ("panic", "fatal", "error"):
                leveled.append(_CONTEXT.sub("", match.group(2)).strip())
        elif not _NOISE.match(line):
            plain.append(_CONTEXT.sub("", line).strip())
    picked = leveled or plain
    specific = [line for line in picked if line not in _GENERIC] or picked
    unique = list(dict.fromkeys(specific[-3:]))
    reason = "; ".join(unique)
    if not reason:
        if returncode is not None and returncode < 0:
            reason = f"ffmpeg was killed by signal {-returncode}"
        else:
            reason = f"ffmpeg exited with code {returncode}"
    return reason if len(reason) <= _REASON_MAX else reason[: _REASON_MAX - 3] + "..."


def _death_signal_hook() -> Callable[[], None] | None:
    """preexec_fn so ffmpeg is SIGKILLed when the process that started it dies.

    prctl is resolved here, in the parent, so the child only makes one libc
    call (little can go wrong between fork and exec). Linux delivers the
    signal when the *thread* that forked exits; run_ffmpeg blocks that thread
    for the whole run, so that is the same thing here.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def hook() -> None:
        prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 == PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return hook


def _pump(stream: IO[bytes], sink: Callable[[object], None]) -> None:
    try:
        for raw in iter(stream.readline, b""):
            sink(raw.decode("utf-8", "replace").rstrip("\r\n"))
    except (OSError, ValueError):
        pass  # the pipe was closed under us while stopping
    finally:
        sink(_EOF)


def _keep_stderr(tail: collections.deque[str], on_line: Callable[[str], None] | None, item: object) -> None:
    if item is _EOF:
        return
    assert isinstance(item, str)
    tail.append(item)
    if on_line is not None:
        on_line(item)


def _stop(proc: subprocess.Popen[bytes], graceful: bool) -> None:
    if proc.poll() is not None:
        return
    if graceful:
        proc.terminate()  # lets ffmpeg finalise the output and exit cleanly
        try:
            proc.wait(timeout=_TERM_GRACE)
            return
        except subprocess.TimeoutExpired:
            pass
    proc.kill()
    proc.wait()


def run_ffmpeg(
    args: list[str],
    duration: float,
    on_progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    stall_timeout: float | None = None,
    min_interval: float = 0.25,
    on_stderr: Callable[[str], None] | None = None,
) -> None:
    """Run ffmpeg to completion, raising FFmpegError or Cancelled.

    `on_stderr` gets every stderr line as it arrives, from a reader thread (keep it quick).
    """
    lines: queue.Queue[object] = queue.Queue()
    stderr_tail: collections.deque[str] = collections.deque(maxlen=200)
    try:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=False,
            preexec_fn=_death_signal_hook(),
        )
    except OSError as exc:  # missing or non-executable binary: a setup problem, not a bad file
        raise FFmpegNotFound(f"cannot start {args[0] if args else 'ffmpeg'}: {exc.strerror or exc}") from exc
    assert proc.stdout is not None and proc.stderr is not None
    # Both pipes are drained by threads so a chatty ffmpeg never blocks on a
    # full pipe while we wait on the other one.
    readers = [
        threading.Thread(target=_pump, args=(proc.stdout, lines.put), daemon=True),
        threading.Thread(
            target=_pump,
            args=(proc.stderr, functools.partial(_keep_stderr, stderr_tail, on_stderr)),
            daemon=True,
        ),
    ]
    for reader in readers:
        reader.start()
    try:
        _follow(proc, lines, duration, on_progress, should_cancel, stall_timeout, min_interval)
        returncode = proc.wait()
        for reader in readers:
            reader.join(timeout=5)
        if returncode != 0:
            raise FFmpegError(_readable_reason(list(stderr_tail), returncode), returncode)
    finally:
        _stop(proc, graceful=False)  # only acts if something above raised early
        for pipe in (proc.stdout, proc.stderr):
            pipe.close()


def _follow(
    proc: subprocess.Popen[bytes],
    lines: queue.Queue[object],
    duration: float,
    on_progress: Callable[[Progress], None] | None,
    should_cancel: Callable[[], bool] | None,
    stall_timeout: float | None,
    min_interval: float,
) -> None:
    block: list[str] = []
    pending: Progress | None = None  # a throttled update not yet reported
    last_line = last_emit = time.monotonic()
    last_emit -= min_interval  # the first block is reported immediately
    while True:
        try:
            item: object = lines.get(timeout=_TICK)
        except queue.Empty:
            item = None
        now = time.monotonic()
        block_ended = isinstance(item, str) and item.startswith("progress=")
        if (item is None or block_ended) and should_cancel is not None and should_cancel():
            _stop(proc, graceful=True)
            raise Cancelled()
        if item is _EOF:
            return
        if item is None:
            if stall_timeout is not None and now - last_line > stall_timeout:
                _stop(proc, graceful=False)
                raise FFmpegError(f"stalled: no progress for {stall_timeout:g} s", proc.returncode)
            if pending is not None and on_progress is not None and now - last_emit >= min_interval:
                on_progress(pending)
                pending, last_emit = None, now
            continue
        assert isinstance(item, str)
        last_line = now
        block.append(item)
        if not block_ended:
            continue
        progress = parse_progress_block(block, duration)
        block = []
        if on_progress is None:
            continue
        if progress.done or now - last_emit >= min_interval:
            on_progress(progress)
            pending, last_emit = None, now
        else:
            pending = progress
