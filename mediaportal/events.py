"""Status events pushed to a user's websockets: one shape, one sender, one group per user.

Workers (separate processes) and web code call `send_user_event`; the channel layer carries it to
every /ws/status/ socket of that user and of no one else.
"""

from enum import StrEnum
from typing import Any, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


class EventKind(StrEnum):
    JOB = "job"
    VIDEO = "video"
    STREAM = "stream"
    NOTICE = "notice"


class StatusMessage(TypedDict):
    type: str  # the consumer's handler: "status.event" -> status_event()
    user_id: int
    event: str
    data: dict[str, Any]


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def build_message(user_id: int, kind: EventKind | str, data: dict[str, Any]) -> StatusMessage:
    return {"type": "status.event", "user_id": int(user_id), "event": str(kind), "data": data}


def send_user_event(user_id: int, kind: EventKind | str, data: dict[str, Any]) -> None:
    """Send from sync code (services, workers). Never raises into the caller's real work."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(user_group(user_id), build_message(user_id, kind, data))


async def asend_user_event(user_id: int, kind: EventKind | str, data: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(user_group(user_id), build_message(user_id, kind, data))
