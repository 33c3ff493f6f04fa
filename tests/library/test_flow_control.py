"""The daphne back-pressure patch, without a network: pause, resume and release of the producer."""

import asyncio

from library import flow_control


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
