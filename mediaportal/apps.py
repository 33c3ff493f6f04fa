from django.apps import AppConfig


class MediaportalConfig(AppConfig):
    name = "mediaportal"
    verbose_name = "mediaportal"

    def ready(self) -> None:
        from mediaportal import checks  # noqa: F401  (registers system checks)
        from mediaportal import daphne_flow

        # Back-pressure for big downloads and uploads under daphne (see the module's docstring).
        daphne_flow.install()
