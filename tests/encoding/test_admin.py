"""Admin: jobs filterable by state and owner, a cancel action that goes through the service."""

import pytest
from django.test import Client

from encoding import services
from encoding.models import Job, Preset
from tests.encoding.conftest import make_video

pytestmark = pytest.mark.django_db


def test_operator_filters_jobs_and_cancels_selected(operator, alice, bob, clips):
    preset = Preset.objects.get(slug="h264-480p")
    a = services.job_create(owner=alice, video=make_video(alice, clips.av_mp4), preset=preset)
    b = services.job_create(owner=bob, video=make_video(bob, clips.av_mp4), preset=preset)
    client = Client()
    client.force_login(operator)
    listing = client.get(f"/admin/encoding/job/?state__exact=queued&owner__id__exact={alice.pk}")
    assert listing.status_code == 200 and list(listing.context["cl"].queryset) == [a]
    r = client.post("/admin/encoding/job/", {"action": "cancel_jobs", "_selected_action": [a.pk]}, follow=True)
    assert "Cancelled 1 job(s)" in r.content.decode()
    assert Job.objects.get(pk=a.pk).state == Job.State.CANCELLED
    assert Job.objects.get(pk=b.pk).state == Job.State.QUEUED


def test_non_staff_cannot_open_the_jobs_admin(alice):
    client = Client()
    client.force_login(alice)
    assert client.get("/admin/encoding/job/").status_code == 302
