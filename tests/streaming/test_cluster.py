"""Streams go to their own django-q2 queue, served by `manage.py streamcluster`."""

import types

import pytest
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from streaming.cluster import STREAM_CLUSTER, configure, task_timeout
from streaming.tasks import enqueue_stream


def test_configure_makes_a_stream_cluster(settings):
    settings.MAX_STREAMS = 3
    settings.STREAM_MAX_SECONDS = 7200
    conf = types.SimpleNamespace(CLUSTER_NAME="mediaportal", WORKERS=2, TIMEOUT=21600, RETRY=22200, SCHEDULER=True)
    configure(conf)
    assert (conf.CLUSTER_NAME, conf.WORKERS, conf.QUEUE_LIMIT, conf.SCHEDULER) == (STREAM_CLUSTER, 3, 3, False)
    assert conf.TIMEOUT == task_timeout() > 7200 and conf.RETRY > conf.TIMEOUT


@pytest.mark.django_db
def test_enqueue_puts_the_task_on_the_stream_queue_only():
    enqueue_stream(41)
    rows = list(OrmQ.objects.all())
    assert [row.key for row in rows] == [STREAM_CLUSTER]
    task = SignedPackage.loads(rows[0].payload)
    assert (task["func"], task["args"], task["timeout"]) == ("streaming.tasks.run_stream", (41,), task_timeout())
