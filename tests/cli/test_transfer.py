"""Pieces of the transfer code that need no server: file names from Content-Disposition, tus metadata."""

import base64

import pytest

from mediaportal.cli.transfer import _metadata, filename_from


@pytest.mark.parametrize(("header", "name"), [
    ('attachment; filename="holiday [h264-720p].mp4"', "holiday [h264-720p].mp4"),
    ("attachment; filename*=utf-8''%C3%A9t%C3%A9.mp4", "été.mp4"),
    ('attachment; filename="../../etc/passwd"', "passwd"),
    ('attachment; filename="..\\\\evil.mp4"', "evil.mp4"),
    ('attachment; filename=".."', None),
    ("inline", None),
    (None, None),
])
def test_the_download_name_is_never_a_path(header, name):
    assert filename_from(header) == name


def test_tus_metadata_is_base64_and_skips_empty_values():
    header = _metadata({"filename": "a b.mp4", "preset": None, "title": "Été"})
    pairs = dict(p.split(" ") for p in header.split(","))
    assert set(pairs) == {"filename", "title"}
    assert base64.b64decode(pairs["title"]).decode() == "Été"
