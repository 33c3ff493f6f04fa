"""`manage.py streamcluster`: the django-q2 cluster that runs streams (started by `manage.py serve`)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the stream workers: a django-q2 cluster on the 'streams' queue, one worker per allowed stream."

    def handle(self, *args, **options):
        from django_q.cluster import Cluster
        from django_q.conf import Conf

        from streaming.cluster import configure

        configure(Conf)
        Cluster().start()
