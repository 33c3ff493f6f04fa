"""Back-pressure for daphne's HTTP responses, so a download to a slow client stays small in memory.

daphne writes every `http.response.body` message into Twisted's transport at once and returns, so
an async view streaming a file to a viewer on a slow link would read the whole file into the
transport's buffer. Twisted tells a registered push producer when that buffer is full and when it
has drained; this registers one per streamed response and makes daphne's `send` wait for the
drain, which in turn pauses our file iterator.

Installed from LibraryConfig.ready() because the library's downloads need it; it is server-wide
and belongs with the ASGI setup (mediaportal/asgi.py) once someone owning that file takes it over.
"""
import asyncio

from zope.interface import implementer

try:
    from twisted.internet.interfaces import IPushProducer
except ImportError:  # pragma: no cover - daphne always brings Twisted
    IPushProducer = None

_RECHECK_SECONDS = 1.0


class _Flow:
    """Twisted push producer whose state is an asyncio.Event: set = the client is keeping up."""

    def __init__(self) -> None:
        self.ready = asyncio.Event()
        self.ready.set()

    def pauseProducing(self) -> None:
        self.ready.clear()

    def resumeProducing(self) -> None:
        self.ready.set()

    def stopProducing(self) -> None:
        self.ready.set()


if IPushProducer is not None:
    _Flow = implementer(IPushProducer)(_Flow)


def install() -> bool:
    try:
        from daphne.server import Server
    except ImportError:  # not served by daphne: nothing to patch
        return False
    if getattr(Server.handle_reply, "mediaportal_flow_control", False):
        return True
    original = Server.handle_reply

    async def handle_reply(self, protocol, message):
        streaming = message.get("type") == "http.response.body" and message.get("more_body", False)
        flow = getattr(protocol, "_mediaportal_flow", None)
        if flow is not None and not streaming:
            # Last body message: release the channel for the next request on this connection.
            protocol._mediaportal_flow = None
            if getattr(protocol, "channel", None) is not None:
                protocol.unregisterProducer()
        await original(self, protocol, message)
        if not streaming or getattr(protocol, "channel", None) is None:
            return
        if flow is None:
            flow = protocol._mediaportal_flow = _Flow()
            protocol.registerProducer(flow, True)
            if getattr(protocol.channel, "_waitingForTransport", False):
                flow.pauseProducing()
        while not flow.ready.is_set() and _connected(self, protocol):
            try:
                await asyncio.wait_for(flow.ready.wait(), _RECHECK_SECONDS)
            except asyncio.TimeoutError:
                pass

    handle_reply.mediaportal_flow_control = True
    Server.handle_reply = handle_reply
    return True


def _connected(server, protocol) -> bool:
    if getattr(protocol, "channel", None) is None or getattr(protocol, "finished", False):
        return False
    return not server.connections.get(protocol, {}).get("disconnected")
