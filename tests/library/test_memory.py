"""A large download through the live daphne server streams: the server's memory stays far below
the file's size, and the bytes arrive intact (a Range from the far end included)."""

import hashlib
import os
from pathlib import Path

import pytest
import requests
from django.conf import settings
from rest_framework.authtoken.models import Token

from library.models import Video

pytestmark = pytest.mark.django_db(transaction=True)
SIZE = 200 * 1024 * 1024


def rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


def test_large_download_streams_without_loading_the_file(live_portal, alice):
    media = Path(settings.DATA_DIR) / "media" / f"u{alice.pk}" / "originals"
    media.mkdir(parents=True, exist_ok=True)
    path = media / "big-sparse.mp4"
    with open(path, "wb") as fh:  # sparse: costs no disk, reads back as zeros
        fh.write(b"head")
        fh.truncate(SIZE - 4)
        fh.seek(SIZE - 4)
        fh.write(b"tail")
    try:
        video = Video.objects.create(owner=alice, title="big", original=f"u{alice.pk}/originals/big-sparse.mp4",
                                     size=SIZE)
        headers = {"Authorization": f"Token {Token.objects.get_or_create(user=alice)[0].key}"}
        web = live_portal.child_pids()["web"]
        before = rss_kb(web, "VmRSS")
        digest, received, peak = hashlib.sha256(), 0, 0
        with requests.get(f"{live_portal.url}/api/v1/videos/{video.pk}/download/", headers=headers,
                          stream=True, timeout=120) as resp:
            assert resp.status_code == 200
            assert resp.headers["Content-Length"] == str(SIZE)
            for chunk in resp.iter_content(1 << 20):
                digest.update(chunk)
                received += len(chunk)
                if received % (20 << 20) < (1 << 20):
                    peak = max(peak, rss_kb(web, "VmRSS"))
        peak = max(peak, rss_kb(web, "VmRSS"))
        assert received == SIZE
        expected = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                expected.update(block)
        assert digest.hexdigest() == expected.hexdigest()
        # Growth well below the file (200 MB): a buffered response would add at least that much.
        assert (peak - before) < 60 * 1024, f"web RSS grew from {before} kB to {peak} kB"

        tail = requests.get(f"{live_portal.url}/api/v1/videos/{video.pk}/download/",
                            headers={**headers, "Range": "bytes=-4"}, timeout=30)
        assert (tail.status_code, tail.content) == (206, b"tail")
    finally:
        os.unlink(path)
