"""Following a job without a server: socket events move it, a poll covers a silent socket, and
an unsuccessful end is exit code 5."""

import argparse

from mediaportal.cli.commands import encoding
from mediaportal.cli.errors import Exit


class FakeSocket:
    def __init__(self, events):
        self.events = list(events)
        self.conn = object()

    def next_event(self, timeout):
        return self.events.pop(0) if self.events else None


class FakeApi:
    def __init__(self, job):
        self.job = job
        self.gets = 0

    def get(self, path):
        self.gets += 1
        return self.job


def _job(**kw):
    return {"id": 7, "video": 1, "preset": "h264-480p", "state": "queued", "progress": 0, "error": "",
            "rendition": None, "queue_position": 1, **kw}


def test_socket_events_for_the_job_drive_it_to_the_end():
    final = _job(state="succeeded", progress=100, rendition=9)
    events = [{"event": "job", "data": _job(id=99, state="failed")},  # another job: ignored
              {"event": "video", "data": {"id": 1, "action": "updated"}},
              {"event": "job", "data": _job(state="running", progress=40.0, fps=50.0, speed=2.0, eta=1.0)},
              {"event": "job", "data": final}]
    api = FakeApi(final)
    done = encoding.wait_for_job(api, _job(), FakeSocket(events), progress=False, poll_every=10_000)
    assert done["state"] == "succeeded"
    assert api.gets == 1  # only the final read of the finished job


def test_a_silent_socket_falls_back_to_polling():
    api = FakeApi(_job(state="failed", error="ffmpeg: invalid data"))
    done = encoding.wait_for_job(api, _job(), FakeSocket([]), progress=False, poll_every=0)
    assert done["state"] == "failed"


def test_a_failed_or_cancelled_job_is_exit_5_with_its_error(capsys):
    args = argparse.Namespace(json=False)
    assert encoding._finish(args, _job(state="failed", error="ffmpeg: invalid data")) == Exit.FAILED
    assert "job 7 failed: ffmpeg: invalid data" in capsys.readouterr().err
    assert encoding._finish(args, _job(state="cancelled")) == Exit.FAILED
    assert encoding._finish(args, _job(state="succeeded", rendition=9)) == Exit.OK
    assert "rendition 9" in capsys.readouterr().out


def test_the_bar_text_shows_queue_place_then_speed():
    assert encoding._postfix(_job()) == "queued queue #1"
    assert encoding._postfix(_job(state="running", queue_position=None, fps=25.0, speed=1.5, eta=3.0)) == \
        "running 25 fps 1.50x eta 3s"
