import pytest

pytestmark = pytest.mark.django_db


def test_operator_sees_videos_and_uploads_but_cannot_delete_files_away(client, operator, alice, make_video):
    video = make_video(alice, title="In admin")
    client.force_login(operator)
    assert "In admin" in client.get("/admin/library/video/").content.decode()
    assert client.get(f"/admin/library/video/{video.pk}/change/").status_code == 200
    assert client.get(f"/admin/library/video/{video.pk}/delete/").status_code == 403
    assert client.get("/admin/library/upload/").status_code == 200


def test_users_cannot_open_the_admin(client, alice):
    client.force_login(alice)
    assert client.get("/admin/library/video/").status_code == 302
