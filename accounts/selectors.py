from django.contrib.auth.models import AbstractBaseUser

from accounts.models import UserSettings


def user_settings_get(*, user: AbstractBaseUser) -> UserSettings:
    """A user's settings; users made outside the register service (admin, createsuperuser) get defaults."""
    from accounts.services import user_settings_defaults

    obj, _ = UserSettings.objects.select_related("default_preset").get_or_create(
        user=user, defaults=user_settings_defaults()
    )
    return obj
