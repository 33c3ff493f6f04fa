"""The stream worker against real RTMP receivers on loopback (ffmpeg -listen), checked with PyAV."""

import socket
import threading
import time

import pytest

from streaming.models import Stream, StreamState, StreamTarget
from streaming.services import stream_start, stream_stop
from streaming.worker import stream_run
from tests.streaming.conftest import KEY, custom_destination, make_video

pytestmark = pytest.mark.django_db(transaction=True)


def _start(owner, video, dests, loop=False) -> Stream:
    return stream_start(owner=owner, video=video, rendition=None, destinations=dests, loop=loop)


def test_copy_stream_reaches_the_receiver_and_finishes(alice, clips, receivers, logs):
    rx = receivers()
    stream = _start(alice, make_video(alice, clips.av_mp4), [custom_destination(alice, rx.base)])
    assert stream_run(stream_id=stream.pk) == StreamState.FINISHED
    got = rx.finish()
    assert got.container == "flv" and got.codecs == {"h264", "aac"}
    assert got.duration == pytest.approx(2.0, abs=0.35)
    stream.refresh_from_db()
    assert (stream.mode, stream.error, stream.worker_pid is not None) == ("copy", "", True)
    assert stream.elapsed == pytest.approx(2.0, abs=0.35)
    # Nothing is sent any more: the destination is not left "live".
    assert [t.state for t in stream.targets.all()] == [StreamTarget.State.ENDED]
    assert KEY not in logs.text and "is live" in logs.text


def test_a_file_that_does_not_fit_flv_is_encoded_with_the_stream_preset(alice, clips, receivers):
    rx = receivers()
    stream = _start(alice, make_video(alice, clips.rotated_mp4), [custom_destination(alice, rx.base)])
    assert stream_run(stream_id=stream.pk) == StreamState.FINISHED
    got = rx.finish()
    assert got.codecs == {"h264", "aac"} and got.duration == pytest.approx(2.0, abs=0.4)
    stream.refresh_from_db()
    assert stream.mode == "encode"
    assert stream.bitrate_kbps == 4500 + 160  # the stream-ready preset's rates: tee reports none


def test_one_dead_destination_does_not_stop_the_other(alice, clips, receivers, dead_base, logs):
    rx = receivers()
    live = custom_destination(alice, rx.base, name="live")
    dead = custom_destination(alice, dead_base, name="dead", key="OtherSecretKey99")
    stream = _start(alice, make_video(alice, clips.av_mp4), [dead, live])
    assert stream_run(stream_id=stream.pk) == StreamState.FINISHED
    got = rx.finish()
    assert got.codecs == {"h264", "aac"} and got.duration == pytest.approx(2.0, abs=0.35)
    states = {t.name: (t.state, t.error) for t in Stream.objects.get(pk=stream.pk).targets.all()}
    host = dead_base.split("//")[1].split("/")[0]
    assert states["live"] == (StreamTarget.State.ENDED, "")
    assert states["dead"] == (StreamTarget.State.FAILED, f"could not reach the ingest server at {host} (connection refused)")
    assert "failed: could not reach the ingest server" in logs.text  # logged, redacted
    assert "OtherSecretKey99" not in logs.text and KEY not in logs.text


def test_all_destinations_dead_fails_with_a_clear_reason(alice, clips, dead_base):
    stream = _start(alice, make_video(alice, clips.av_mp4), [custom_destination(alice, dead_base)])
    assert stream_run(stream_id=stream.pk) == StreamState.FAILED
    stream.refresh_from_db()
    host = dead_base.split("//")[1].split("/")[0]
    assert stream.error == f"could not reach the ingest server at {host} (connection refused)"
    assert KEY not in stream.error
    assert [t.state for t in stream.targets.all()] == [StreamTarget.State.FAILED]


def _run_in_thread(stream_id: int, **kwargs):
    result: dict = {}

    def target():
        from django.db import connection

        try:
            result["state"] = stream_run(stream_id=stream_id, **kwargs)
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    return thread, result


def _wait_for(predicate, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.1)


def test_loop_sends_more_than_the_file_and_stop_ends_it(alice, clips, receivers):
    rx = receivers()
    stream = _start(alice, make_video(alice, clips.av_mp4), [custom_destination(alice, rx.base)], loop=True)
    thread, result = _run_in_thread(stream.pk)
    _wait_for(lambda: Stream.objects.get(pk=stream.pk).elapsed > 3.2)
    assert Stream.objects.get(pk=stream.pk).state == StreamState.LIVE
    stream_stop(stream=Stream.objects.get(pk=stream.pk))
    thread.join(timeout=15)  # about 1 s on an idle box; the bound only keeps a hang from blocking the suite
    assert not thread.is_alive()
    assert result["state"] == StreamState.STOPPED
    assert [t.state for t in Stream.objects.get(pk=stream.pk).targets.all()] == [StreamTarget.State.ENDED]
    got = rx.finish()
    assert got.codecs == {"h264", "aac"} and got.duration > 3.0  # more than the 2 s file


def test_a_stalled_ingest_is_detected(alice, clips):
    # Accepts the TCP connection and then never answers the RTMP handshake.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        base = f"rtmp://127.0.0.1:{server.getsockname()[1]}/app"
        stream = _start(alice, make_video(alice, clips.av_mp4), [custom_destination(alice, base)])
        assert stream_run(stream_id=stream.pk, stall_timeout=1.5) == StreamState.FAILED
    stream.refresh_from_db()
    assert stream.error.startswith("stalled: no progress for 1.5 s")


def test_a_missing_file_fails_with_a_clear_reason(alice, clips, receivers):
    rx = receivers()
    video = make_video(alice, clips.av_mp4)
    stream = _start(alice, video, [custom_destination(alice, rx.base)])
    from library.storage import absolute

    absolute(video.original.name).unlink()
    assert stream_run(stream_id=stream.pk) == StreamState.FAILED
    assert "is missing on the server" in Stream.objects.get(pk=stream.pk).error


def test_a_stream_is_run_only_once(alice, clips, receivers):
    rx = receivers()
    stream = _start(alice, make_video(alice, clips.av_mp4), [custom_destination(alice, rx.base)])
    Stream.objects.filter(pk=stream.pk).update(worker_pid=1)  # another worker has it
    assert stream_run(stream_id=stream.pk) == "not-claimed"
    assert Stream.objects.get(pk=stream.pk).state == StreamState.STARTING


def test_the_longest_stream_time_stops_a_loop(alice, clips, receivers):
    rx = receivers()
    stream = _start(alice, make_video(alice, clips.av_mp4), [custom_destination(alice, rx.base)], loop=True)
    assert stream_run(stream_id=stream.pk, max_seconds=1.5) == StreamState.STOPPED
    assert "longest allowed stream time" in Stream.objects.get(pk=stream.pk).error
    assert rx.finish().duration > 0.3


def test_a_refused_key_is_reported_as_such(alice, clips, refusing_ingest, receivers, logs):
    rx = receivers()
    refused = custom_destination(alice, refusing_ingest.base, name="youtube-ish", key="WrongKey1234")
    good = custom_destination(alice, rx.base, name="good")
    stream = _start(alice, make_video(alice, clips.av_mp4), [refused, good])
    assert stream_run(stream_id=stream.pk) == StreamState.FINISHED
    assert rx.finish().duration == pytest.approx(2.0, abs=0.35)  # the other destination got everything
    target = Stream.objects.get(pk=stream.pk).targets.get(name="youtube-ish")
    assert target.state == StreamTarget.State.FAILED
    assert target.error.startswith("the ingest server refused the stream key")
    assert "WrongKey1234" not in target.error and "WrongKey1234" not in logs.text


def test_a_refused_key_alone_fails_the_stream(alice, clips, refusing_ingest):
    stream = _start(alice, make_video(alice, clips.av_mp4), [custom_destination(alice, refusing_ingest.base)])
    assert stream_run(stream_id=stream.pk) == StreamState.FAILED
    error = Stream.objects.get(pk=stream.pk).error
    assert error == "the ingest server refused the stream key (Server error: Invalid stream key)"
    assert KEY not in error
