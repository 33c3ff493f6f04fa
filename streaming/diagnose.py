"""Reading ffmpeg's stderr during a stream: which tee output failed and why, with keys redacted.

No Django here. ffmpeg prints the full output URL, stream key included, in its errors, so every
line goes through `redact` before it is stored, logged or shown.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MASK = "****"
_SLAVE_OPEN = re.compile(r"Slave '(?P<spec>.*)': error opening: (?P<why>.*)$")
_SLAVE_FAILED = re.compile(r"Slave muxer #(?P<index>\d+) failed: (?P<why>.*?)(?:, continuing with \d+/\d+ slaves\.?)?$")
_ALL_FAILED = "All tee outputs failed"
_LEVEL_PREFIX = re.compile(r"^(?:\[[^\]]*\] )*")
_DETAIL_CONTEXTS = ("[rtmp", "[tcp", "[tls", "[rtmps", "[flv")
_KEY_REFUSED = ("server error", "publish.badname", "badname", "unauthorized", "forbidden", "authentication",
                "invalid stream key", "publish.rejected", "403")


def redact(text: str, secrets: list[str]) -> str:
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def ingest_host(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "?"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


def explain(detail: str, url: str) -> str:
    """A sentence a user can act on, from ffmpeg's (already redacted) error text."""
    low = detail.lower()
    host = ingest_host(url)
    if "connection refused" in low:
        return f"could not reach the ingest server at {host} (connection refused)"
    if any(word in low for word in _KEY_REFUSED):
        return f"the ingest server refused the stream key ({detail})" if detail else "the ingest server refused the stream key"
    if "resolve" in low or "name or service not known" in low or "name resolution" in low:
        return f"could not find the ingest server {host} (unknown host name)"
    if "timed out" in low or "timeout" in low:
        return f"could not reach the ingest server at {host} (timed out)"
    if "broken pipe" in low or "connection reset" in low or "end of file" in low:
        return f"the ingest server at {host} closed the connection"
    if "tls" in low or "ssl" in low or "certificate" in low:
        return f"secure connection to {host} failed ({detail})"
    return f"{host}: {detail}" if detail else f"{host}: the output failed"


class TeeWatcher:
    """Feed it stderr lines; it keeps which of the tee outputs failed and a reason for each."""

    def __init__(self, urls: list[str], secrets: list[str]):
        self.urls = urls  # full URLs, key included, in tee order
        self.secrets = secrets
        self.failed: dict[int, str] = {}
        self.all_failed = False
        self._detail = ""  # the last lower-level error, told before tee names the output

    def feed(self, raw: str) -> list[int]:
        """Returns the indexes of outputs that this line marks as failed."""
        line = raw.strip()
        body = _LEVEL_PREFIX.sub("", line).strip()
        if _ALL_FAILED in body:
            self.all_failed = True
            return self._fail_rest()
        if match := _SLAVE_OPEN.search(body):
            index = self._index_of(match.group("spec"))
            return self._fail(index, match.group("why"))
        if match := _SLAVE_FAILED.search(body):
            return self._fail(int(match.group("index")), match.group("why"))
        if line.startswith(_DETAIL_CONTEXTS) and ("[error]" in line or "[fatal]" in line):
            # The server's own words ("Server error: ...") beat the generic lines that follow them.
            if "server error" not in self._detail.lower():
                self._detail = redact(body, self.secrets)
        return []

    def _index_of(self, spec: str) -> int | None:
        for index, url in enumerate(self.urls):
            if spec.endswith(url) or url in spec:
                return index
        return None

    def _fail(self, index: int | None, why: str) -> list[int]:
        if index is None or not 0 <= index < len(self.urls) or index in self.failed:
            return []
        detail = self._detail or redact(why, self.secrets)
        # A generic "error opening: Connection refused" is clearer than tcp's own wording.
        if "connection refused" in why.lower():
            detail = "Connection refused"
        self.failed[index] = explain(redact(detail, self.secrets), self.urls[index])
        self._detail = ""
        return [index]

    def _fail_rest(self) -> list[int]:
        newly = []
        for index in range(len(self.urls)):
            if index not in self.failed:
                newly += self._fail(index, self._detail or "the output failed")
        return newly

    def summary(self) -> str:
        """The stream's error when every output failed: each distinct reason once."""
        return "; ".join(dict.fromkeys(self.failed[i] for i in sorted(self.failed)))
