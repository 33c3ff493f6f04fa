"""The client's moving parts against a real portal, in-process: a tus upload interrupted and
resumed, a download resumed from a stale .part, and a job followed through the status socket only."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from mediaportal.cli import transfer
from mediaportal.cli.client import Api
from mediaportal.cli.commands.encoding import StatusSocket, wait_for_job

pytestmark = pytest.mark.django_db(transaction=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Interrupted(Exception):
    """Stands for Ctrl-C: a real KeyboardInterrupt would stop pytest itself."""


@pytest.fixture
def api(live_portal, alice, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    token, _ = Token.objects.get_or_create(user=alice)
    return Api(live_portal.url, token.key)


def test_an_interrupted_upload_resumes_where_the_server_stopped(api, clips, monkeypatch):
    from library.models import Video

    real_request = Api.request
    patches: list[str] = []
    resumed = False

    def request(self, method, path, **kwargs):
        if method == "PATCH":
            patches.append(kwargs["headers"]["Upload-Offset"])
            if len(patches) == 3 and not resumed:
                raise Interrupted  # Ctrl-C (or a lost connection) in the middle of the file
        return real_request(self, method, path, **kwargs)

    monkeypatch.setattr(Api, "request", request)
    chunk = 16 * 1024
    assert clips.av_mp4.stat().st_size > 4 * chunk
    with pytest.raises(Interrupted):
        transfer.tus_upload(api, clips.av_mp4, chunk_size=chunk)
    assert patches == ["0", str(chunk), str(2 * chunk)]
    assert Video.objects.count() == 0

    patches.clear()
    resumed = True
    video_id = transfer.tus_upload(api, clips.av_mp4, chunk_size=chunk)
    assert patches[0] == str(2 * chunk)  # asked the server (HEAD) and went on from there
    video = Video.objects.get(pk=video_id)
    assert sha256(Path(settings.DATA_DIR) / "media" / video.original.name) == sha256(clips.av_mp4)
    assert transfer._store_path().read_text().strip() == "{}"  # nothing left to resume


def test_a_refused_upload_is_not_resumed_and_says_why(api, clips):
    from mediaportal.cli.errors import CliError

    with pytest.raises(CliError) as exc:
        transfer.tus_upload(api, clips.png, chunk_size=1 << 20)
    assert exc.value.message  # the server's own words
    assert "|" not in transfer._store_path().read_text()


def test_a_download_resumes_and_a_part_longer_than_the_file_starts_again(api, clips, tmp_path):
    video_id = transfer.tus_upload(api, clips.av_mp4)
    out = tmp_path / "out.mp4"
    part = tmp_path / "out.mp4.part"
    data = clips.av_mp4.read_bytes()
    part.write_bytes(data[:1000])
    path = transfer.download(api, f"videos/{video_id}/download/", params={"variant": "original"}, output=out)
    assert path == out and out.read_bytes() == data and not part.exists()

    part.write_bytes(data + b"junk")  # not a prefix of this file any more
    out.unlink()
    transfer.download(api, f"videos/{video_id}/download/", params={"variant": "original"}, output=out)
    assert out.read_bytes() == data


def test_a_part_of_a_file_that_changed_on_the_server_is_not_spliced(api, clips, tmp_path):
    video_id = transfer.tus_upload(api, clips.av_mp4)
    out = tmp_path / "out.mp4"
    (tmp_path / "out.mp4.part").write_bytes(b"X" * 1000)  # bytes of some older file
    (tmp_path / "out.mp4.part.etag").write_text('"old-version"')
    transfer.download(api, f"videos/{video_id}/download/", params={"variant": "original"}, output=out)
    assert out.read_bytes() == clips.av_mp4.read_bytes()
    assert not (tmp_path / "out.mp4.part.etag").exists()


def test_encode_progress_comes_from_the_status_socket(api, clips):
    video_id = transfer.tus_upload(api, clips.av_mp4)
    socket = StatusSocket(api)
    assert socket.conn is not None, "the token was not accepted on /ws/status/"
    try:
        job = api.post("jobs/", json={"video": video_id, "preset": "h264-480p"})
        # A poll interval longer than the test: only socket events can move the job to its end.
        done = wait_for_job(api, job, socket, progress=False, poll_every=10_000)
    finally:
        socket.close()
    assert done["state"] == "succeeded" and done["rendition"]


def test_a_download_never_replaces_a_file_unless_forced(api, clips, tmp_path):
    from mediaportal.cli.errors import CliError

    video_id = transfer.tus_upload(api, clips.av_mp4, title="clip")
    mine = tmp_path / "clip.mp4"  # what the server will call it: the title and the suffix
    mine.write_bytes(b"my own file")
    url, params = f"videos/{video_id}/download/", {"variant": "original"}
    got = transfer.download(api, url, params=params, output=tmp_path)
    assert got == tmp_path / "clip (1).mp4" and mine.read_bytes() == b"my own file"
    with pytest.raises(CliError, match="--force"):
        transfer.download(api, url, params=params, output=mine)
    assert mine.read_bytes() == b"my own file"
    transfer.download(api, url, params=params, output=mine, overwrite=True)
    assert mine.read_bytes() == clips.av_mp4.read_bytes()
