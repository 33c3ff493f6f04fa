"""Websocket authentication: the session cookie for browsers, `Authorization: Token` for scripts.

A browser always sends Origin, and a cookie-authenticated socket from a foreign Origin would let
any site listen to a user's events (cross-site websocket hijacking), so session logins must come
from an allowed host. Token logins prove themselves and need no Origin.
"""

from urllib.parse import urlsplit

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import validate_host

from accounts.selectors import user_for_token


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _origin_allowed(origin: str | None) -> bool:
    if not origin:
        return False
    host = urlsplit(origin).hostname or ""
    return validate_host(host, settings.ALLOWED_HOSTS)


class TokenOrSessionAuthMiddleware(BaseMiddleware):
    """Runs inside channels' AuthMiddlewareStack, which has already resolved the session user."""

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        auth = _header(scope, b"authorization") or ""
        if auth.startswith("Token "):
            user = await database_sync_to_async(user_for_token)(auth[len("Token "):].strip())
            scope["user"] = user or AnonymousUser()
            scope["auth_ok"] = scope["user"].is_authenticated
        else:
            user = scope.get("user")
            scope["auth_ok"] = bool(user and user.is_authenticated and _origin_allowed(_header(scope, b"origin")))
        return await super().__call__(scope, receive, send)
