"""The stream workers: a second django-q2 cluster reading its own queue.

django-q2 selects an alternative cluster with Q_CLUSTER["ALT_CLUSTERS"] in settings; until the
settings carry one for streams, `manage.py streamcluster` sets the same values on django-q2's
Conf before starting: its own queue name, one worker per stream the instance allows, and a
timeout longer than the longest stream (STREAM_MAX_SECONDS), after which the stream stops itself.
"""

from django.conf import settings

STREAM_CLUSTER = "streams"
_MARGIN = 600  # seconds between the stream's own time limit and the worker's hard timeout


def max_stream_seconds() -> float:
    return float(getattr(settings, "STREAM_MAX_SECONDS", 24 * 3600))


def task_timeout() -> int:
    return int(max_stream_seconds()) + _MARGIN


def configure(conf) -> None:
    """Turn django-q2's Conf (loaded for the default cluster) into the stream cluster's."""
    conf.CLUSTER_NAME = STREAM_CLUSTER
    conf.WORKERS = settings.MAX_STREAMS
    conf.QUEUE_LIMIT = settings.MAX_STREAMS
    conf.TIMEOUT = task_timeout()
    # The ORM broker hands an unacknowledged task out again after `retry`; a stream that runs
    # longer is claimed only once anyway (worker._claim), so a re-delivery ends at once.
    conf.RETRY = conf.TIMEOUT + _MARGIN
    conf.SCHEDULER = False  # schedules belong to the default cluster
    conf.RECYCLE = 50
