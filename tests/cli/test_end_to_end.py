"""The whole flow through the real client against a real portal (daphne + django-q2 workers):
register, login, upload, encode with progress, download with resume, stream to a loopback RTMP
receiver, stop. Another user's client sees none of it."""

import hashlib
import json
import stat
import time
from pathlib import Path

import pytest
from django.conf import settings

from mediaportal.lib.media import probe
from tests.rtmp import Receiver

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-cli-password-7"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ok(result) -> str:
    assert result.returncode == 0, f"rc={result.returncode}\nstdout:{result.stdout}\nstderr:{result.stderr}"
    return result.stdout


def server_file(name: str) -> Path:
    # The portal's MEDIA_ROOT (the test process points its own at a tmp dir).
    return Path(settings.DATA_DIR) / "media" / name


def test_register_upload_encode_download_stream(live_portal, cli_for, clips, ffmpeg_bin, tmp_path):
    from library.models import Rendition

    cli = cli_for(live_portal.url, "carol")
    ok(cli("register", "--username", "carol", "--email", "carol@example.com", "--password-stdin",
           stdin=PASSWORD + "\n"))
    config_file = cli.home / "config" / "mediaportal" / "config.json"
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    assert PASSWORD not in config_file.read_text()

    ok(cli("logout"))
    bad = cli("login", "--username", "carol", "--password-stdin", stdin="wrong-password\n")
    assert bad.returncode == 3, bad.stderr
    ok(cli("login", "--username", "carol", "--password-stdin", stdin=PASSWORD + "\n"))
    assert json.loads(ok(cli("whoami", "--json")))["username"] == "carol"

    slugs = [p["slug"] for p in json.loads(ok(cli("presets", "--json")))]
    assert "h264-480p" in slugs

    uploaded = json.loads(ok(cli("upload", str(clips.av_mp4), "--title", "From the CLI", "--json",
                                 "--chunk-size", "1")))
    video_id = uploaded[0]["id"]
    assert uploaded[0]["title"] == "From the CLI"
    listed = json.loads(ok(cli("ls", "--json")))
    assert [v["id"] for v in listed] == [video_id]

    encoded = cli("encode", str(video_id), "--preset", "h264-480p", "--progress")
    ok(encoded)
    assert "100%" in encoded.stderr  # the bar reached the end (fed by the socket or the poll)
    rendition_id = int(encoded.stdout.strip().rsplit(" ", 1)[1])
    jobs = json.loads(ok(cli("jobs", "--json", "--video", str(video_id))))
    assert [(j["state"], j["rendition"]) for j in jobs] == [("succeeded", rendition_id)]

    out_dir = cli.home / "downloads"
    out_dir.mkdir()
    path = Path(ok(cli("download", "--rendition", str(rendition_id), "-O", str(out_dir))).strip())
    stored = server_file(Rendition.objects.get(pk=rendition_id).file.name)
    assert sha256(path) == sha256(stored)

    # An interrupted download resumes from the .part file with a Range request.
    data = path.read_bytes()
    path.unlink()
    path.with_name(path.name + ".part").write_bytes(data[: len(data) // 2])
    resumed = Path(ok(cli("download", "--rendition", str(rendition_id), "-O", str(out_dir))).strip())
    assert resumed == path and sha256(resumed) == sha256(stored)
    assert not path.with_name(path.name + ".part").exists()

    # Another user's client gets "not found" (exit 4) for carol's things.
    dave = cli_for(live_portal.url, "dave")
    ok(dave("register", "--username", "dave", "--email", "dave@example.com", "--password-stdin",
            stdin=PASSWORD + "\n"))
    assert dave("info", str(video_id)).returncode == 4
    assert dave("download", "--rendition", str(rendition_id)).returncode == 4
    assert json.loads(ok(dave("ls", "--json"))) == []

    _stream_to_loopback(cli, video_id, ffmpeg_bin, tmp_path)


def _stream_to_loopback(cli, video_id: int, ffmpeg_bin: str, tmp_path: Path) -> None:
    receiver = Receiver(ffmpeg_bin, tmp_path, "live-key")  # listening once this returns
    received = receiver.out
    try:
        dest = json.loads(ok(cli("destinations", "add", "loopback", "--platform", "custom",
                                 "--url", receiver.base, "--key-stdin", "--json", stdin="live-key\n")))
        assert "stream_key" not in dest
        stream = json.loads(ok(cli("stream", "start", str(video_id), "--dest", str(dest["id"]), "--loop",
                                   "--wait", "--json")))
        assert stream["state"] == "live"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (received.exists() and received.stat().st_size > 10_000):
            time.sleep(0.2)
        assert received.exists() and received.stat().st_size > 10_000
        status = json.loads(ok(cli("stream", "status", str(stream["id"]), "--json")))
        assert status["state"] == "live"
        stopped = json.loads(ok(cli("stream", "stop", str(stream["id"]), "--wait", "--json")))
        assert (stopped["id"], stopped["state"]) == (stream["id"], "stopped")
        assert json.loads(ok(cli("stream", "status", str(stream["id"]), "--json")))["state"] == "stopped"
        receiver.proc.wait(timeout=20)  # the sender hung up, so the receiver ends
        assert probe(received).video_codec == "h264"  # what arrived is video, not just bytes
    finally:
        receiver.stop()


def test_settings_default_preset_no_wait_and_script_friendly_failures(live_portal, cli_for, clips):
    cli = cli_for(live_portal.url, "erin")
    ok(cli("register", "--username", "erin", "--email", "erin@example.com", "--password-stdin",
           stdin=PASSWORD + "\n"))
    ok(cli("settings", "set", "default_preset=h264-480p", "auto_encode=off", "keep_original=on"))
    assert ok(cli("settings", "get", "default_preset")).strip() == "h264-480p"
    refused = cli("settings", "set", "default_preset=no-such-preset")
    assert refused.returncode == 1 and "default_preset" in refused.stderr
    assert json.loads(ok(cli("settings", "get", "--json")))["default_preset"] == "h264-480p"  # unchanged

    video_id = json.loads(ok(cli("upload", str(clips.av_mp4), "--json")))[0]["id"]
    job = json.loads(ok(cli("encode", str(video_id), "--no-wait", "--json")))  # the default preset
    assert job["preset"] == "h264-480p" and job["state"] in ("queued", "running")
    finished = json.loads(ok(cli("job", str(job["id"]), "--wait", "--json")))
    assert finished["state"] == "succeeded"
    late = cli("cancel", str(job["id"]))
    assert late.returncode == 1 and late.stderr.startswith("error: ")

    assert cli("encode", str(video_id), "--preset", "no-such-preset").returncode == 1

    # A per-upload preset starts a job as soon as the upload is stored; an unknown one is refused.
    refused = cli("upload", str(clips.av_mp4), "--preset", "no-such-preset")
    assert refused.returncode == 1 and "preset" in refused.stderr.lower()
    several = json.loads(ok(cli("upload", str(clips.av_mp4), str(clips.audio_m4a), "--preset", "audio-aac",
                                "--json")))
    assert [v["original_name"] for v in several] == [clips.av_mp4.name, clips.audio_m4a.name]
    second = several[0]["id"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (jobs := json.loads(ok(cli("jobs", "--video", str(second), "--json")))):
        time.sleep(0.3)
    assert [j["preset"] for j in jobs] == ["audio-aac"]
    assert json.loads(ok(cli("job", str(jobs[0]["id"]), "--wait", "--json")))["state"] == "succeeded"
    assert cli("info", "999999").returncode == 4
    ok(cli("rm", str(video_id)))
    assert cli("info", str(video_id)).returncode == 4
    assert cli("download", str(video_id)).returncode == 4

    ok(cli("logout"))
    assert cli("ls").returncode == 3
