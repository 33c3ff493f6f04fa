"""login, logout, register, whoami, settings get/set."""

from __future__ import annotations

import getpass
import sys

from mediaportal.cli import config
from mediaportal.cli.client import Api
from mediaportal.cli.errors import CliError, Exit
from mediaportal.cli.output import emit, print_fields


def _username(args) -> str:
    if args.username:
        return args.username
    if not sys.stdin.isatty():
        raise CliError("No username: pass --username.", Exit.USAGE)
    return input("Username: ").strip()


def read_password(args, *, confirm: bool = False) -> str:
    """--password-stdin (first line of stdin), --password, or a prompt that does not echo:
    the first and the last keep it out of shell history and the process list."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif args.password is not None:
        password = args.password
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if confirm and getpass.getpass("Password (again): ") != password:
            raise CliError("The passwords do not match.", Exit.USAGE)
    else:
        raise CliError("No password: use --password-stdin (or run in a terminal to be asked).", Exit.USAGE)
    if not password:
        raise CliError("The password is empty.", Exit.USAGE)
    return password


def cmd_login(args) -> int:
    username = _username(args)
    password = read_password(args)
    api = Api(args.server)
    response = api.request("POST", "auth/token/", json={"username": username, "password": password}, ok=(400,))
    if response.status_code == 400:
        from mediaportal.cli.client import error_message

        raise CliError(error_message(response), Exit.AUTH)
    body = response.json()
    config.save_credentials(api.server, token=body["token"], username=body.get("username", username))
    print(f"Logged in to {api.server} as {body.get('username', username)}.", file=sys.stderr)
    return Exit.OK


def cmd_logout(args) -> int:
    removed = config.forget_credentials(args.server)
    print(f"Logged out of {args.server}." if removed else f"Not logged in to {args.server}.", file=sys.stderr)
    return Exit.OK


def cmd_register(args) -> int:
    username = _username(args)
    email = args.email or (input("Email: ").strip() if sys.stdin.isatty() else "")
    if not email:
        raise CliError("No email: pass --email.", Exit.USAGE)
    password = read_password(args, confirm=True)
    api = Api(args.server)
    body = api.post("auth/register/", json={"username": username, "email": email, "password": password})
    config.save_credentials(api.server, token=body.pop("token"), username=body["username"])
    if args.json:
        emit(args, body)
    else:
        print(f"Registered {body['username']} on {api.server}; you are logged in.", file=sys.stderr)
    return Exit.OK


def cmd_whoami(args) -> int:
    emit(args, Api.for_server(args.server).get("me/"))
    return Exit.OK


SETTINGS = {"default_preset": "slug, or 'none'", "auto_encode": "on/off", "keep_original": "on/off", "email": "address"}


def _setting_value(key: str, raw: str):
    if key in ("auto_encode", "keep_original"):
        value = raw.strip().lower()
        if value in ("1", "on", "true", "yes"):
            return True
        if value in ("0", "off", "false", "no"):
            return False
        raise CliError(f"{key} takes on or off, not {raw!r}.", Exit.USAGE)
    if key == "default_preset" and raw.strip().lower() in ("", "none", "null"):
        return None
    return raw.strip()


def cmd_settings_get(args) -> int:
    me = Api.for_server(args.server).get("me/")
    if args.key:
        if args.key not in me:
            raise CliError(f"No setting {args.key!r}; known: {', '.join(SETTINGS)}.", Exit.USAGE)
        emit(args, me[args.key]) if args.json else print("-" if me[args.key] is None else me[args.key])
    else:
        emit(args, me)
    return Exit.OK


def cmd_settings_set(args) -> int:
    changes = {}
    for pair in args.pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in SETTINGS:
            known = ", ".join(f"{k}=<{v}>" for k, v in SETTINGS.items())
            raise CliError(f"Expected KEY=VALUE with KEY one of: {known}.", Exit.USAGE)
        changes[key] = _setting_value(key, raw)
    me = Api.for_server(args.server).patch("me/", json=changes)
    emit(args, me) if args.json else print_fields(me)
    return Exit.OK
