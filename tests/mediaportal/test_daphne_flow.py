"""The daphne back-pressure patch, without a network: pause, resume and release of the producer."""

import asyncio

import pytest

from mediaportal import daphne_flow as flow_control


class FakeChannel:
    _waitingForTransport = False


class FakeProtocol:
    def __init__(self):
        self.channel = FakeChannel()
        self.finished = False
        self.producer = None
        self.written = []

    def registerProducer(self, producer, streaming):
        assert self.producer is None and streaming
        self.producer = producer

    def unregisterProducer(self):
        self.producer = None


def test_send_waits_while_the_transport_is_full_and_releases_at_the_end():
    from daphne.server import Server

    assert flow_control.install() is True
    assert Server.handle_reply.mediaportal_flow_control

    server = Server.__new__(Server)
    protocol = FakeProtocol()
    server.connections = {protocol: {}}
    protocol.handle_reply = lambda message: protocol.written.append(message["body"])
    server.check_headers_type = lambda message: None

    async def scenario():
        await server.handle_reply(protocol, {"type": "http.response.body", "body": b"a", "more_body": True})
        producer = protocol.producer
        assert producer is not None and producer.ready.is_set()
        producer.pauseProducing()  # what Twisted does when the client stops reading
        send = asyncio.ensure_future(
            server.handle_reply(protocol, {"type": "http.response.body", "body": b"b", "more_body": True}))
        await asyncio.sleep(0.05)
        assert not send.done()
        producer.resumeProducing()
        await asyncio.wait_for(send, 1)
        await server.handle_reply(protocol, {"type": "http.response.body", "body": b"c", "more_body": False})
        return producer

    asyncio.run(scenario())
    assert protocol.written == [b"a", b"b", b"c"]
    assert protocol.producer is None


def test_a_vanished_client_does_not_keep_send_waiting():
    from daphne.server import Server

    flow_control.install()
    server = Server.__new__(Server)
    protocol = FakeProtocol()
    protocol.channel._waitingForTransport = True
    server.connections = {protocol: {}}
    protocol.handle_reply = lambda message: None
    server.check_headers_type = lambda message: None

    async def scenario():
        send = asyncio.ensure_future(
            server.handle_reply(protocol, {"type": "http.response.body", "body": b"a", "more_body": True}))
        await asyncio.sleep(0.05)
        assert not send.done()
        server.connections[protocol]["disconnected"] = 1.0
        protocol.producer.stopProducing()
        await asyncio.wait_for(send, 2)

    asyncio.run(scenario())


def _daphne_loop(protocol, queue, buffer_size=8192):
    # The loop from daphne/http_protocol.py WebRequest.process(), as daphne runs it.
    while True:
        chunk = protocol.content.read(buffer_size)
        more_body = not (len(chunk) < buffer_size)
        queue.put_nowait({"type": "http.request", "body": chunk, "more_body": more_body})
        if not more_body:
            break


def _receive_all(queue_like, real_queue, body_size):
    async def scenario():
        got, peak = [], 0
        while True:
            peak = max(peak, real_queue.qsize())
            message = await asyncio.wait_for(real_queue.get(), 2)
            got.append(message)
            if not message.get("more_body"):
                return got, peak
    return scenario


@pytest.mark.parametrize("size", [0, 100, 8192, 8193, 3 * flow_control.BODY_CHUNK + 5])
def test_request_bodies_are_handed_over_a_few_chunks_at_a_time(size):
    import io
    import os

    data = os.urandom(size)

    class Proto:
        content = io.BytesIO(data)

    async def scenario():
        real = asyncio.Queue()
        proto = Proto()
        lazy = flow_control._LazyBody(real, proto, proto.content)
        _daphne_loop(proto, lazy)
        # daphne is done at once, and holds nothing like the whole body.
        assert real.qsize() <= 1
        got, peak = await _receive_all(lazy, real, size)()
        assert proto.content is Proto.content  # the real file is back for Twisted to close
        return got, peak

    got, peak = asyncio.run(scenario())
    assert b"".join(m["body"] for m in got) == data
    assert [m["more_body"] for m in got][-1] is False
    assert peak <= flow_control.BODY_QUEUE_DEPTH


def test_disconnect_passes_straight_through():
    import io

    class Proto:
        content = io.BytesIO(b"x" * 100)

    async def scenario():
        real = asyncio.Queue()
        lazy = flow_control._LazyBody(real, Proto(), Proto.content)
        lazy.put_nowait({"type": "http.disconnect"})
        return real.get_nowait()

    assert asyncio.run(scenario()) == {"type": "http.disconnect"}
