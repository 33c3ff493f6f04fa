"""upload, ls, info, rename, rm, download."""

from __future__ import annotations

import sys
from pathlib import Path

from mediaportal.cli import transfer
from mediaportal.cli.client import Api
from mediaportal.cli.errors import CliError, Exit
from mediaportal.cli.output import emit, human_size, print_fields, print_json, print_table

VIDEO_COLUMNS = ("id", "title", "duration", "width", "height", "size", "renditions", "created")


def _video_row(video: dict) -> dict:
    return {**video, "size": human_size(video.get("size")),
            "renditions": [r.get("preset") for r in video.get("renditions") or []],
            "created": (video.get("created") or "")[:19].replace("T", " ")}


def cmd_upload(args) -> int:
    api = Api.for_server(args.server)
    files = [Path(f) for f in args.files]
    for f in files:
        if not f.is_file():
            raise CliError(f"No such file: {f}", Exit.USAGE)
    results = []
    for f in files:
        video_id = transfer.tus_upload(api, f, preset=args.preset, title=args.title if len(files) == 1 else None,
                                       chunk_size=args.chunk_size * 1024 * 1024, progress=args.progress)
        video = api.get(f"videos/{video_id}/")
        results.append(video)
        if not args.json:
            print(f"{f.name}: video {video_id} ({video.get('title')})")
    if args.json:
        print_json(results)
    return Exit.OK


def cmd_ls(args) -> int:
    params = {k: v for k, v in (("search", args.search), ("ordering", args.ordering)) if v}
    videos = list(Api.for_server(args.server).paginate("videos/", params))
    if args.json:
        print_json(videos)
    else:
        print_table([_video_row(v) for v in videos], VIDEO_COLUMNS)
    return Exit.OK


def cmd_info(args) -> int:
    video = Api.for_server(args.server).get(f"videos/{args.video}/")
    if args.json:
        print_json(video)
        return Exit.OK
    print_fields({**video, "size": human_size(video.get("size"))})
    renditions = video.get("renditions") or []
    if renditions:
        print("\nrenditions:")
        print_table([{**r, "size": human_size(r.get("size"))} for r in renditions],
                    ("id", "preset", "video_codec", "width", "height", "size"))
    return Exit.OK


def cmd_rename(args) -> int:
    video = Api.for_server(args.server).patch(f"videos/{args.video}/", json={"title": args.title})
    emit(args, video) if args.json else print(f"video {video['id']}: {video['title']}")
    return Exit.OK


def cmd_rm(args) -> int:
    api = Api.for_server(args.server)
    for video_id in args.videos:
        api.delete(f"videos/{video_id}/")
        print(f"deleted video {video_id}", file=sys.stderr)
    return Exit.OK


def cmd_download(args) -> int:
    api = Api.for_server(args.server)
    if args.rendition:
        url, params, name = f"renditions/{args.rendition}/download/", None, f"rendition-{args.rendition}"
    else:
        if args.video is None:
            raise CliError("Name a video (or --rendition ID).", Exit.USAGE)
        params = {"variant": "original"} if args.original else {"preset": args.preset} if args.preset else None
        url, name = f"videos/{args.video}/download/", f"video-{args.video}"
    output = Path(args.output) if args.output else None
    path = transfer.download(api, url, params=params, output=output, default_name=name, progress=args.progress,
                              overwrite=args.force)
    print(str(path))
    return Exit.OK
