"""`manage.py serve`: daphne (HTTP + websockets) and the django-q2 cluster as one process tree.

Each child runs in its own process group, so stopping it also stops whatever it started
(worker processes and their ffmpeg): Ctrl-C or SIGTERM leaves nothing behind.
"""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

STOP_GRACE_SECONDS = 10


def _stop_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


class Command(BaseCommand):
    help = "Serve the portal (daphne) and run the encoding/streaming workers (django-q2) together."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-workers", action="store_true", help="Run the web server only.")

    def handle(self, *args, host: str, port: int, no_workers: bool, **options):
        from mediaportal.startup import recover_after_restart

        recover_after_restart()
        manage = [sys.executable, "-m", "django"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "mediaportal.settings")}
        commands = {"web": [sys.executable, "-m", "daphne", "-b", host, "-p", str(port), "mediaportal.asgi:application"]}
        if not no_workers:
            commands["workers"] = [*manage, "qcluster"]
        children = {
            name: subprocess.Popen(cmd, env=env, start_new_session=True, stdin=subprocess.DEVNULL)
            for name, cmd in commands.items()
        }
        self.stdout.write(f"mediaportal serving on http://{host}:{port}/ (pids: "
                          + ", ".join(f"{n} {p.pid}" for n, p in children.items()) + ")")
        if not no_workers:
            # Streams last as long as their file (or until stopped): they get their own cluster
            # (streaming/cluster.py) so they never hold the encoders' workers. Stopped like the others.
            children["streams"] = subprocess.Popen([*manage, "streamcluster"], env=env, start_new_session=True,
                                                   stdin=subprocess.DEVNULL)
            self.stdout.write(f"stream workers: pid {children['streams'].pid}")

        stopping = {"signal": None}

        def on_signal(signum, frame):
            stopping["signal"] = signum

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)

        exit_code = 0
        while stopping["signal"] is None:
            dead = [name for name, p in children.items() if p.poll() is not None]
            if dead:
                self.stderr.write(f"{', '.join(dead)} exited unexpectedly; stopping the rest.")
                exit_code = 1
                break
            time.sleep(0.2)

        # SIGTERM to each leader only: django-q2's sentinel stops its own workers in order, and
        # signalling them directly as well makes it respawn them while shutting down.
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        # Whatever is still alive in the groups (a worker stuck in ffmpeg, say) is killed outright.
        for proc in children.values():
            _stop_group(proc, signal.SIGKILL)
            proc.wait()
        self.stdout.write("mediaportal stopped.")
        if exit_code:
            sys.exit(exit_code)
