"""The SQLite channel layer alone: two layer instances on one file stand for two processes."""

import asyncio

from asgiref.sync import async_to_sync

from mediaportal.channel_layer import SQLiteChannelLayer


def run(fn):
    return async_to_sync(fn)()


def test_group_message_crosses_instances(tmp_path):
    path = tmp_path / "events.sqlite3"

    async def scenario():
        web, worker = SQLiteChannelLayer(path, poll_interval=0.05), SQLiteChannelLayer(path, poll_interval=0.05)
        channel = await web.new_channel()
        await web.group_add("user.1", channel)
        await worker.group_send("user.1", {"type": "status.event", "n": 1})
        got = await asyncio.wait_for(web.receive(channel), 5)
        await web.flush()
        return got

    assert run(scenario) == {"type": "status.event", "n": 1}


def test_messages_arrive_once_and_in_order(tmp_path):
    path = tmp_path / "events.sqlite3"

    async def scenario():
        web, worker = SQLiteChannelLayer(path, poll_interval=0.05), SQLiteChannelLayer(path, poll_interval=0.05)
        channel = await web.new_channel()
        await web.group_add("user.1", channel)
        for n in range(20):
            await worker.group_send("user.1", {"type": "t", "n": n})
        got = [(await asyncio.wait_for(web.receive(channel), 5))["n"] for _ in range(20)]
        extra = await asyncio.wait_for(asyncio.shield(asyncio.sleep(0.3)), 1)
        leftover = web.channels.get(channel)
        await web.flush()
        return got, extra, leftover

    got, _, leftover = run(scenario)
    assert got == list(range(20))
    assert leftover is None or leftover.empty()


def test_other_groups_and_earlier_messages_are_not_delivered(tmp_path):
    path = tmp_path / "events.sqlite3"

    async def scenario():
        web, worker = SQLiteChannelLayer(path, poll_interval=0.05), SQLiteChannelLayer(path, poll_interval=0.05)
        await worker.group_send("user.1", {"type": "t", "n": "before"})
        channel = await web.new_channel()
        await web.group_add("user.1", channel)
        await worker.group_send("user.2", {"type": "t", "n": "other"})
        await worker.group_send("user.1", {"type": "t", "n": "mine"})
        got = await asyncio.wait_for(web.receive(channel), 5)
        await asyncio.sleep(0.3)
        queue = web.channels.get(channel)
        left = queue.qsize() if queue else 0
        await web.flush()
        return got, left

    got, left = run(scenario)
    assert got["n"] == "mine"
    assert left == 0


def test_old_rows_are_pruned(tmp_path):
    path = tmp_path / "events.sqlite3"
    layer = SQLiteChannelLayer(path, retention=0)
    async_to_sync(layer.group_send)("user.1", {"type": "t"})
    assert layer._fetch(0, prune=False) != []
    assert layer._fetch(0, prune=True) == []
