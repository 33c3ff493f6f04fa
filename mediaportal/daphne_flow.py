"""Back-pressure for daphne in both directions, so big transfers stay small in memory.

Responses: daphne writes every `http.response.body` message into Twisted's transport at once and returns, so
an async view streaming a file to a viewer on a slow link would read the whole file into the
transport's buffer. Twisted tells a registered push producer when that buffer is full and when it
has drained; this registers one per streamed response and makes daphne's `send` wait for the
drain, which in turn pauses our file iterator.

Request bodies: Twisted spools a big body to a temporary file, but daphne then reads all of it
into the application's queue at once, so one 1 GB PATCH would cost 1 GB of memory. This hands
the body to the application a few chunks at a time instead, as it reads them.

Installed from MediaportalConfig.ready(): every process that serves the portal through daphne
gets it (downloads and tus uploads are what need it).
"""
import asyncio

from zope.interface import implementer

try:
    from twisted.internet.interfaces import IPushProducer
except ImportError:  # pragma: no cover - daphne always brings Twisted
    IPushProducer = None

_RECHECK_SECONDS = 1.0
BODY_CHUNK = 256 * 1024
BODY_QUEUE_DEPTH = 4  # chunks waiting for the application at most
_FEED_POLL_SECONDS = 0.001


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

    original_create = Server.create_application

    def create_application(self, protocol, scope):
        queue = original_create(self, protocol, scope)
        content = getattr(protocol, "content", None)
        if queue is None or scope.get("type") != "http" or content is None or getattr(content, "closed", True):
            return queue
        return _LazyBody(queue, protocol, content)

    Server.create_application = create_application
    return True


class _FirstChunkOnly:
    """Stands in for the request's body file during daphne's read-everything loop: the first read
    is real (daphne sends it), after that it looks exhausted and _LazyBody feeds the rest."""

    def __init__(self, real) -> None:
        self.real, self.reads = real, 0

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        return self.real.read(size) if self.reads == 1 else b""

    def __getattr__(self, name):
        return getattr(self.real, name)


class _LazyBody:
    """What daphne holds as the application's queue while it hands over the body."""

    def __init__(self, queue: asyncio.Queue, protocol, content) -> None:
        self.queue, self.protocol, self.content = queue, protocol, content
        self.feeding = False
        protocol.content = _FirstChunkOnly(content)

    def put_nowait(self, message: dict) -> None:
        if message.get("type") != "http.request":
            self.queue.put_nowait(message)  # http.disconnect and friends pass straight through
            return
        if self.feeding:
            # daphne's loop found the stand-in "exhausted": its empty last message is ours to send.
            self.protocol.content = self.content
            return
        self.queue.put_nowait(message)
        if message.get("more_body"):
            self.feeding = True
            asyncio.ensure_future(self._feed())
        else:
            self.protocol.content = self.content

    async def _feed(self) -> None:
        while True:
            while self.queue.qsize() >= BODY_QUEUE_DEPTH:
                await asyncio.sleep(_FEED_POLL_SECONDS)
            try:
                chunk = self.content.read(BODY_CHUNK)
            except ValueError:  # the connection went away and Twisted closed the file
                return
            more = len(chunk) == BODY_CHUNK
            self.queue.put_nowait({"type": "http.request", "body": chunk, "more_body": more})
            if not more:
                return

    def __getattr__(self, name):
        return getattr(self.queue, name)


def _connected(server, protocol) -> bool:
    if getattr(protocol, "channel", None) is None or getattr(protocol, "finished", False):
        return False
    return not server.connections.get(protocol, {}).get("disconnected")
