"""Every minute the cluster looks for jobs a dead worker left running and hands queued jobs to free
workers (encoding.tasks.recover_and_dispatch)."""

from django.db import migrations

NAME = "encoding: recover stale jobs"


def install(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={"func": "encoding.tasks.recover_and_dispatch", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("encoding", "0003_job"), ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(install, remove)]
