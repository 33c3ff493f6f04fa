"""Every hour the cluster removes unfinished uploads past their expiry (library.tasks.expire_uploads);
creating a new upload also does it, but an idle instance would otherwise keep them."""

from django.db import migrations

NAME = "library: expire unfinished uploads"


def install(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={"func": "library.tasks.expire_uploads", "schedule_type": "H", "repeats": -1},
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("library", "0002_upload"), ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(install, remove)]
