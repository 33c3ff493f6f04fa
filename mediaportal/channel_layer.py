"""A channel layer whose groups reach across processes through one SQLite file.

The embedded profile runs ffmpeg in django-q2 worker *processes* and websockets in the daphne
process, so InMemoryChannelLayer cannot carry a worker's event to a browser. Redis would, but the
default must need nothing but Python. Only group messages cross processes (workers never address
a single consumer's channel), so a table of group messages that each receiving process polls is
enough: group_send appends a row; a process that has local group members reads new rows every
poll_interval and hands them to its in-memory groups. Rows older than `retention` are pruned.
"""

import asyncio
import json
import sqlite3
import time
from pathlib import Path

from channels.layers import InMemoryChannelLayer

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS group_messages ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, grp TEXT NOT NULL, body TEXT NOT NULL, ts REAL NOT NULL)"
)


class SQLiteChannelLayer(InMemoryChannelLayer):
    def __init__(self, path: str, poll_interval: float = 0.1, retention: float = 60, **kwargs):
        super().__init__(**kwargs)
        self.path = str(path)
        self.poll_interval = poll_interval
        self.retention = retention
        self._ready = False
        self._poller: asyncio.Task | None = None
        self._poller_loop: asyncio.AbstractEventLoop | None = None
        self._last_id = 0

    # sqlite3 work runs in a thread: a busy writer must never stall the event loop.
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        if not self._ready:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)
            self._ready = True
        return conn

    def _insert(self, group: str, body: str) -> None:
        with self._connect() as conn:
            conn.execute("INSERT INTO group_messages (grp, body, ts) VALUES (?, ?, ?)", (group, body, time.time()))
        conn.close()

    def _max_id(self) -> int:
        conn = self._connect()
        try:
            return conn.execute("SELECT COALESCE(MAX(id), 0) FROM group_messages").fetchone()[0]
        finally:
            conn.close()

    def _fetch(self, after: int, prune: bool) -> list[tuple[int, str, str]]:
        conn = self._connect()
        try:
            if prune:
                conn.execute("DELETE FROM group_messages WHERE ts < ?", (time.time() - self.retention,))
            return conn.execute(
                "SELECT id, grp, body FROM group_messages WHERE id > ? ORDER BY id", (after,)
            ).fetchall()
        finally:
            conn.close()

    async def group_send(self, group: str, message: dict) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        # Not delivered locally here: the poller delivers every message, local or not, exactly once.
        await asyncio.to_thread(self._insert, group, json.dumps(message))

    async def group_add(self, group: str, channel: str) -> None:
        await super().group_add(group, channel)
        await self._ensure_poller()

    async def _ensure_poller(self) -> None:
        loop = asyncio.get_running_loop()
        if self._poller and not self._poller.done() and self._poller_loop is loop:
            return
        # Read the high-water mark before returning, so a message sent right after group_add
        # is never skipped.
        self._last_id = await asyncio.to_thread(self._max_id)
        self._poller_loop = loop
        self._poller = loop.create_task(self._poll())

    async def _poll(self) -> None:
        last_prune = 0.0
        while True:
            prune = time.monotonic() - last_prune > self.retention
            if prune:
                last_prune = time.monotonic()
            rows = await asyncio.to_thread(self._fetch, self._last_id, prune)
            for row_id, group, body in rows:
                self._last_id = row_id
                if group in self.groups:
                    await InMemoryChannelLayer.group_send(self, group, json.loads(body))
            await asyncio.sleep(self.poll_interval)

    async def flush(self) -> None:
        await super().flush()
        if self._poller:
            self._poller.cancel()
            self._poller = None

    async def close(self) -> None:
        await self.flush()
