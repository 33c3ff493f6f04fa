from django.contrib.auth.models import AbstractBaseUser

from accounts.models import UserSettings


def user_for_token(key: str) -> AbstractBaseUser | None:
    """The active user an API token belongs to, or None. For the places DRF's TokenAuthentication
    does not reach: the status websocket and the async download views."""
    from rest_framework.authtoken.models import Token

    try:
        token = Token.objects.select_related("user").get(key=key)
    except Token.DoesNotExist:
        return None
    return token.user if token.user.is_active else None


def user_settings_get(*, user: AbstractBaseUser) -> UserSettings:
    """A user's settings; users made outside the register service (admin, createsuperuser) get defaults."""
    from accounts.services import user_settings_defaults

    obj, _ = UserSettings.objects.select_related("default_preset").get_or_create(
        user=user, defaults=user_settings_defaults()
    )
    return obj
