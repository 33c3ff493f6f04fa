"""/api/v1/presets/ and /api/v1/jobs/...: own jobs only, clear errors, cancel and retry."""

import pytest

from encoding import runner, services
from encoding.models import Job, Preset
from tests.encoding.conftest import fast_copy, make_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(alice, clips):
    return make_video(alice, clips.av_mp4, title="holiday")


def test_presets_lists_active_presets_with_codecs(alice_api):
    Preset.objects.filter(slug="legacy").update(is_active=False)
    body = alice_api.get("/api/v1/presets/").json()
    slugs = [p["slug"] for p in body]
    assert "legacy" not in slugs and "h264-720p" in slugs
    vp9 = next(p for p in body if p["slug"] == "vp9-720p")
    assert vp9["codecs"] == {"video": "vp9", "audio": "opus"}
    assert set(vp9) >= {"id", "slug", "name", "description", "codecs"}


def test_anonymous_gets_401(anon_api):
    assert anon_api.get("/api/v1/jobs/").status_code == 401
    assert anon_api.post("/api/v1/jobs/", {"video": 1, "preset": "h264-720p"}).status_code == 401


def test_create_job_returns_a_queued_job(alice_api, video):
    r = alice_api.post("/api/v1/jobs/", {"video": video.pk, "preset": "h264-480p"}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["state"] == "queued" and body["preset"] == "h264-480p" and body["video"] == video.pk
    assert body["progress"] == 0 and body["rendition"] is None and body["video_title"] == "holiday"
    assert Job.objects.get(pk=body["id"]).owner.username == "alice"


def test_create_for_another_users_video_is_404(bob_api, video):
    r = bob_api.post("/api/v1/jobs/", {"video": video.pk, "preset": "h264-480p"}, format="json")
    assert r.status_code == 404 and "No such video" in r.json()["detail"]
    assert not Job.objects.exists()


@pytest.mark.parametrize("slug", ["no-such-preset", "legacy"])
def test_unknown_or_inactive_preset_is_400_with_a_message(alice_api, video, slug):
    Preset.objects.filter(slug="legacy").update(is_active=False)
    r = alice_api.post("/api/v1/jobs/", {"video": video.pk, "preset": slug}, format="json")
    assert r.status_code == 400
    assert "Unknown or inactive preset" in r.json()["detail"] and "preset" in r.json()["errors"]
    assert not Job.objects.exists()


def test_bad_body_is_400(alice_api):
    r = alice_api.post("/api/v1/jobs/", {"video": "x"}, format="json")
    assert r.status_code == 400 and set(r.json()["errors"]) == {"video", "preset"}


def test_same_video_and_preset_twice_is_409(alice_api, video):
    assert alice_api.post("/api/v1/jobs/", {"video": video.pk, "preset": "h264-480p"}, format="json").status_code == 201
    r = alice_api.post("/api/v1/jobs/", {"video": video.pk, "preset": "h264-480p"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "job_exists"
    assert Job.objects.count() == 1


def test_list_shows_only_my_jobs_and_filters(alice, bob, alice_api, bob_api, video, clips):
    services.job_create(owner=alice, video=video, preset=Preset.objects.get(slug="h264-480p"))
    other = services.job_create(owner=alice, video=video, preset=Preset.objects.get(slug="vp9-720p"))
    services.job_cancel(job=other)
    services.job_create(owner=bob, video=make_video(bob, clips.av_mp4), preset=Preset.objects.get(slug="h264-480p"))
    body = alice_api.get("/api/v1/jobs/").json()
    assert body["count"] == 2 and {j["video"] for j in body["results"]} == {video.pk}
    assert [j["state"] for j in alice_api.get("/api/v1/jobs/?state=cancelled").json()["results"]] == ["cancelled"]
    assert alice_api.get(f"/api/v1/jobs/?video={video.pk}").json()["count"] == 2
    assert alice_api.get("/api/v1/jobs/?state=bogus").status_code == 400
    assert alice_api.get("/api/v1/jobs/?video=371635440394334636081152").status_code == 400
    assert alice_api.get("/api/v1/jobs/?video=-1").status_code == 400
    assert bob_api.get("/api/v1/jobs/").json()["count"] == 1


def test_detail_cancel_retry_of_another_users_job_are_404(alice, bob_api, video):
    job = services.job_create(owner=alice, video=video, preset=Preset.objects.get(slug="h264-480p"))
    assert bob_api.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert bob_api.post(f"/api/v1/jobs/{job.pk}/cancel/").status_code == 404
    assert bob_api.post(f"/api/v1/jobs/{job.pk}/retry/").status_code == 404
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED


def test_cancel_a_queued_job_at_once(alice, alice_api, video):
    job = services.job_create(owner=alice, video=video, preset=Preset.objects.get(slug="h264-480p"))
    r = alice_api.post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    # A finished job cannot be cancelled again.
    r = alice_api.post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert r.status_code == 409 and r.json()["code"] == "job_state"


def test_cancel_a_running_job_asks_the_worker(alice, alice_api, video):
    job = services.job_create(owner=alice, video=video, preset=Preset.objects.get(slug="h264-480p"))
    services.job_claim(job_id=job.pk)
    r = alice_api.post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert r.status_code == 200 and r.json()["state"] == "running" and r.json()["cancel_requested"] is True
    assert services.job_should_stop(job_id=job.pk) is True


def test_retry_a_failed_job_makes_a_new_one_that_succeeds(alice, alice_api, video):
    preset = fast_copy("h264-480p")
    job = services.job_create(owner=alice, video=video, preset=preset)
    services.job_claim(job_id=job.pk)
    services.job_fail(job_id=job.pk, reason="disk full")
    assert alice_api.get(f"/api/v1/jobs/{job.pk}/").json()["error"] == "disk full"
    r = alice_api.post(f"/api/v1/jobs/{job.pk}/retry/")
    assert r.status_code == 201 and r.json()["state"] == "queued" and r.json()["id"] != job.pk
    runner.job_run(job_id=r.json()["id"])
    done = alice_api.get(f"/api/v1/jobs/{r.json()['id']}/").json()
    assert done["state"] == "succeeded" and done["progress"] == 100 and done["rendition"]


def test_retry_of_a_queued_or_succeeded_job_is_409(alice, alice_api, video):
    job = services.job_create(owner=alice, video=video, preset=Preset.objects.get(slug="h264-480p"))
    r = alice_api.post(f"/api/v1/jobs/{job.pk}/retry/")
    assert r.status_code == 409 and "Only failed or cancelled" in r.json()["detail"]


def test_retry_when_the_preset_was_deactivated_is_400(alice, alice_api, video):
    job = services.job_create(owner=alice, video=video, preset=Preset.objects.get(slug="legacy"))
    services.job_cancel(job=job)
    Preset.objects.filter(slug="legacy").update(is_active=False)
    r = alice_api.post(f"/api/v1/jobs/{job.pk}/retry/")
    assert r.status_code == 400 and "inactive preset" in r.json()["detail"]


def test_schema_documents_the_jobs_api(alice_api):
    schema = alice_api.get("/api/schema/?format=json").json()
    assert {"/api/v1/jobs/", "/api/v1/jobs/{job_id}/cancel/", "/api/v1/presets/"} <= set(schema["paths"])


def test_a_waiting_job_shows_its_place_in_the_queue(alice, alice_api, video, settings, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    settings.WORKERS = 1
    monkeypatch.setattr(services, "_enqueue", lambda job_id: None)
    with django_capture_on_commit_callbacks(execute=True):
        first = alice_api.post("/api/v1/jobs/", {"video": video.pk, "preset": "h264-480p"}, format="json").json()
    with django_capture_on_commit_callbacks(execute=True):
        second = alice_api.post("/api/v1/jobs/", {"video": video.pk, "preset": "vp9-720p"}, format="json").json()
    assert alice_api.get(f"/api/v1/jobs/{first['id']}/").json()["queue_position"] == 0  # handed to a worker
    assert alice_api.get(f"/api/v1/jobs/{second['id']}/").json()["queue_position"] == 1


def test_ids_too_large_for_the_database_are_refused_not_a_server_error(alice_api):
    huge = 2**64
    assert alice_api.get(f"/api/v1/jobs/{huge}/").status_code == 404
    assert alice_api.post(f"/api/v1/jobs/{huge}/cancel/").status_code == 404
    r = alice_api.post("/api/v1/jobs/", {"video": huge, "preset": "h264-480p"}, format="json")
    assert r.status_code == 400 and "video" in r.json()["errors"]


def test_encoding_is_refused_when_the_quota_is_used_up(alice, alice_api, clips):
    from accounts.models import UserSettings
    from tests.encoding.conftest import make_video

    video = make_video(alice, clips.av_mp4)
    UserSettings.objects.filter(user=alice).update(quota_mb=0)
    r = alice_api.post("/api/v1/jobs/", {"video": video.pk, "preset": "h264-480p"}, format="json")
    assert r.status_code == 413
    assert r.json()["code"] == "quota_exceeded" and "storage is full" in r.json()["detail"]
    assert not Job.objects.filter(video=video).exists()
