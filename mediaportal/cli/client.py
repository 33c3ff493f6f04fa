"""A thin HTTP client for the portal's /api/v1/: token header, error body → CliError with an exit code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests

from mediaportal.cli import config
from mediaportal.cli.errors import CliError, Exit

TIMEOUT = 30


def error_message(response: requests.Response) -> str:
    """The API's one error shape is {"detail", "code", "errors"?}; anything else gets a short summary."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("detail"):
        message = str(body["detail"])
        errors = body.get("errors")
        if isinstance(errors, dict) and len(errors) > 1:
            extra = "; ".join(f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in errors.items())
            message = f"{message} ({extra})"
        return message
    return f"HTTP {response.status_code} {response.reason or ''}".strip()


def exit_for_status(status: int) -> Exit:
    if status in (401, 403):
        return Exit.AUTH
    if status == 404:
        return Exit.NOT_FOUND
    return Exit.API_ERROR


class Api:
    def __init__(self, server: str, token: str | None = None):
        self.server = config.normalize_server(server)
        self.token = token
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "mediaportal-cli/1"
        if token:
            self.session.headers["Authorization"] = f"Token {token}"

    @classmethod
    def for_server(cls, server: str, *, need_token: bool = True) -> Api:
        token = config.get_credentials(server).get("token")
        if need_token and not token:
            raise CliError(f"Not logged in to {server}: run `mediaportal login` first.", Exit.AUTH)
        return cls(server, token)

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.server}/api/v1/{path.lstrip('/')}"

    def request(self, method: str, path: str, *, ok: tuple[int, ...] = (), **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        try:
            response = self.session.request(method, self.url(path), **kwargs)
        except requests.ConnectionError:
            raise CliError(f"Cannot reach {self.server}: is the portal running? (--server or MEDIAPORTAL_URL)") from None
        except requests.Timeout:
            raise CliError(f"{self.server} did not answer within {kwargs['timeout']} s.") from None
        if response.status_code >= 400 and response.status_code not in ok:
            message = error_message(response)
            if response.status_code == 404 and message.startswith("HTTP 404"):
                message = f"Not found: {method} {response.url} (is this server new enough for this command?)"
            elif response.status_code == 401 and self.token:
                message = f"{message} Your saved token was refused: run `mediaportal login` again."
            raise CliError(message, exit_for_status(response.status_code))
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs).json()

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        response = self.request("POST", path, json=json, **kwargs)
        return response.json() if response.content else {}

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.request("PATCH", path, json=json, **kwargs).json()

    def delete(self, path: str) -> None:
        self.request("DELETE", path)

    def paginate(self, path: str, params: dict | None = None) -> Iterator[dict]:
        """Every item of a paginated listing ({count, next, previous, results}), following `next`."""
        url: str | None = path
        while url:
            page = self.get(url, params=params)
            params = None  # `next` already carries the query
            if isinstance(page, list):
                yield from page
                return
            yield from page.get("results", [])
            url = page.get("next")
