from django.apps import AppConfig


class MediaportalConfig(AppConfig):
    name = "mediaportal"
    verbose_name = "mediaportal"

    def ready(self) -> None:
        from mediaportal import checks  # noqa: F401  (registers system checks)
