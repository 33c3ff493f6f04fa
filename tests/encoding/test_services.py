"""Scheduling (fairness, limits, queue positions), recovery after a dead worker, upload hook."""

import os
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.selectors import user_settings_get
from encoding import runner, services
from encoding.models import Job, Preset
from library import storage
from tests.encoding.conftest import make_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch):
    """Job ids handed to the task queue, without running them."""
    ids: list[int] = []
    monkeypatch.setattr(services, "_enqueue", ids.append)
    return ids


def _jobs(owner, video, n):
    slugs = ["h264-720p", "h264-1080p", "h264-480p", "hevc-1080p", "vp9-720p", "av1-720p", "legacy"]
    return [services.job_create(owner=owner, video=video, preset=Preset.objects.get(slug=s)) for s in slugs[:n]]


def test_one_users_many_jobs_do_not_starve_another(alice, bob, clips, settings, enqueued, django_capture_on_commit_callbacks):
    settings.WORKERS, settings.MAX_JOBS_PER_USER = 2, 1
    with django_capture_on_commit_callbacks(execute=True):
        a_jobs = _jobs(alice, make_video(alice, clips.av_mp4), 5)
        b_job = _jobs(bob, make_video(bob, clips.av_mp4), 1)[0]
    # Alice queued five first; bob's single job still gets the second worker.
    assert enqueued == [a_jobs[0].pk, b_job.pk]
    positions = dict(Job.objects.filter(state="queued").values_list("pk", "queue_position"))
    assert positions[a_jobs[0].pk] == 0 and positions[b_job.pk] == 0
    assert [positions[j.pk] for j in a_jobs[1:]] == [1, 2, 3, 4]


def test_per_user_limit_is_settable_and_workers_cap_the_total(alice, bob, clips, settings, enqueued,
                                                              django_capture_on_commit_callbacks):
    settings.WORKERS, settings.MAX_JOBS_PER_USER = 3, 1
    prefs = user_settings_get(user=alice)
    prefs.max_running_jobs = 3
    prefs.save()
    with django_capture_on_commit_callbacks(execute=True):
        a_jobs = _jobs(alice, make_video(alice, clips.av_mp4), 4)
    with django_capture_on_commit_callbacks(execute=True):
        b_jobs = _jobs(bob, make_video(bob, clips.av_mp4), 2)
    # Alone, alice may use three workers; that leaves none for bob until one finishes.
    assert len(enqueued) == 3
    assert set(enqueued) == {a_jobs[0].pk, a_jobs[1].pk, a_jobs[2].pk}
    # Bob's jobs are next in line, ahead of alice's fourth: he has nothing running.
    positions = [Job.objects.get(pk=j.pk).queue_position for j in (b_jobs[0], b_jobs[1], a_jobs[3])]
    assert positions == [1, 2, 3]


def test_finishing_a_job_frees_the_slot_for_the_next(alice, clips, settings, enqueued,
                                                   django_capture_on_commit_callbacks):
    settings.WORKERS, settings.MAX_JOBS_PER_USER = 1, 1
    with django_capture_on_commit_callbacks(execute=True):
        first, second = _jobs(alice, make_video(alice, clips.av_mp4), 2)
    assert enqueued == [first.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.job_claim(job_id=first.pk)
        services.job_fail(job_id=first.pk, reason="boom")
    assert enqueued == [first.pk, second.pk]


def test_threads_are_shared_between_running_jobs(settings, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    settings.WORKERS = 4
    assert [runner.ffmpeg_threads(n) for n in (1, 2, 4, 9)] == [8, 4, 2, 2]
    settings.WORKERS = 16
    assert runner.ffmpeg_threads(16) == 1


def _running_job(alice, clips, **fields) -> Job:
    job = _jobs(alice, make_video(alice, clips.av_mp4), 1)[0]
    job = services.job_claim(job_id=job.pk)
    Job.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def test_recover_requeues_a_job_whose_worker_is_silent(alice, clips, enqueued):
    old = timezone.now() - timedelta(minutes=5)
    job = _running_job(alice, clips, heartbeat=old, worker_host="elsewhere")
    tmp = services.temp_path(job.output_name)
    tmp.write_bytes(b"half an encode")
    original = storage.absolute(job.video.original.name)
    assert services.jobs_recover_stale(stale_after=30) == [job.pk]
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and "re-queued" in job.error and job.progress == 0
    assert not tmp.exists() and original.exists()


def test_recover_leaves_a_live_worker_alone(alice, clips):
    job = _running_job(alice, clips)  # this process, fresh heartbeat
    assert services.jobs_recover_stale(stale_after=30) == []
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING


def test_recover_notices_a_dead_local_pid_at_once(alice, clips):
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)
    job = _running_job(alice, clips, worker_pid=dead, worker_host=socket.gethostname())
    assert services.jobs_recover_stale(stale_after=3600) == [job.pk]


def test_recover_fails_after_three_deaths(alice, clips):
    job = _running_job(alice, clips, heartbeat=None, attempts=3)
    services.jobs_recover_stale()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error == "worker died 3 times"


def test_recover_of_a_cancel_requested_job_cancels_it(alice, clips):
    job = _running_job(alice, clips, heartbeat=None, cancel_requested=True)
    services.jobs_recover_stale()
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED


def test_recovery_is_registered_as_a_startup_hook():
    from encoding.tasks import recover_and_dispatch
    from mediaportal.startup import RECOVERY_HOOKS

    assert recover_and_dispatch in RECOVERY_HOOKS


def test_recovery_runs_every_minute_in_the_cluster():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="encoding.tasks.recover_and_dispatch")
    assert (schedule.schedule_type, schedule.minutes) == (Schedule.MINUTES, 1)


def test_upload_with_an_override_preset_makes_a_job(alice, clips):
    video = make_video(alice, clips.av_mp4)
    job = services.on_video_uploaded(video=video, preset_slug="vp9-720p")
    assert job.preset_slug == "vp9-720p" and job.owner == alice and job.state == Job.State.QUEUED


def test_upload_follows_auto_encode_and_the_default_preset(alice, bob, clips):
    prefs = user_settings_get(user=alice)
    prefs.auto_encode, prefs.default_preset = True, Preset.objects.get(slug="hevc-1080p")
    prefs.save()
    job = services.on_video_uploaded(video=make_video(alice, clips.av_mp4), preset_slug=None)
    assert job.preset_slug == "hevc-1080p"
    # Bob has auto-encode off (the default): nothing happens.
    assert services.on_video_uploaded(video=make_video(bob, clips.av_mp4), preset_slug=None) is None
    assert Job.objects.filter(owner=bob).count() == 0


def test_upload_with_a_preset_that_went_away_does_not_raise(alice, clips):
    assert services.on_video_uploaded(video=make_video(alice, clips.av_mp4), preset_slug="gone") is None
    assert not Job.objects.exists()


def test_a_dispatch_no_worker_picked_up_is_handed_out_again(alice, clips, settings, enqueued,
                                                            django_capture_on_commit_callbacks):
    settings.WORKERS = 1
    with django_capture_on_commit_callbacks(execute=True):
        job = _jobs(alice, make_video(alice, clips.av_mp4), 1)[0]
    assert enqueued == [job.pk]
    Job.objects.filter(pk=job.pk).update(dispatched=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.jobs_recover_stale()
    assert enqueued == [job.pk, job.pk]
