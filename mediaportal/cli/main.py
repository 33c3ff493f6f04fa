"""`mediaportal` entry point: argument parsing, dispatch, and turning errors into exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mediaportal.cli import config
from mediaportal.cli.commands import account, encoding, library, streaming
from mediaportal.cli.errors import EXIT_HELP, CliError, Exit

DESCRIPTION = """Command-line client for a mediaportal server: log in, upload (resumable), encode with a
live progress bar, download (resumable), and stream to RTMP destinations.

The server is --server URL, else $MEDIAPORTAL_URL, else the last one you logged in to, else
http://127.0.0.1:8000. Tokens are kept in $XDG_CONFIG_HOME/mediaportal/config.json (mode 0600);
passwords are read from a prompt or --password-stdin so they stay out of shell history."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2, as argparse does, with our prefix
        self.print_usage(sys.stderr)
        self.exit(Exit.USAGE, f"error: {message}\n")


def _common() -> argparse.ArgumentParser:
    # SUPPRESS: an option given before the subcommand is not overwritten by the subparser's default.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--server", metavar="URL", default=argparse.SUPPRESS,
                        help="portal address (default: $MEDIAPORTAL_URL or the last server logged in to)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print the server's JSON instead of a table")
    common.add_argument("--progress", action="store_true", default=argparse.SUPPRESS,
                        help="show progress bars even when stderr is not a terminal")
    common.add_argument("--no-progress", action="store_true", default=argparse.SUPPRESS, help="never show progress bars")
    return common


def _password_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--username", "-u")
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.add_argument("--password", help="the password (visible in shell history and `ps`: prefer the prompt "
                                      "or --password-stdin)")


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = Parser(prog="mediaportal", description=DESCRIPTION, epilog=EXIT_HELP, parents=[common],
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True

    def add(name: str, func, help: str, **kw) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, parents=[common], **kw)
        p.set_defaults(func=func)
        return p

    p = add("login", account.cmd_login, "log in and keep an API token for this server")
    _password_options(p)
    add("logout", account.cmd_logout, "forget the token kept for this server")
    p = add("register", account.cmd_register, "create an account (and log in)")
    _password_options(p)
    p.add_argument("--email")
    add("whoami", account.cmd_whoami, "show your account and settings")

    p = add("settings", None, "show or change your settings (destinations: see `mediaportal destinations`)")
    ssub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser)
    ssub.required = True
    g = ssub.add_parser("get", parents=[common], help="show settings (or one)")
    g.add_argument("key", nargs="?", help="default_preset, auto_encode, keep_original or email")
    g.set_defaults(func=account.cmd_settings_get)
    s = ssub.add_parser("set", parents=[common], help="change settings",
                        description="KEY=VALUE pairs: default_preset=SLUG|none, auto_encode=on|off, "
                                    "keep_original=on|off (off: replace the original once a rendition is verified), "
                                    "email=ADDRESS")
    s.add_argument("pairs", nargs="+", metavar="KEY=VALUE")
    s.set_defaults(func=account.cmd_settings_set)

    p = add("upload", library.cmd_upload, "upload files (tus, resumable: run again to continue)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--preset", help="encode with this preset once uploaded (overrides your auto-encode setting)")
    p.add_argument("--title", help="title (only when uploading one file)")
    p.add_argument("--chunk-size", type=int, default=8, metavar="MB", help="bytes per request, in MiB (default 8)")

    p = add("ls", library.cmd_ls, "list your videos")
    p.add_argument("--search", "-s")
    p.add_argument("--ordering", "-o", help="created, title, size, duration; prefix - for descending")
    p = add("info", library.cmd_info, "show one video and its renditions")
    p.add_argument("video", type=int)
    p = add("rename", library.cmd_rename, "change a video's title")
    p.add_argument("video", type=int)
    p.add_argument("title")
    p = add("rm", library.cmd_rm, "delete videos (and their renditions)")
    p.add_argument("videos", nargs="+", type=int, metavar="VIDEO")
    p = add("download", library.cmd_download, "download a video (resumes an interrupted download)")
    p.add_argument("video", type=int, nargs="?")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--preset", help="the rendition made with this preset")
    which.add_argument("--original", action="store_true", help="the original upload")
    which.add_argument("--rendition", type=int, metavar="ID", help="a rendition by id (no VIDEO needed)")
    p.add_argument("--output", "-O", metavar="PATH", help="file or directory to write (default: server's name, here)")
    p.add_argument("--force", "-f", action="store_true",
                   help="replace an existing file (default: a new name, or an error for an explicit --output file)")

    add("presets", encoding.cmd_presets, "list the encoding presets")
    p = add("encode", encoding.cmd_encode, "encode a video and follow the job with a progress bar")
    p.add_argument("video", type=int)
    p.add_argument("--preset", help="preset slug (default: your default preset)")
    p.add_argument("--no-wait", action="store_true", help="queue the job and return at once")
    p = add("jobs", encoding.cmd_jobs, "list your encoding jobs")
    p.add_argument("--state", choices=["queued", "running", "succeeded", "failed", "cancelled"])
    p.add_argument("--video", type=int)
    p = add("job", encoding.cmd_job, "show one job (--wait: follow it to the end)")
    p.add_argument("job", type=int)
    p.add_argument("--wait", action="store_true")
    p = add("cancel", encoding.cmd_cancel, "cancel queued or running jobs")
    p.add_argument("jobs", nargs="+", type=int, metavar="JOB")
    p = add("retry", encoding.cmd_retry, "retry failed or cancelled jobs")
    p.add_argument("jobs", nargs="+", type=int, metavar="JOB")

    p = add("destinations", None, "list, add or remove streaming destinations")
    dsub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser)
    dsub.required = True
    d = dsub.add_parser("ls", parents=[common], help="list destinations")
    d.set_defaults(func=streaming.cmd_destinations_ls)
    d = dsub.add_parser("add", parents=[common], help="add a destination (the key is asked for, or --key-stdin)")
    d.add_argument("name")
    d.add_argument("--platform", choices=["youtube", "twitch", "custom"], default="custom")
    d.add_argument("--url", help="rtmp(s):// address (custom platform)")
    d.add_argument("--key-stdin", action="store_true", help="read the stream key from stdin")
    d.add_argument("--key", help="the stream key (visible in shell history: prefer the prompt or --key-stdin)")
    d.set_defaults(func=streaming.cmd_destinations_add)
    d = dsub.add_parser("rm", parents=[common], help="remove destinations")
    d.add_argument("destinations", nargs="+", type=int, metavar="ID")
    d.set_defaults(func=streaming.cmd_destinations_rm)

    p = add("stream", None, "start, stop or show live streams")
    tsub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser)
    tsub.required = True
    t = tsub.add_parser("start", parents=[common], help="stream a video to destinations")
    t.add_argument("video", type=int, nargs="?")
    t.add_argument("--rendition", type=int, metavar="ID")
    t.add_argument("--dest", type=int, action="append", required=True, metavar="ID",
                   help="destination id (repeat for several)")
    t.add_argument("--loop", action="store_true", help="start again from the beginning until stopped")
    t.add_argument("--wait", action="store_true", help="wait until the stream is live (exit 5 if it fails)")
    t.add_argument("--timeout", type=float, default=30, help="seconds --wait waits (default 30)")
    t.set_defaults(func=streaming.cmd_stream_start)
    t = tsub.add_parser("stop", parents=[common], help="stop streams")
    t.add_argument("streams", nargs="+", type=int, metavar="ID")
    t.add_argument("--wait", action="store_true", help="wait until the stream has ended")
    t.add_argument("--timeout", type=float, default=30, help="seconds --wait waits (default 30)")
    t.set_defaults(func=streaming.cmd_stream_stop)
    t = tsub.add_parser("status", parents=[common], help="show one stream, or list them")
    t.add_argument("stream", type=int, nargs="?")
    t.set_defaults(func=streaming.cmd_stream_status)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    args.server = config.resolve_server(getattr(args, "server", None))
    args.json = getattr(args, "json", False)
    args.progress = not getattr(args, "no_progress", False) and (getattr(args, "progress", False)
                                                                 or sys.stderr.isatty())
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return int(exc.code)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return int(Exit.INTERRUPTED)
    except BrokenPipeError:
        return int(Exit.OK)
