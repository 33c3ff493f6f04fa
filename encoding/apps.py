from django.apps import AppConfig


class EncodingConfig(AppConfig):
    name = "encoding"
    default_auto_field = "django.db.models.BigAutoField"
