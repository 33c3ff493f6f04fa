"""What a destination may contain: rtmp:// or rtmps:// ingest URLs and plain stream keys.

ffmpeg accepts far more than RTMP as an output (file:, pipe:, tee's own syntax, concat...), so
anything that is not a plain RTMP(S) URL is refused here, before it is ever stored.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

# Documented ingest points; the user picks a platform, never types these.
PLATFORM_URLS = {
    "youtube": {"rtmp": "rtmp://a.rtmp.youtube.com/live2", "rtmps": "rtmps://a.rtmps.youtube.com:443/live2"},
    "twitch": {"rtmp": "rtmp://live.twitch.tv/app", "rtmps": "rtmps://live.twitch.tv:443/app"},
}
URL_MAX = 500
KEY_MIN, KEY_MAX = 4, 256
# Characters ffmpeg's tee muxer or a shell-minded reader would treat specially, plus quotes.
_FORBIDDEN = set("|[]'\"\\<>`")
_KEY = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII, no spaces


def _has_bad_chars(text: str) -> bool:
    return any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch in _FORBIDDEN for ch in text)


def validate_ingest_url(value: str) -> str:
    """Return the URL without a trailing slash, or raise ValidationError."""
    url = (value or "").strip()
    if not url:
        raise ValidationError("Enter the ingest URL (rtmp:// or rtmps://).", code="required")
    if len(url) > URL_MAX:
        raise ValidationError(f"The URL is longer than {URL_MAX} characters.", code="too_long")
    if _has_bad_chars(url):
        raise ValidationError("The URL must not contain spaces, control characters, quotes, | [ ] or \\.",
                              code="bad_characters")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("rtmp", "rtmps") or not url.lower().startswith(("rtmp://", "rtmps://")):
        raise ValidationError("Only rtmp:// and rtmps:// URLs are allowed.", code="bad_scheme")
    try:
        port = parts.port
    except ValueError:
        raise ValidationError("The port in the URL is not valid.", code="bad_port") from None
    if not parts.hostname:
        raise ValidationError("The URL has no server name.", code="no_host")
    if port == 0:
        raise ValidationError("The port in the URL is not valid.", code="bad_port")
    return url.rstrip("/")


def validate_stream_key(value: str) -> str:
    key = value or ""
    if not KEY_MIN <= len(key) <= KEY_MAX:
        raise ValidationError(f"A stream key has {KEY_MIN} to {KEY_MAX} characters.", code="bad_length")
    if not _KEY.match(key) or _has_bad_chars(key):
        raise ValidationError("A stream key may not contain spaces, quotes, | [ ] \\ or non-ASCII characters.",
                              code="bad_characters")
    return key


def platform_url(platform: str, secure: bool) -> str:
    return PLATFORM_URLS[platform]["rtmps" if secure else "rtmp"]
