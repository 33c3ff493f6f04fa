"""Streaming fixtures: videos made from the shared clips, destinations, and a real RTMP receiver."""

from __future__ import annotations

import logging
import shutil
import socket
import struct
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from library.models import Video
from library.storage import new_name, relative, user_dir
from mediaportal.lib.media import probe
from streaming.services import destination_create
from tests.live import free_port
from tests.rtmp import Receiver

KEY = "live_4242_SecretKeyAbc"


def make_video(owner, clip: Path, title: str = "clip", media_root: Path | None = None) -> Video:
    """A library video whose original is a copy of `clip` (under the given media root)."""
    if media_root is None:
        folder = user_dir(owner.pk, "originals")
        dst = folder / new_name(clip.suffix)
        name = relative(dst)
    else:
        folder = media_root / f"u{owner.pk}" / "originals"
        folder.mkdir(parents=True, exist_ok=True)
        dst = folder / new_name(clip.suffix)
        name = str(dst.relative_to(media_root))
    shutil.copyfile(clip, dst)
    info = probe(dst)
    return Video.objects.create(owner=owner, title=title, original_name=clip.name, original=name,
                                duration=info.duration, size=dst.stat().st_size, container=info.container or "",
                                video_codec=info.video_codec or "", audio_codec=info.audio_codec or "")


@pytest.fixture
def receivers(ffmpeg_bin, tmp_path):
    started: list[Receiver] = []

    def start(key: str = KEY) -> Receiver:
        receiver = Receiver(ffmpeg_bin, tmp_path, key)
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.stop()


@pytest.fixture
def dead_base() -> str:
    """An ingest URL where nothing listens."""
    return f"rtmp://127.0.0.1:{free_port()}/app"


def custom_destination(owner, base: str, name: str = "mine", key: str = KEY):
    return destination_create(owner=owner, name=name, platform="custom", url=base, stream_key=key)


@pytest.fixture(autouse=True)
def _no_stream_queue(request, monkeypatch):
    """Outside the browser tests nothing is enqueued: tests run the worker function themselves,
    and a stream cluster of a running live portal must not pick their streams up."""
    if request.node.get_closest_marker("browser") is None:
        calls: list[int] = []
        monkeypatch.setattr("streaming.services._enqueue", calls.append)
        return calls
    return None


@pytest.fixture
def enqueued(_no_stream_queue):
    return _no_stream_queue


@pytest.fixture
def portal_media_root() -> Path:
    return Path(settings.DATA_DIR) / "media"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def logs():
    """Every log line written during the test (works with `-p no:logging`, unlike caplog)."""
    handler = _Collect()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


def _amf_string(text: str) -> bytes:
    data = text.encode()
    return b"\x02" + struct.pack(">H", len(data)) + data


def _amf_object(values: dict[str, str]) -> bytes:
    out = b"\x03"
    for key, value in values.items():
        out += struct.pack(">H", len(key)) + key.encode() + _amf_string(value)
    return out + b"\x00\x00\x09"


def _rtmp_message(payload: bytes, type_id: int = 0x14, chunk_stream: int = 3, chunk: int = 128) -> bytes:
    """One RTMP message in 128-byte chunks (type 0x14: an AMF0 command)."""
    header = bytes([chunk_stream]) + b"\x00\x00\x00" + struct.pack(">I", len(payload))[1:] + bytes([type_id])
    out = header + struct.pack("<I", 0) + payload[:chunk]
    for start in range(chunk, len(payload), chunk):
        out += bytes([0xC0 | chunk_stream]) + payload[start:start + chunk]
    return out


class RefusingIngest:
    """A minimal RTMP server that completes the handshake and then refuses, as an ingest server does
    with a wrong stream key: it answers the client's connect with an `_error` command."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.server.settimeout(20)
        self.base = f"rtmp://127.0.0.1:{self.server.getsockname()[1]}/live2"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @staticmethod
    def _read(conn: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            more = conn.recv(size - len(data))
            if not more:
                raise EOFError
            data += more
        return data

    def _serve(self) -> None:
        try:
            conn, _ = self.server.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(10)
            try:
                c0c1 = self._read(conn, 1537)
                conn.sendall(b"\x03" + bytes(1536) + c0c1[1:])  # S0, S1, S2 (echo of C1)
                self._read(conn, 1536)  # C2
                conn.settimeout(0.5)
                try:
                    conn.recv(65536)  # the client's connect command
                except TimeoutError:
                    pass
                command = (_amf_string("_error") + b"\x00" + struct.pack(">d", 1.0) + b"\x05" + _amf_object(
                    {"level": "error", "code": "NetStream.Publish.BadName", "description": "Invalid stream key"}))
                conn.sendall(_rtmp_message(command))
                time.sleep(1)
            except (OSError, EOFError):
                pass

    def close(self) -> None:
        self.server.close()
        self.thread.join(timeout=5)


@pytest.fixture
def refusing_ingest():
    ingest = RefusingIngest()
    yield ingest
    ingest.close()
