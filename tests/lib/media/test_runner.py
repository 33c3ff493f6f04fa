from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from mediaportal.lib.media import (
    Cancelled,
    FFmpegError,
    FFmpegNotFound,
    Progress,
    parse_progress_block,
    run_ffmpeg,
)
from mediaportal.lib.media import runner as runner_mod

from .conftest import Clips

ROOT = Path(__file__).resolve().parents[3]
LONG_LAVFI = ["-re", "-f", "lavfi", "-i", "testsrc2=duration=60:size=320x240:rate=25"]


def block(**values: str) -> list[str]:
    return [f"{k}={v}" for k, v in values.items()]


# ---- parse_progress_block --------------------------------------------------

def test_parse_full_block() -> None:
    p = parse_progress_block(
        block(frame="25", fps="24.5", bitrate="436.7kbits/s", total_size="10917",
              out_time_us="1000000", out_time_ms="1000000", out_time="00:00:01.000000",
              speed="2.0x", progress="continue"),
        duration=4.0,
    )
    assert p == Progress(out_time=1.0, percent=25.0, fps=24.5, speed=2.0, eta_seconds=1.5,
                         bitrate_kbps=436.7, total_size=10917, done=False)


def test_out_time_ms_is_microseconds() -> None:
    assert parse_progress_block(block(out_time_ms="2500000", progress="continue"), 10.0).out_time == 2.5


def test_clock_fallback_and_na_values() -> None:
    p = parse_progress_block(
        block(fps="N/A", bitrate="N/A", total_size="N/A", out_time_us="N/A", out_time="00:01:02.500000",
              speed="N/A", progress="continue"),
        duration=125.0,
    )
    assert p.out_time == 62.5 and p.percent == 50.0
    assert (p.fps, p.bitrate_kbps, p.total_size, p.speed, p.eta_seconds) == (None, None, None, None, None)


def test_unknown_duration_and_negative_time() -> None:
    p = parse_progress_block(block(out_time_us="-9223372036854775807", speed="0x", progress="continue"), 0.0)
    assert p.out_time == 0.0 and p.percent is None and p.eta_seconds is None and p.speed is None


def test_end_block() -> None:
    p = parse_progress_block(block(out_time_us="1960000", speed="40x", progress="end"), 2.0)
    assert p.done and p.percent == 100.0 and p.eta_seconds == 0.0


def test_percent_is_capped() -> None:
    assert parse_progress_block(block(out_time_us="3000000", progress="continue"), 2.0).percent == 100.0


# ---- run_ffmpeg ------------------------------------------------------------

def test_progress_rises_to_done(ffmpeg_bin: str, clips: Clips, tmp_path: Path) -> None:
    seen: list[Progress] = []
    # -re makes the 2 s encode take ~2 s so several blocks are emitted.
    args = [ffmpeg_bin, "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats",
            "-stats_period", "0.2", "-re", "-i", str(clips.av_mp4), "-c:v", "libx264", "-preset",
            "ultrafast", "-c:a", "aac", str(tmp_path / "o.mp4")]
    run_ffmpeg(args, 2.0, on_progress=seen.append, min_interval=0.0)
    percents = [p.percent for p in seen if p.percent is not None]
    assert len(seen) >= 3 and len(percents) == len(seen)
    assert percents == sorted(percents) and percents[0] < 100.0
    assert seen[-1].done and seen[-1].percent == 100.0
    assert not any(p.done for p in seen[:-1])


def test_progress_is_throttled(ffmpeg_bin: str, clips: Clips, tmp_path: Path) -> None:
    seen: list[Progress] = []
    args = [ffmpeg_bin, "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats",
            "-stats_period", "0.1", "-re", "-t", "1", "-i", str(clips.av_mp4), "-c", "copy",
            str(tmp_path / "o.mkv")]
    run_ffmpeg(args, 1.0, on_progress=seen.append, min_interval=30.0)
    assert 1 <= len(seen) <= 2 and seen[-1].done


def _recording_popen(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        proc = real(*args, **kwargs)
        started.append(proc)
        return proc

    monkeypatch.setattr(runner_mod.subprocess, "Popen", popen)
    return started


def test_cancel_while_encoding(ffmpeg_bin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _recording_popen(monkeypatch)
    seen: list[Progress] = []
    deadline = time.monotonic() + 1.5
    args = [ffmpeg_bin, "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats", *LONG_LAVFI,
            "-c:v", "libx264", "-preset", "ultrafast", str(tmp_path / "o.mp4")]
    t0 = time.monotonic()
    with pytest.raises(Cancelled):
        run_ffmpeg(args, 60.0, on_progress=seen.append, should_cancel=lambda: time.monotonic() > deadline)
    assert time.monotonic() - t0 < 8
    assert seen and not seen[-1].done  # it really was running, and did not finish
    assert started[0].poll() is not None


def _fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    path = tmp_path / "never-written.fifo"
    os.mkfifo(path)
    return path


def test_cancel_while_ffmpeg_is_silent(ffmpeg_bin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ffmpeg blocks opening a FIFO nobody writes to: no output at all, cancel must still work."""
    started = _recording_popen(monkeypatch)
    calls = 0

    def should_cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls >= 3

    args = [ffmpeg_bin, "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats",
            "-f", "mpegts", "-i", str(_fifo(tmp_path)), "-f", "null", "-"]
    with pytest.raises(Cancelled):
        run_ffmpeg(args, 10.0, should_cancel=should_cancel)
    assert calls == 3 and started[0].poll() is not None


def test_stall_detection(ffmpeg_bin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _recording_popen(monkeypatch)
    args = [ffmpeg_bin, "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats",
            "-f", "mpegts", "-i", str(_fifo(tmp_path)), "-f", "null", "-"]
    t0 = time.monotonic()
    with pytest.raises(FFmpegError) as info:
        run_ffmpeg(args, 10.0, stall_timeout=0.8)
    assert 0.8 <= time.monotonic() - t0 < 5
    assert info.value.reason == "stalled: no progress for 0.8 s"
    assert started[0].poll() is not None


def test_failure_has_readable_reason(ffmpeg_bin: str, tmp_path: Path) -> None:
    missing = tmp_path / "does-not-exist.mp4"
    with pytest.raises(FFmpegError) as info:
        run_ffmpeg([ffmpeg_bin, "-hide_banner", "-nostdin", "-progress", "pipe:1", "-i", str(missing),
                    "-f", "null", "-"], 1.0)
    assert info.value.returncode not in (0, None)
    assert "No such file or directory" in info.value.reason
    assert 0 < len(info.value.reason) <= 300
    assert "ffmpeg version" not in info.value.reason


def test_stderr_lines_reach_the_callback_as_they_come(ffmpeg_bin: str, tmp_path: Path) -> None:
    seen: list[str] = []
    with pytest.raises(FFmpegError) as info:
        run_ffmpeg([ffmpeg_bin, "-hide_banner", "-nostdin", "-progress", "pipe:1", "-i",
                    str(tmp_path / "nope.mp4"), "-f", "null", "-"], 1.0, on_stderr=seen.append)
    assert any("No such file or directory" in line for line in seen)
    assert "No such file or directory" in info.value.reason  # the tail is still kept for the reason


def test_missing_binary(tmp_path: Path) -> None:
    with pytest.raises(FFmpegNotFound, match="cannot start"):
        run_ffmpeg([str(tmp_path / "no-ffmpeg-here"), "-version"], 0.0)


def test_reason_prefers_error_lines() -> None:
    lines = [
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mp4':",
        "  Duration: 00:00:02.00, start: 0.000000, bitrate: 778 kb/s",
        "[libx264 @ 0x55d0] [warning] some warning",
        "[vost#0:0/libx264 @ 0x55d1] [error] Error while opening encoder - maybe incorrect parameters",
        "[fatal] Conversion failed!",
    ]
    reason = runner_mod._readable_reason(lines, 1)
    assert reason == "Error while opening encoder - maybe incorrect parameters"
    assert runner_mod._readable_reason(["x" * 1000], 1).endswith("...")
    assert len(runner_mod._readable_reason(["[error] " + "y" * 1000], 1)) == 300
    assert runner_mod._readable_reason([], -9) == "ffmpeg was killed by signal 9"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_ffmpeg_dies_with_its_parent(ffmpeg_bin: str, tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import subprocess, sys
        sys.path.insert(0, {str(ROOT)!r})
        from mediaportal.lib.media import runner
        real = subprocess.Popen
        def popen(*a, **k):
            proc = real(*a, **k)
            print(proc.pid, flush=True)
            return proc
        runner.subprocess.Popen = popen
        runner.run_ffmpeg({[ffmpeg_bin, "-nostdin", "-nostats", "-loglevel", "quiet", *LONG_LAVFI,
                            "-f", "null", "-"]!r}, 60.0)
    """)
    # ffmpeg writes nothing to its pipes here, so no SIGPIPE can end it for us:
    # only the parent-death signal can.
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    ffmpeg_pid = int(parent.stdout.readline())
    time.sleep(0.3)
    assert _alive(ffmpeg_pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 5
    while _alive(ffmpeg_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = _alive(ffmpeg_pid)
    if alive:
        os.kill(ffmpeg_pid, signal.SIGKILL)  # don't leave it running if the test fails
    assert not alive


def _alive(pid: int) -> bool:
    # An orphan may linger as a zombie until init reaps it; that is dead too.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
