"""Jobs in a real django-q2 cluster (`manage.py serve` on the test database): a worker killed with
SIGKILL mid-encode loses nothing, and two users' jobs run side by side."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from encoding import services
from encoding.models import Job, Preset
from library import storage
from tests.encoding.conftest import make_video, sha256
from tests import live

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker):
    """`manage.py qcluster` (the workers `serve` starts) on the test database, in its own process group."""
    log_path = Path(django_settings.DATA_DIR) / "encoding-qcluster.log"
    env = live.portal_env()
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=django_settings.BASE_DIR, env=env,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: "running" in log_path.read_text() or proc.poll() is not None, "the cluster", 60)
        assert proc.poll() is None, log_path.read_text()
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def portal_media(settings, cluster):
    # The workers read and write files under the data dir, not this test's tmp_path.
    settings.MEDIA_ROOT = Path(django_settings.DATA_DIR) / "media"
    settings.MEDIA_ROOT.mkdir(exist_ok=True)
    return cluster


def wait_for(predicate, what: str, timeout: float = 120):
    """Poll until predicate() is truthy; the timeout only guards against a hung test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _job(pk: int) -> Job:
    return Job.objects.get(pk=pk)


def _dead(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and not _dead(int(entry.name)):
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def test_killed_worker_leaves_the_original_and_the_job_recovers(alice, long_clip, portal_media):
    video = make_video(alice, long_clip)
    original = storage.absolute(video.original.name)
    before = sha256(original)
    job = services.job_create(owner=alice, video=video, preset=Preset.objects.get(slug="hevc-1080p"))

    running = wait_for(lambda: (j := _job(job.pk)).state == "running" and j.progress > 0 and j, "a running encode")
    tmp = services.temp_path(running.output_name)
    assert tmp.exists() and _processes_mentioning(str(tmp))
    os.kill(running.worker_pid, signal.SIGKILL)
    wait_for(lambda: _dead(running.worker_pid), "the worker to die", timeout=10)
    # ffmpeg dies with its worker (PR_SET_PDEATHSIG), it is not left encoding for no one.
    wait_for(lambda: not _processes_mentioning(str(tmp)), "ffmpeg to go", timeout=10)
    assert _job(job.pk).state == "running"  # nothing else knows yet

    assert services.jobs_recover_stale() == [job.pk]
    assert not tmp.exists()
    assert sha256(original) == before

    done = wait_for(lambda: (j := _job(job.pk)).state in Job.FINISHED and j, "the re-queued job to finish")
    assert done.state == "succeeded", done.error
    assert done.attempts == 2 and done.error == ""
    assert sha256(original) == before
    assert storage.absolute(done.rendition.file.name).exists()


def test_two_users_jobs_run_side_by_side_and_fairly(alice, bob, long_clip, portal_media):
    assert django_settings.WORKERS == 2 and django_settings.MAX_JOBS_PER_USER == 1
    a_video, b_video = make_video(alice, long_clip), make_video(bob, long_clip)
    slow = Preset.objects.get(slug="hevc-1080p")
    a_jobs = [services.job_create(owner=alice, video=a_video, preset=Preset.objects.get(slug=s)).pk
              for s in ("hevc-1080p", "h264-480p", "legacy")]
    b_job = services.job_create(owner=bob, video=b_video, preset=slow).pk
    # Alice's three were queued first, yet bob's job is next, not fourth.
    wait_for(lambda: _job(b_job).state != "queued", "bob's job to start")
    assert _job(a_jobs[1]).state == "queued" and _job(a_jobs[1]).queue_position == 1

    wait_for(lambda: all(_job(pk).state in Job.FINISHED for pk in [*a_jobs, b_job]), "all jobs to finish", 240)
    a1, a2, a3, b = (_job(pk) for pk in [*a_jobs, b_job])
    assert {j.state for j in (a1, a2, a3, b)} == {"succeeded"}
    assert b.started < a1.finished and a1.started < b.finished  # side by side
    assert b.started < a2.started < a3.started
    assert a1.finished <= a2.started and a2.finished <= a3.started  # alice's limit: one at a time
