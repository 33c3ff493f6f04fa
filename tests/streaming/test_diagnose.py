"""What the worker makes of ffmpeg's stderr (lines as ffmpeg 7 prints them with -loglevel level+warning)."""

from streaming.diagnose import TeeWatcher, explain, redact

URLS = ["rtmp://127.0.0.1:1935/app/GoodKey1", "rtmp://ingest.example:1936/live/BadKey22"]


def test_redact_hides_every_key_even_inside_urls():
    text = "Slave '[f=flv:onfail=ignore]rtmp://h/app/GoodKey1': GoodKey1 and BadKey22"
    assert redact(text, ["GoodKey1", "BadKey22"]) == "Slave '[f=flv:onfail=ignore]rtmp://h/app/****': **** and ****"


def test_a_refused_connection_marks_that_output_failed():
    w = TeeWatcher(URLS, ["GoodKey1", "BadKey22"])
    assert w.feed("[tcp @ 0x55] [error] Connection to tcp://ingest.example:1936?tcp_nodelay=0 failed: "
                  "Connection refused") == []
    assert w.feed("[rtmp @ 0x56] [error] Cannot open connection tcp://ingest.example:1936?tcp_nodelay=0") == []
    assert w.feed("[tee @ 0x57] [error] Slave '[f=flv:onfail=ignore]rtmp://ingest.example:1936/live/BadKey22': "
                  "error opening: Connection refused") == [1]
    assert w.feed("[tee @ 0x57] [error] Slave muxer #1 failed: Connection refused, continuing with 1/2 slaves.") == []
    assert w.failed == {1: "could not reach the ingest server at ingest.example:1936 (connection refused)"}
    assert not w.all_failed


def test_a_refused_key_is_told_as_such_without_the_key():
    w = TeeWatcher(URLS, ["GoodKey1", "BadKey22"])
    w.feed("[rtmp @ 0x56] [error] Server error: Invalid stream key BadKey22")
    w.feed("[rtmp @ 0x56] [error] Cannot publish")
    assert w.feed("[tee @ 0x57] [error] Slave '[f=flv:onfail=ignore]rtmp://ingest.example:1936/live/BadKey22': "
                  "error opening: Operation not permitted") == [1]
    assert w.failed[1].startswith("the ingest server refused the stream key")
    assert "BadKey22" not in w.failed[1]


def test_a_slave_failing_mid_stream_by_index():
    w = TeeWatcher(URLS, [])
    assert w.feed("[tee @ 0x1] [error] Slave muxer #0 failed: Broken pipe, continuing with 1/2 slaves.") == [0]
    assert w.failed[0] == "the ingest server at 127.0.0.1:1935 closed the connection"


def test_all_outputs_failed_marks_the_rest_and_summarises_once():
    w = TeeWatcher(["rtmp://h:1/a/k1", "rtmp://h:1/a/k2"], ["k1", "k2"])
    w.feed("[tee @ 0x1] [error] Slave '[f=flv:onfail=ignore]rtmp://h:1/a/k1': error opening: Connection refused")
    w.feed("[tee @ 0x1] [error] Slave muxer #0 failed: Connection refused, continuing with 1/2 slaves.")
    w.feed("[tcp @ 0x2] [error] Connection to tcp://h:1?tcp_nodelay=0 failed: Connection refused")
    assert w.feed("[tee @ 0x1] [error] All tee outputs failed.") == [1]
    assert w.all_failed
    assert w.summary() == "could not reach the ingest server at h:1 (connection refused)"


def test_unrelated_lines_change_nothing():
    w = TeeWatcher(URLS, [])
    for line in ["[flv @ 0x1] [warning] Failed to update header with correct duration.", "frame=1", ""]:
        assert w.feed(line) == []
    assert w.failed == {}


def test_explain_other_errors():
    assert explain("Failed to resolve hostname nope.invalid", "rtmp://nope.invalid/app") == \
        "could not find the ingest server nope.invalid (unknown host name)"
    assert explain("Connection timed out", "rtmps://x.example:443/a") == \
        "could not reach the ingest server at x.example:443 (timed out)"
