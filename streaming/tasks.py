"""Stream tasks run in their own django-q2 cluster ("streams", see cluster.py) so that streams,
which last as long as their file or until stopped, never hold the encoders' workers."""

from django_q.tasks import async_task

from streaming.cluster import STREAM_CLUSTER, task_timeout
from streaming.worker import stream_run


def run_stream(stream_id: int) -> str:
    return stream_run(stream_id=stream_id)


def enqueue_stream(stream_id: int) -> None:
    async_task("streaming.tasks.run_stream", stream_id, cluster=STREAM_CLUSTER, timeout=task_timeout(),
               task_name=f"stream-{stream_id}")


def reap_stale() -> int:
    """Every minute (a Schedule from migration 0003, run by the default cluster): streams whose
    worker went silent are marked failed, so no list shows them live."""
    from streaming.services import stream_reap_stale

    return stream_reap_stale()
