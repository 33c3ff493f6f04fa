from django.apps import AppConfig


class EncodingConfig(AppConfig):
    name = "encoding"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mediaportal.startup import RECOVERY_HOOKS

        from encoding.tasks import recover_and_dispatch

        # `manage.py serve` runs these once before its workers start.
        if recover_and_dispatch not in RECOVERY_HOOKS:
            RECOVERY_HOOKS.append(recover_and_dispatch)
