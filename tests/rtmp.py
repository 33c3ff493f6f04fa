"""A real RTMP receiver on loopback (`ffmpeg -listen 1`), what a stream test pushes to and checks."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import av

from tests.live import free_port


def _listening(port: int) -> bool:
    # A test connection would be taken as the one client ffmpeg -listen accepts, so look instead.
    suffix = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = [line.split() for line in Path(table).read_text().splitlines()[1:]]
        except OSError:
            continue
        if any(len(r) > 3 and r[1].endswith(suffix) and r[3] == "0A" for r in rows):
            return True
    return False


@dataclass
class Received:
    codecs: set[str]
    container: str
    duration: float
    size: int


class Receiver:
    """ffmpeg -listen on loopback: the RTMP server a stream pushes to."""

    def __init__(self, ffmpeg_bin: str, folder: Path, key: str):
        self.port = free_port()
        self.key = key
        self.base = f"rtmp://127.0.0.1:{self.port}/app"
        self.out = folder / f"received-{self.port}.flv"
        self.proc = subprocess.Popen(
            [ffmpeg_bin, "-hide_banner", "-loglevel", "error", "-listen", "1", "-i", f"{self.base}/{key}",
             "-c", "copy", "-y", str(self.out)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while not _listening(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"RTMP receiver did not start: {self.proc.stderr.read().decode()}")
            time.sleep(0.05)

    def finish(self, timeout: float = 15) -> Received:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            self.proc.wait(timeout=5)
        return self.received()

    def received(self) -> Received:
        if not self.out.exists() or self.out.stat().st_size == 0:
            return Received(set(), "", 0.0, 0)
        with av.open(str(self.out)) as container:
            codecs = {s.codec_context.name for s in container.streams}
            end = 0.0
            for packet in container.demux():
                if packet.pts is not None and packet.time_base is not None:
                    end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
            return Received(codecs, container.format.name, end, self.out.stat().st_size)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
