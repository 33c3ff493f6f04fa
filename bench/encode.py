#!/usr/bin/env python
"""Encoding overhead benchmark: one preset through the platform (job -> django-q2 worker -> ffmpeg
-> verify -> rendition) against the bare ffmpeg command with the same argument list, then K jobs at
once against the best bare schedule of K runs. Prints seconds and ratios. Not a test: run by hand.

    .venv/bin/python bench/encode.py                       # h264-720p, 10 s 1280x720 clip, K=4
    .venv/bin/python bench/encode.py --preset hevc-1080p --seconds 5 -k 2
    .venv/bin/python bench/encode.py --file my.mp4

Everything runs in a temporary data directory (own SQLite database, media, event file) removed at
the end; nothing touches ./var.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", default="h264-720p")
    parser.add_argument("--file", type=Path, help="encode this file instead of a generated clip")
    parser.add_argument("--seconds", type=int, default=10, help="length of the generated clip")
    parser.add_argument("-k", type=int, default=4, help="concurrent jobs")
    parser.add_argument("--runs", type=int, default=2, help="single-job runs of each kind; the fastest counts")
    return parser.parse_args()


def setup_django(data_dir: Path, k: int) -> None:
    os.environ.update({
        "MEDIAPORTAL_DATA_DIR": str(data_dir), "MEDIAPORTAL_WORKERS": str(k),
        "MEDIAPORTAL_MAX_JOBS_PER_USER": str(k), "DJANGO_SETTINGS_MODULE": "mediaportal.settings",
        "LOG_LEVEL": "WARNING",
    })
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(BASE))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_clip(path: Path, seconds: int) -> None:
    from mediaportal.ffmpeg import ffmpeg_binary

    subprocess.run([ffmpeg_binary(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc2=duration={seconds}:size=1280x720:rate=30",
                    "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-shortest", str(path)], check=True)


def bare_command(src: Path, dst: Path, preset_slug: str, threads: int) -> list[str]:
    """Exactly what a worker runs (same builder, same preset), minus the platform around it."""
    from encoding.models import Preset
    from encoding.presets import preset_spec
    from mediaportal.ffmpeg import ffmpeg_binary
    from mediaportal.lib.media import encode_command, probe

    return encode_command(ffmpeg_binary(), src, dst, preset_spec(Preset.objects.get(slug=preset_slug)),
                          probe(src), threads=threads)


def run_bare(commands: list[list[str]]) -> float:
    start = time.monotonic()
    with ThreadPoolExecutor(len(commands)) as pool:
        for proc in pool.map(lambda c: subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                             commands):
            if proc.returncode != 0:
                sys.exit(f"bare ffmpeg failed ({proc.returncode}): {' '.join(proc.args)}")
    return time.monotonic() - start


def start_cluster(data_dir: Path) -> subprocess.Popen:
    log = open(data_dir / "qcluster.log", "w")
    proc = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=BASE, env={**os.environ, "LOG_LEVEL": "INFO"},
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while "running" not in (data_dir / "qcluster.log").read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit("qcluster did not start:\n" + (data_dir / "qcluster.log").read_text())
        time.sleep(0.1)
    return proc


def run_platform(owner, videos, preset_slug: str) -> float:
    """Seconds from creating the jobs until every one has succeeded (verified rendition stored)."""
    from encoding import services
    from encoding.models import Job, Preset

    preset = Preset.objects.get(slug=preset_slug)
    start = time.monotonic()
    ids = [services.job_create(owner=owner, video=v, preset=preset).pk for v in videos]
    while True:
        states = list(Job.objects.filter(pk__in=ids).values_list("state", "error"))
        if all(s in Job.FINISHED for s, _ in states):
            break
        time.sleep(0.1)  # also what a status socket would tell a client, without the polling
    elapsed = time.monotonic() - start
    failed = [e for s, e in states if s != Job.State.SUCCEEDED]
    if failed:
        sys.exit(f"platform jobs failed: {failed}")
    jobs = list(Job.objects.filter(pk__in=ids))
    waits = [(j.started - j.created).total_seconds() for j in jobs]
    runs = [(j.finished - j.started).total_seconds() for j in jobs]
    print(f"  platform, {len(ids)} job(s): {elapsed:.2f} s; queue wait {min(waits):.2f}-{max(waits):.2f} s, "
          f"claim to verified rendition {min(runs):.2f}-{max(runs):.2f} s")
    return elapsed


def main() -> None:
    args = parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="mediaportal-bench-"))
    cluster = None
    try:
        setup_django(data_dir, args.k)
        from django.contrib.auth import get_user_model

        from encoding.runner import ffmpeg_threads
        from library import storage
        from library.models import Video

        src = data_dir / "source.mp4"
        if args.file:
            shutil.copyfile(args.file, src)
        else:
            make_clip(src, args.seconds)
        cpus = os.cpu_count() or 1
        print(f"preset {args.preset}, source {src.stat().st_size / 1e6:.1f} MB, {cpus} CPUs, K={args.k}")

        owner = get_user_model().objects.create_user("bench", password=None)
        videos = []
        for i in range(args.k + 1):
            dst = storage.user_dir(owner.pk, "originals") / f"bench{i}{src.suffix}"
            shutil.copyfile(src, dst)
            videos.append(Video.objects.create(owner=owner, title=f"bench {i}", original=storage.relative(dst)))
        out = data_dir / "bare"
        out.mkdir()

        one = bare_command(src, out / "one", args.preset, threads=ffmpeg_threads(1))
        cluster = start_cluster(data_dir)
        # Interleaved and the fastest of each kept, so a burst of other load hits both sides alike.
        bare_runs, platform_runs = [], []
        for _ in range(args.runs):
            bare_runs.append(run_bare([one]))
            platform_runs.append(run_platform(owner, videos[:1], args.preset))
        bare_one, platform_one = min(bare_runs), min(platform_runs)

        split = ffmpeg_threads(args.k)
        side_by_side = run_bare([bare_command(src, out / f"k{i}", args.preset, threads=split) for i in range(args.k)])
        one_after_another = bare_one * args.k  # the fastest single run, K times: optimistic for bare
        best_bare = min(side_by_side, one_after_another)
        platform_k = run_platform(owner, videos[1:], args.preset)

        print(f"single job:   bare ffmpeg {bare_one:6.2f} s   platform {platform_one:6.2f} s   "
              f"ratio {platform_one / bare_one:.2f}")
        print(f"{args.k} jobs:       bare best {best_bare:6.2f} s   platform {platform_k:6.2f} s   "
              f"ratio {platform_k / best_bare:.2f}   (bare side by side {side_by_side:.2f} s with "
              f"{split} thread(s) each, one after another {one_after_another:.2f} s)")
    finally:
        if cluster is not None and cluster.poll() is None:
            cluster.send_signal(signal.SIGTERM)
            try:
                cluster.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(cluster.pid, signal.SIGKILL)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
