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
        session = requests.Session()
        with session.get(f"{live_portal.url}/api/v1/videos/{video.pk}/download/", headers=headers,
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

        # The same keep-alive connection serves the next request (the flow control let go of it).
        for _ in range(2):
            tail = session.get(f"{live_portal.url}/api/v1/videos/{video.pk}/download/",
                               headers={**headers, "Range": "bytes=-4"}, timeout=30)
            assert (tail.status_code, tail.content) == (206, b"tail")
    finally:
        os.unlink(path)


class Zeros:
    """A file-like body of `size` zero bytes that samples a process's memory as it is sent."""

    def __init__(self, size: int, pid: int, peak: dict):
        self.left, self.reads, self.pid, self.peak = size, 0, pid, peak

    def __len__(self):
        return self.left

    def read(self, n=-1):
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        self.reads += 1
        if self.reads % 500 == 0:
            self.peak["kb"] = max(self.peak["kb"], rss_kb(self.pid, "VmRSS"))
        return bytes(n)


def _patch_in_chunks(live_portal, alice, chunk: int) -> tuple[int, int]:
    import base64

    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=alice)[0].key}", "Tus-Resumable": "1.0.0"}
    created = requests.post(f"{live_portal.url}/api/v1/uploads/", headers={
        **headers, "Upload-Length": str(SIZE + 1), "Upload-Metadata": "filename " + base64.b64encode(b"b.mkv").decode()})
    assert created.status_code == 201
    url = created.headers["Location"]
    web = live_portal.child_pids()["web"]
    before = rss_kb(web, "VmRSS")
    peak = {"kb": before}
    offset = 0
    try:
        while offset < SIZE:
            size = min(chunk, SIZE - offset)
            resp = requests.patch(url, data=Zeros(size, web, peak), timeout=120, headers={
                **headers, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
            assert resp.status_code == 204, resp.text
            offset = int(resp.headers["Upload-Offset"])
            peak["kb"] = max(peak["kb"], rss_kb(web, "VmRSS"))
        assert offset == SIZE
    finally:
        requests.delete(url, headers=headers, timeout=30)
    return before, peak["kb"]


def test_large_upload_in_page_sized_chunks_is_not_held_in_memory(live_portal, alice):
    """200 MB in the page's 16 MB PATCHes: the body goes to disk; memory grows by a chunk or two."""
    before, peak = _patch_in_chunks(live_portal, alice, 16 * 1024 * 1024)
    assert peak - before < 60 * 1024, f"web RSS grew from {before} kB to {peak} kB"


def test_one_huge_patch_is_not_held_in_memory(live_portal, alice):
    """tuspy's default sends a whole file in one PATCH: daphne alone would queue all of it in memory
    (mediaportal.daphne_flow hands it over in small chunks instead)."""
    before, peak = _patch_in_chunks(live_portal, alice, SIZE)
    assert peak - before < 60 * 1024, f"web RSS grew from {before} kB to {peak} kB"


def test_a_client_that_stops_reading_does_not_fill_the_server_memory(live_portal, alice):
    """A viewer on a slow link: the server must not read the rest of the file into memory ahead of it."""
    import socket
    import time

    media = Path(settings.DATA_DIR) / "media" / f"u{alice.pk}" / "originals"
    media.mkdir(parents=True, exist_ok=True)
    path = media / "slow-sparse.mp4"
    with open(path, "wb") as fh:
        fh.truncate(SIZE)
    try:
        video = Video.objects.create(owner=alice, title="slow", original=f"u{alice.pk}/originals/slow-sparse.mp4",
                                     size=SIZE)
        token = Token.objects.get_or_create(user=alice)[0].key
        web = live_portal.child_pids()["web"]
        before = rss_kb(web, "VmRSS")
        with socket.create_connection(("127.0.0.1", live_portal.port)) as sock:
            sock.sendall((f"GET /api/v1/videos/{video.pk}/download/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          f"Authorization: Token {token}\r\n\r\n").encode())
            assert sock.recv(100).startswith(b"HTTP/1.1 200")
            samples = []
            for _ in range(3):  # the server has had time to read the whole file from disk many times over
                time.sleep(1)
                samples.append(rss_kb(web, "VmRSS"))
        assert max(samples) - before < 60 * 1024, f"web RSS grew from {before} kB to {samples} kB"
        # The viewer went away mid-file: the server is still there for the next one.
        again = requests.get(f"{live_portal.url}/api/v1/videos/{video.pk}/download/",
                             headers={"Authorization": f"Token {token}", "Range": "bytes=0-9"}, timeout=30)
        assert (again.status_code, again.content) == (206, bytes(10))
    finally:
        os.unlink(path)
