from django.apps import AppConfig


class StreamingConfig(AppConfig):
    name = "streaming"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mediaportal.startup import RECOVERY_HOOKS
        from streaming.services import stream_recover_after_restart

        if stream_recover_after_restart not in RECOVERY_HOOKS:
            RECOVERY_HOOKS.append(stream_recover_after_restart)
