"""Every minute the default cluster marks failed the streams whose worker went silent
(streaming.tasks.reap_stale), instead of every list request doing it for the whole instance."""

from django.db import migrations

NAME = "streaming: fail streams whose worker went silent"


def install(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={"func": "streaming.tasks.reap_stale", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("streaming", "0002_alter_streamtarget_state"),
                    ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(install, remove)]
