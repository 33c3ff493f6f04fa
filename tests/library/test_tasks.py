from datetime import timedelta

import pytest
from django.utils import timezone

from library.models import Upload
from library.tasks import expire_uploads
from tests.library.conftest import tus_create, tus_patch, user_files

pytestmark = pytest.mark.django_db


def test_expire_uploads_removes_only_expired_partials(alice, alice_api):
    old = tus_create(alice_api, 100, filename="old.mp4")["Location"]
    tus_patch(alice_api, old, 0, b"x" * 10)
    tus_create(alice_api, 100, filename="fresh.mp4")
    Upload.objects.filter(filename="old.mp4").update(expires=timezone.now() - timedelta(minutes=1))
    assert expire_uploads() == 1
    assert list(Upload.objects.values_list("filename", flat=True)) == ["fresh.mp4"]
    assert len(user_files(alice)) == 1


def test_the_cluster_expires_uploads_hourly():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="library.tasks.expire_uploads")
    assert (schedule.schedule_type, schedule.repeats) == (Schedule.HOURLY, -1)
