"""The /ws/status/ socket: each logged-in user hears only their own events."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from mediaportal.events import StatusMessage, user_group


class StatusConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not self.scope.get("auth_ok", False):
            # Closing before accept() rejects the handshake (HTTP 403): no anonymous listener.
            await self.close()
            return
        self.user_id = user.pk
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The socket is push-only; a ping lets scripts check the connection is alive.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"event": "pong", "data": {}})

    async def status_event(self, message: StatusMessage) -> None:
        # Re-check on every event: a group name is a convention, the owner id is the rule.
        if message.get("user_id") != self.user_id:
            return
        await self.send_json({"event": message["event"], "data": message["data"]})
