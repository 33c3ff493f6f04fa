"""Running jobs with real ffmpeg on tiny clips: the encode flow, failures, cancel, replace-original."""

import pytest

from accounts.selectors import user_settings_get
from encoding import runner, services
from encoding.models import Job, Preset
from library import storage
from library.models import Rendition
from mediaportal.lib.media import probe
from tests.encoding.conftest import fast_copy, files_under, make_video, sha256

pytestmark = pytest.mark.django_db

DEFAULT_SLUGS = ["h264-720p", "h264-1080p", "h264-480p", "hevc-1080p", "vp9-720p", "av1-720p", "audio-aac",
                 "stream-ready", "legacy"]
EXPECTED = {  # (video codec, audio codec, container family)
    "h264-720p": ("h264", "aac"), "h264-1080p": ("h264", "aac"), "h264-480p": ("h264", "aac"),
    "hevc-1080p": ("hevc", "aac"), "vp9-720p": ("vp9", "opus"), "av1-720p": ("av1", "aac"),
    "audio-aac": (None, "aac"), "stream-ready": ("h264", "aac"), "legacy": ("h264", "aac"),
}


def _run(job: Job) -> Job:
    runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def test_the_nine_default_presets_exist():
    assert sorted(Preset.objects.values_list("slug", flat=True)) == sorted(DEFAULT_SLUGS)


@pytest.mark.parametrize("slug", DEFAULT_SLUGS)
def test_each_default_preset_makes_a_playable_rendition(alice, clips, slug):
    video = make_video(alice, clips.av_mp4)
    job = _run(services.job_create(owner=alice, video=video, preset=fast_copy(slug)))
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.progress == 100
    rendition = job.rendition
    info = probe(storage.absolute(rendition.file.name))
    assert (info.video_codec, info.audio_codec) == EXPECTED[slug]
    assert rendition.video_codec == (EXPECTED[slug][0] or "")
    if info.has_video:
        assert info.display_height <= 240 and info.display_height % 2 == 0
    assert abs(info.duration - 2.0) < 0.5
    assert rendition.preset_slug == f"fast-{slug}" and rendition.size == info.size > 0
    # Originals stay by default, and no temp file is left over.
    assert storage.absolute(video.original.name).exists()
    assert not [p for p in files_under(storage.user_dir(alice.pk, "renditions")) if p.name.startswith(".tmp-")]


def test_portrait_and_rotated_sources_keep_their_shape(alice, clips):
    preset = fast_copy("h264-480p")
    for clip, size in ((clips.portrait_mp4, (240, 320)), (clips.rotated_mp4, (240, 320))):
        video = make_video(alice, clip)
        job = _run(services.job_create(owner=alice, video=video, preset=preset))
        assert job.state == Job.State.SUCCEEDED, job.error
        info = probe(storage.absolute(job.rendition.file.name))
        assert (info.display_width, info.display_height) == size


def test_video_without_audio_and_audio_without_video(alice, clips):
    silent = make_video(alice, clips.video_only_mp4)
    job = _run(services.job_create(owner=alice, video=silent, preset=fast_copy("h264-720p")))
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.rendition.video_codec, job.rendition.audio_codec) == ("h264", "")

    music = make_video(alice, clips.audio_m4a)
    job = _run(services.job_create(owner=alice, video=music, preset=Preset.objects.get(slug="h264-720p")))
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.rendition.video_codec, job.rendition.audio_codec) == ("", "aac")


def test_audio_only_preset_on_a_video_without_sound_fails_with_a_reason(alice, clips):
    video = make_video(alice, clips.video_only_mp4)
    job = _run(services.job_create(owner=alice, video=video, preset=Preset.objects.get(slug="audio-aac")))
    assert job.state == Job.State.FAILED
    assert "nothing to encode" in job.error


@pytest.mark.parametrize("clip", ["random_mp4", "text_mp4", "truncated_mp4", "zeroed_mdat_mp4"])
def test_bad_input_fails_with_a_reason_and_keeps_the_file(alice, clips, clip):
    video = make_video(alice, getattr(clips, clip))
    before = sha256(storage.absolute(video.original.name))
    prefs = user_settings_get(user=alice)
    prefs.keep_original = False
    prefs.save()
    job = _run(services.job_create(owner=alice, video=video, preset=fast_copy("h264-480p")))
    assert job.state == Job.State.FAILED
    assert job.error and len(job.error) <= 400
    assert job.rendition is None and not Rendition.objects.filter(video=video).exists()
    video.refresh_from_db()
    assert video.original and sha256(storage.absolute(video.original.name)) == before
    assert files_under(storage.user_dir(alice.pk, "renditions")) == []


def test_replace_original_deletes_it_only_after_a_verified_rendition(alice, clips):
    prefs = user_settings_get(user=alice)
    prefs.keep_original = False
    prefs.save()
    video = make_video(alice, clips.av_mp4)
    original = storage.absolute(video.original.name)
    job = _run(services.job_create(owner=alice, video=video, preset=fast_copy("h264-480p")))
    assert job.state == Job.State.SUCCEEDED
    video.refresh_from_db()
    assert video.original.name == "" and not original.exists()
    assert storage.absolute(job.rendition.file.name).exists()
    # Another encode of the same video now starts from the rendition.
    again = _run(services.job_create(owner=alice, video=video, preset=fast_copy("vp9-720p")))
    assert again.state == Job.State.SUCCEEDED, again.error


def test_replace_original_keeps_it_when_verification_fails(alice, clips, monkeypatch):
    prefs = user_settings_get(user=alice)
    prefs.keep_original = False
    prefs.save()
    video = make_video(alice, clips.av_mp4)
    before = sha256(storage.absolute(video.original.name))
    from mediaportal.lib.media import VerifyError

    def refuse(*args, **kwargs):
        raise VerifyError("output lasts 0.50 s but the source lasts 2.00 s")

    monkeypatch.setattr(runner, "verify_output", refuse)
    job = _run(services.job_create(owner=alice, video=video, preset=fast_copy("h264-480p")))
    assert job.state == Job.State.FAILED and "output lasts" in job.error
    video.refresh_from_db()
    assert sha256(storage.absolute(video.original.name)) == before
    assert files_under(storage.user_dir(alice.pk, "renditions")) == []


def test_ffmpeg_failure_gives_a_short_reason_from_stderr(alice, clips, monkeypatch):
    video = make_video(alice, clips.av_mp4)
    preset = fast_copy("h264-480p")
    preset.pix_fmt = "nosuchpixfmt"
    preset.save()
    job = _run(services.job_create(owner=alice, video=video, preset=preset))
    assert job.state == Job.State.FAILED
    assert "nosuchpixfmt" in job.error.lower() or "pixel format" in job.error.lower()


def test_cancel_while_running_kills_ffmpeg_and_leaves_no_file(alice, clips, monkeypatch):
    video = make_video(alice, clips.av_mp4)
    job = services.job_create(owner=alice, video=video, preset=fast_copy("h264-480p"))
    seen = []

    def stop_after_first_progress(*, job_id):
        seen.append(job_id)
        services.job_cancel(job=Job.objects.get(pk=job_id))
        return services.job_should_stop(job_id=job_id)

    # The first cancel check asks to cancel, as a user's click would.
    monkeypatch.setattr(runner, "CANCEL_CHECK_INTERVAL", 0)
    monkeypatch.setattr(services, "job_should_stop", _once(services.job_should_stop, stop_after_first_progress))
    job = _run(job)
    assert seen and job.state == Job.State.CANCELLED
    assert files_under(storage.user_dir(alice.pk, "renditions")) == []
    assert storage.absolute(video.original.name).exists()
    assert not Rendition.objects.exists()


def _once(normal, first):
    calls = []

    def check(*, job_id):
        calls.append(job_id)
        return first(job_id=job_id) if len(calls) == 1 else normal(job_id=job_id)

    return check


def test_deleted_preset_fails_the_job_with_a_reason(alice, clips):
    video = make_video(alice, clips.av_mp4)
    preset = fast_copy("h264-480p")
    job = services.job_create(owner=alice, video=video, preset=preset)
    preset.delete()
    job = _run(job)
    assert job.state == Job.State.FAILED and "deleted" in job.error


def test_a_job_runs_only_once(alice, clips):
    video = make_video(alice, clips.av_mp4)
    job = _run(services.job_create(owner=alice, video=video, preset=fast_copy("h264-480p")))
    assert runner.job_run(job_id=job.pk) == "skipped"
    assert Rendition.objects.filter(video=video).count() == 1


def test_job_cancelled_while_queued_is_skipped(alice, clips):
    video = make_video(alice, clips.av_mp4)
    job = services.job_create(owner=alice, video=video, preset=fast_copy("h264-480p"))
    services.job_cancel(job=job)
    assert runner.job_run(job_id=job.pk) == "skipped"
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED and job.attempts == 0


def test_missing_source_file_fails_with_a_reason(alice, clips):
    video = make_video(alice, clips.av_mp4)
    storage.absolute(video.original.name).unlink()
    job = _run(services.job_create(owner=alice, video=video, preset=fast_copy("h264-480p")))
    assert job.state == Job.State.FAILED and "cannot read the source" in job.error


def test_progress_never_goes_backwards(alice, clips):
    from mediaportal.lib.media import Progress

    video = make_video(alice, clips.av_mp4)
    job = services.job_create(owner=alice, video=video, preset=fast_copy("h264-480p"))
    services.job_claim(job_id=job.pk)
    services.job_progress(job_id=job.pk, progress=Progress(percent=60.0, fps=30.0, speed=1.5, eta_seconds=2.0))
    services.job_progress(job_id=job.pk, progress=Progress(percent=40.0, fps=31.0, speed=1.4, eta_seconds=3.0))
    job.refresh_from_db()
    assert (job.progress, job.fps, job.eta) == (60.0, 31.0, 3.0)
