import pytest
from django.core.exceptions import ValidationError

from streaming.validators import platform_url, validate_ingest_url, validate_stream_key


@pytest.mark.parametrize("url, clean", [
    ("rtmp://live.example.org/app", "rtmp://live.example.org/app"),
    ("rtmps://live.example.org:443/app/", "rtmps://live.example.org:443/app"),
    ("RTMP://127.0.0.1:1935/live", "RTMP://127.0.0.1:1935/live"),
    ("  rtmp://host/app  ", "rtmp://host/app"),
])
def test_good_urls(url, clean):
    assert validate_ingest_url(url) == clean


@pytest.mark.parametrize("url, code", [
    ("", "required"),
    ("file:///etc/passwd", "bad_scheme"),
    ("file:out.flv", "bad_scheme"),
    ("pipe:1", "bad_scheme"),
    ("http://example.org/app", "bad_scheme"),
    ("srt://example.org:9000", "bad_scheme"),
    ("tee:rtmp://a/b", "bad_scheme"),
    ("rtmp://a/b|file:/tmp/x.flv", "bad_characters"),
    ("rtmp://a/[f=flv]b", "bad_characters"),
    ("rtmp://a/b c", "bad_characters"),
    ("rtmp://a/b\nc", "bad_characters"),
    ("rtmp://a/b'c", "bad_characters"),
    ("rtmp:///app", "no_host"),
    ("rtmp://host:99999/app", "bad_port"),
    ("rtmp://" + "a" * 600, "too_long"),
])
def test_bad_urls_are_refused(url, code):
    with pytest.raises(ValidationError) as info:
        validate_ingest_url(url)
    assert info.value.code == code


@pytest.mark.parametrize("key", ["abcd", "live_123456_AbCdEf", "xxxx-yyyy-zzzz-wwww-vvvv", "FB-1-0-Ab?s_bl=1&a=2"])
def test_good_keys(key):
    assert validate_stream_key(key) == key


@pytest.mark.parametrize("key", ["", "abc", "has space", "tab\there", "pipe|key", "quote'key", "ключ-ключ",
                                 "k" * 257, "back\\slash"])
def test_bad_keys_are_refused(key):
    with pytest.raises(ValidationError):
        validate_stream_key(key)


def test_platform_urls_are_the_documented_ingest_points():
    assert platform_url("youtube", False) == "rtmp://a.rtmp.youtube.com/live2"
    assert platform_url("youtube", True) == "rtmps://a.rtmps.youtube.com:443/live2"
    assert platform_url("twitch", False) == "rtmp://live.twitch.tv/app"
    assert platform_url("twitch", True) == "rtmps://live.twitch.tv:443/app"
