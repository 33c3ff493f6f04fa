"""destinations ls/add/rm and stream start/stop/status."""

from __future__ import annotations

import getpass
import sys
import time

from mediaportal.cli.client import Api
from mediaportal.cli.errors import CliError, Exit
from mediaportal.cli.output import emit, print_fields, print_table

STREAM_COLUMNS = ("id", "state", "video", "rendition", "elapsed", "destinations", "error")
STREAM_ENDED = {"stopped", "failed", "finished"}


def cmd_destinations_ls(args) -> int:
    items = list(Api.for_server(args.server).paginate("destinations/"))
    emit(args, items, columns=("id", "name", "platform", "url"))
    return Exit.OK


def _stream_key(args) -> str:
    if args.key_stdin:
        return sys.stdin.readline().strip()
    if args.key is not None:
        return args.key
    if sys.stdin.isatty():
        return getpass.getpass("Stream key: ")
    raise CliError("No stream key: use --key-stdin (or run in a terminal to be asked).", Exit.USAGE)


def cmd_destinations_add(args) -> int:
    body = {"name": args.name, "platform": args.platform, "stream_key": _stream_key(args)}
    if args.url:
        body["url"] = args.url
    item = Api.for_server(args.server).post("destinations/", json=body)
    emit(args, item) if args.json else print(f"destination {item['id']} {item.get('name')}")
    return Exit.OK


def cmd_destinations_rm(args) -> int:
    api = Api.for_server(args.server)
    for dest in args.destinations:
        api.delete(f"destinations/{dest}/")
        print(f"deleted destination {dest}", file=sys.stderr)
    return Exit.OK


def _wait_live(api: Api, stream: dict, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while stream.get("state") == "starting" and time.monotonic() < deadline:
        time.sleep(0.5)
        stream = api.get(f"streams/{stream['id']}/")
    return stream


def cmd_stream_start(args) -> int:
    if (args.video is None) == (args.rendition is None):
        raise CliError("Name a video (VIDEO) or a --rendition ID, not both.", Exit.USAGE)
    body = {"destinations": args.dest, "loop": args.loop}
    body.update({"video": args.video} if args.video is not None else {"rendition": args.rendition})
    api = Api.for_server(args.server)
    stream = api.post("streams/", json=body)
    if args.wait:
        stream = _wait_live(api, stream, args.timeout)
    emit(args, stream) if args.json else print(f"stream {stream['id']} {stream.get('state')}")
    if stream.get("state") == "failed":
        print(f"error: stream {stream['id']} failed: {stream.get('error') or 'no detail'}", file=sys.stderr)
        return Exit.FAILED
    if args.wait and stream.get("state") != "live":
        print(f"error: stream {stream['id']} is {stream.get('state')}, not live", file=sys.stderr)
        return Exit.FAILED
    return Exit.OK


def _wait_ended(api: Api, stream: dict, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while stream.get("state") not in STREAM_ENDED and time.monotonic() < deadline:
        time.sleep(0.3)
        stream = api.get(f"streams/{stream['id']}/")
    return stream


def cmd_stream_stop(args) -> int:
    api = Api.for_server(args.server)
    for stream_id in args.streams:
        stream = api.post(f"streams/{stream_id}/stop/")
        if args.wait:
            stream = _wait_ended(api, stream, args.timeout)
            if stream.get("state") not in STREAM_ENDED:
                raise CliError(f"stream {stream_id} is still {stream.get('state')} after {args.timeout:g} s.")
        emit(args, stream) if args.json else print(f"stream {stream.get('id', stream_id)} {stream.get('state')}")
    return Exit.OK


def cmd_stream_status(args) -> int:
    api = Api.for_server(args.server)
    if args.stream is None:
        emit(args, list(api.paginate("streams/")), columns=STREAM_COLUMNS)
        return Exit.OK
    stream = api.get(f"streams/{args.stream}/")
    if args.json:
        emit(args, stream)
        return Exit.OK
    print_fields(stream)
    if stream.get("destinations"):
        print("\ndestinations:")
        print_table([d if isinstance(d, dict) else {"id": d} for d in stream["destinations"]], ("id", "name", "state"))
    return Exit.FAILED if stream.get("state") == "failed" else Exit.OK
