"""presets, encode (with a live bar fed by the status websocket), jobs, job, cancel, retry."""

from __future__ import annotations

import json
import sys
import time

from tqdm import tqdm

from mediaportal.cli.client import Api
from mediaportal.cli.errors import CliError, Exit
from mediaportal.cli.output import emit, print_json, print_table

FINAL = {"succeeded", "failed", "cancelled"}
JOB_COLUMNS = ("id", "video", "preset", "state", "progress", "queue_position", "rendition", "error")


def cmd_presets(args) -> int:
    presets = list(Api.for_server(args.server).paginate("presets/"))
    emit(args, presets, columns=("slug", "name", "codecs", "description"))
    return Exit.OK


class StatusSocket:
    """The /ws/status/ socket, or nothing: if it cannot be opened the caller polls instead."""

    def __init__(self, api: Api):
        self.conn = None
        try:
            from websockets.sync.client import connect

            url = "ws" + api.server[len("http"):] + "/ws/status/"
            # Entered at once (the connection is its own context manager); close() ends it.
            self.conn = connect(url, additional_headers={"Authorization": f"Token {api.token}"},
                                open_timeout=10).__enter__()
        except Exception:  # noqa: BLE001 - any failure just means we poll
            self.conn = None

    def next_event(self, timeout: float) -> dict | None:
        if self.conn is None:
            time.sleep(timeout)
            return None
        try:
            message = json.loads(self.conn.recv(timeout=timeout))
        except TimeoutError:
            return None
        except Exception:  # noqa: BLE001 - closed or garbled: fall back to polling
            self.close()
            return None
        return message if isinstance(message, dict) else None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _postfix(job: dict) -> str:
    parts = [job.get("state", "")]
    if job.get("queue_position"):
        parts.append(f"queue #{job['queue_position']}")
    for key, fmt in (("fps", "{:.0f} fps"), ("speed", "{:.2f}x"), ("eta", "eta {:.0f}s")):
        if isinstance(job.get(key), (int, float)) and job.get("state") == "running":
            parts.append(fmt.format(job[key]))
    return " ".join(parts)


def wait_for_job(api: Api, job: dict, socket: StatusSocket, *, progress: bool, poll_every: float = 3.0) -> dict:
    """Follow the job until it ends: websocket events drive the bar; a slow poll of the job
    covers events sent before the socket opened, and a socket that dies."""
    label = f"job {job['id']} {job.get('preset', '')}".strip()
    with tqdm(total=100, desc=label, file=sys.stderr, disable=not progress, dynamic_ncols=True,
              bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}") as bar:
        last_poll = time.monotonic()
        while job.get("state") not in FINAL:
            event = socket.next_event(1.0 if socket.conn else 0.5)
            if event and event.get("event") == "job" and (event.get("data") or {}).get("id") == job["id"]:
                job = {**job, **event["data"]}
            elif time.monotonic() - last_poll >= (poll_every if socket.conn else 0.5):
                job = api.get(f"jobs/{job['id']}/")
                last_poll = time.monotonic()
            bar.n = min(100.0, float(job.get("progress") or 0))
            bar.set_postfix_str(_postfix(job), refresh=False)
            bar.refresh()
        if job["state"] == "succeeded":
            bar.n = 100
            bar.refresh()
    # The event's copy can lack fields the API has (rendition details): finish with the API's.
    return api.get(f"jobs/{job['id']}/")


def _finish(args, job: dict) -> int:
    if args.json:
        print_json(job)
    elif job["state"] == "succeeded":
        print(f"job {job['id']} succeeded: rendition {job.get('rendition')}")
    if job["state"] != "succeeded":
        detail = f": {job['error']}" if job.get("error") else ""
        print(f"error: job {job['id']} {job['state']}{detail}", file=sys.stderr)
        return Exit.FAILED
    return Exit.OK


def cmd_encode(args) -> int:
    api = Api.for_server(args.server)
    preset = args.preset or api.get("me/").get("default_preset")
    if not preset:
        raise CliError("No --preset given and no default preset in your settings "
                       "(mediaportal settings set default_preset=SLUG).", Exit.USAGE)
    # Open the socket before creating the job so no event is missed in between.
    socket = StatusSocket(api) if not args.no_wait else None
    try:
        job = api.post("jobs/", json={"video": args.video, "preset": preset})
        if args.no_wait:
            emit(args, job) if args.json else print(f"job {job['id']} {job['state']}")
            return Exit.OK
        return _finish(args, wait_for_job(api, job, socket, progress=args.progress))
    finally:
        if socket:
            socket.close()


def cmd_jobs(args) -> int:
    params = {k: v for k, v in (("state", args.state), ("video", args.video)) if v}
    jobs = list(Api.for_server(args.server).paginate("jobs/", params))
    emit(args, jobs, columns=JOB_COLUMNS)
    return Exit.OK


def cmd_job(args) -> int:
    api = Api.for_server(args.server)
    job = api.get(f"jobs/{args.job}/")
    if args.wait and job.get("state") not in FINAL:
        socket = StatusSocket(api)
        try:
            return _finish(args, wait_for_job(api, job, socket, progress=args.progress))
        finally:
            socket.close()
    emit(args, job)
    return Exit.OK


def _job_action(args, action: str) -> int:
    api = Api.for_server(args.server)
    for job_id in args.jobs:
        job = api.post(f"jobs/{job_id}/{action}/")
        emit(args, job) if args.json else print(f"job {job.get('id', job_id)} {job.get('state', action)}")
    return Exit.OK


def cmd_cancel(args) -> int:
    return _job_action(args, "cancel")


def cmd_retry(args) -> int:
    return _job_action(args, "retry")
