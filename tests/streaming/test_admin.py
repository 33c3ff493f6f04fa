import pytest
from django.test import Client

from streaming import crypto
from streaming.models import Destination
from tests.streaming.conftest import KEY, custom_destination

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_web(operator):
    client = Client()
    client.force_login(operator)
    return client


def test_operator_adds_a_destination_with_an_encrypted_key(admin_web, alice):
    r = admin_web.post("/admin/streaming/destination/add/", {
        "owner": alice.pk, "name": "ops", "platform": "custom", "url": "rtmp://ingest.example/app",
        "secure": "on", "stream_key": KEY})
    assert r.status_code == 302, r.content.decode()[:2000]
    dest = Destination.objects.get(owner=alice)
    assert crypto.decrypt(dest.stream_key_encrypted) == KEY


def test_admin_pages_never_show_the_key_and_keep_it_when_empty(admin_web, alice):
    dest = custom_destination(alice, "rtmp://a.example/app")
    for url in ("/admin/streaming/destination/", f"/admin/streaming/destination/{dest.pk}/change/"):
        page = admin_web.get(url).content.decode()
        assert KEY not in page and dest.stream_key_encrypted not in page
    old = dest.stream_key_encrypted
    r = admin_web.post(f"/admin/streaming/destination/{dest.pk}/change/", {
        "owner": alice.pk, "name": "renamed", "platform": "custom", "url": "rtmp://a.example/app", "stream_key": ""})
    assert r.status_code == 302
    dest.refresh_from_db()
    assert (dest.name, dest.stream_key_encrypted) == ("renamed", old)


def test_admin_refuses_a_file_url(admin_web, alice):
    r = admin_web.post("/admin/streaming/destination/add/", {
        "owner": alice.pk, "name": "bad", "platform": "custom", "url": "file:/etc/passwd", "stream_key": KEY})
    assert r.status_code == 200 and "Only rtmp:// and rtmps:// URLs are allowed." in r.content.decode()
    assert not Destination.objects.exists()


def test_stream_admin_lists(admin_web):
    assert admin_web.get("/admin/streaming/stream/").status_code == 200
