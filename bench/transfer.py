#!/usr/bin/env python
"""Loopback transfer benchmark: a large file up (tus, tuspy) and down (HTTP Range download)
through mediaportal (daphne), beside the same transfers served by nginx (WebDAV PUT / static GET)
and a raw socket copy. Prints MB/s and ratios. Not a test: run it by hand.

    .venv/bin/python bench/transfer.py                 # 1 GiB generated clip
    .venv/bin/python bench/transfer.py --size-mb 200   # quicker
    .venv/bin/python bench/transfer.py --file my.mkv   # your own video

Everything runs in a temporary data directory (its own database, media and nginx config) that is
removed at the end; nothing touches ./var. nginx is optional (`apt-get install -y nginx-light`).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def make_clip(path: Path, size_mb: int) -> None:
    """Test media (like tests/clips.py): uncompressed 720p frames in Matroska, fast to make and
    a real, probe-able video of about size_mb."""
    sys.path.insert(0, str(BASE))
    from mediaportal.lib.media import find_ffmpeg

    binary = find_ffmpeg(os.environ.get("FFMPEG_BINARY"))
    if binary is None:
        sys.exit("no ffmpeg found")
    frames = max(30, size_mb * MB // (1280 * 720 * 3 // 2))
    subprocess.run([binary, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=1280x720:rate=25", "-frames:v", str(frames), "-c:v", "rawvideo",
                    "-pix_fmt", "yuv420p", str(path)], check=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(4 * MB), b""):
            h.update(block)
    return h.hexdigest()


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def download(url: str, dst: Path, headers: dict) -> None:
    import requests

    with requests.get(url, headers={**headers, "Range": "bytes=0-"}, stream=True, timeout=600) as resp:
        if resp.status_code not in (200, 206):
            raise RuntimeError(f"GET {url}: HTTP {resp.status_code} {resp.text[:200]}")
        with open(dst, "wb") as out:
            for chunk in resp.iter_content(1 * MB):
                out.write(chunk)


class Portal:
    """manage.py serve (daphne only) on its own data directory, with one user and token."""

    def __init__(self, data: Path):
        self.env = {**os.environ, "MEDIAPORTAL_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1",
                    "MEDIAPORTAL_MAX_UPLOAD_MB": "100000", "MEDIAPORTAL_QUOTA_MB": "100000"}
        self.env.pop("DATABASE_URL", None)
        self.env.pop("REDIS_URL", None)
        py = [sys.executable, "manage.py"]
        subprocess.run([*py, "migrate", "--noinput", "-v0"], cwd=BASE, env=self.env, check=True)
        self.token = subprocess.run(
            [*py, "shell", "-c", "from accounts.services import user_register as r;"
             "from rest_framework.authtoken.models import Token as T;"
             "u=r(username='bench',email='b@example.com',password='bench-pass-2291x');"
             "print(T.objects.create(user=u).key)"],
            cwd=BASE, env=self.env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(data / "serve.log", "w")
        self.proc = subprocess.Popen([*py, "serve", "--no-workers", "--host", "127.0.0.1", "--port", str(self.port)],
                                     cwd=BASE, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_port(self.port)
        self.media = data / "media"

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


class Nginx:
    def __init__(self, root: Path, conf_dir: Path):
        self.binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        if self.binary is None:
            raise FileNotFoundError("nginx not installed (apt-get install -y nginx-light)")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        conf = conf_dir / "nginx.conf"
        # Started as root, nginx's workers would drop to "nobody" and could not write the temp dir.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        conf.write_text(f"""
{user} daemon off; worker_processes 1; pid {conf_dir}/nginx.pid; error_log {conf_dir}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off; sendfile on; client_max_body_size 0; client_body_temp_path {conf_dir}/body;
  server {{
    listen 127.0.0.1:{self.port};
    root {root};
    location / {{ dav_methods PUT; create_full_put_path on; }}
  }}
}}
""")
        self.proc = subprocess.Popen([self.binary, "-c", str(conf), "-p", str(conf_dir)], start_new_session=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def raw_socket_copy(src: Path, dst: Path) -> tuple[float, float]:
    """The old project's way: bytes over a bare TCP socket into a file, and back (seconds up, down)."""
    def serve(listener: socket.socket, mode: str) -> None:
        conn, _ = listener.accept()
        with conn:
            if mode == "recv":
                with open(dst, "wb") as out:
                    while block := conn.recv(1 * MB):
                        out.write(block)
            else:
                with open(dst, "rb") as fh:
                    conn.sendfile(fh)

    results = []
    for mode in ("recv", "send"):
        listener = socket.create_server(("127.0.0.1", 0))
        thread = threading.Thread(target=serve, args=(listener, mode))
        thread.start()
        start = time.perf_counter()
        with socket.create_connection(listener.getsockname()) as client:
            if mode == "recv":
                with open(src, "rb") as fh:
                    client.sendfile(fh)
                client.shutdown(socket.SHUT_WR)
            else:
                with open(dst.with_suffix(".back"), "wb") as out:
                    while block := client.recv(1 * MB):
                        out.write(block)
        thread.join()
        results.append(time.perf_counter() - start)
        listener.close()
    dst.with_suffix(".back").unlink()
    return results[0], results[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the generated clip (default 1024)")
    parser.add_argument("--file", type=Path, help="use this video instead of generating one")
    parser.add_argument("--chunk-mb", type=int, default=64, help="tus PATCH size (default 64)")
    args = parser.parse_args()

    from tusclient import client as tus_client

    tmp = Path(tempfile.mkdtemp(prefix="mediaportal-bench-"))
    portal = nginx = None
    try:
        src = args.file or tmp / "bench.mkv"
        if not args.file:
            print(f"making a {args.size_mb} MB clip…", flush=True)
            make_clip(src, args.size_mb)
        size = src.stat().st_size
        src_hash = sha256(src)
        portal = Portal(tmp / "data")
        auth = {"Authorization": f"Token {portal.token}"}
        rows = []

        uploader = tus_client.TusClient(f"{portal.url}/api/v1/uploads/", headers=auth).uploader(
            str(src), chunk_size=args.chunk_mb * MB, metadata={"filename": src.name})
        up = timed(uploader.upload)
        import requests

        head = requests.head(uploader.url, headers={**auth, "Tus-Resumable": "1.0.0"}, timeout=30)
        video_id = head.headers["X-Video-Id"]
        got = tmp / "down.bin"
        down = timed(lambda: download(f"{portal.url}/api/v1/videos/{video_id}/download/?variant=original", got, auth))
        assert sha256(got) == src_hash, "downloaded bytes differ from the source"
        got.unlink()

        refs = {}
        try:
            nginx = Nginx(tmp / "www", tmp)
            (tmp / "www").mkdir(exist_ok=True)
            with open(src, "rb") as fh:
                n_up = timed(lambda: requests.put(f"{nginx.url}/bench.bin", data=fh, timeout=600).raise_for_status())
            n_down = timed(lambda: download(f"{nginx.url}/bench.bin", got, {}))
            assert sha256(got) == src_hash
            got.unlink()
            refs["nginx"] = (n_up, n_down)
        except FileNotFoundError as exc:
            print(f"(skipping nginx: {exc})")
        refs["raw socket"] = raw_socket_copy(src, tmp / "raw.bin")

        def rate(seconds: float) -> float:
            return size / MB / seconds

        print(f"\n{size / MB:,.0f} MB on loopback, tus chunks of {args.chunk_mb} MB, {os.cpu_count()} CPUs")
        print(f"{'':24}{'upload MB/s':>14}{'download MB/s':>16}")
        print(f"{'mediaportal (daphne)':24}{rate(up):>14.1f}{rate(down):>16.1f}")
        for name, (r_up, r_down) in refs.items():
            print(f"{name:24}{rate(r_up):>14.1f}{rate(r_down):>16.1f}")
            rows.append((name, up / r_up if r_up else 0, down / r_down if r_down else 0))
        for name, up_ratio, down_ratio in rows:
            print(f"mediaportal / {name}: upload {1 / up_ratio:.2f}x, download {1 / down_ratio:.2f}x")
    finally:
        if nginx:
            nginx.stop()
        if portal:
            portal.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
