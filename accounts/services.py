from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import UserSettings
from accounts.selectors import user_settings_get

User = get_user_model()
SETTINGS_FIELDS = ("default_preset", "auto_encode", "keep_original")


def user_settings_defaults() -> dict[str, Any]:
    from encoding.models import Preset

    slug = getattr(settings, "MEDIAPORTAL_DEFAULT_PRESET", "h264-720p")
    return {"default_preset": Preset.objects.filter(slug=slug, is_active=True).first()}


@transaction.atomic
def user_register(*, username: str, email: str, password: str) -> User:
    user = User(username=username, email=email)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if email and User.objects.filter(email__iexact=email).exists():
        errors.setdefault("email", []).append("A user with that email address already exists.")
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    UserSettings.objects.create(user=user, **user_settings_defaults())
    return user


@transaction.atomic
def user_settings_update(*, user: User, data: dict[str, Any]) -> UserSettings:
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown setting."] for name in unknown})
    obj = user_settings_get(user=user)
    for name, value in data.items():
        setattr(obj, name, value)
    if obj.default_preset is not None and not obj.default_preset.is_active:
        raise ValidationError({"default_preset": ["That preset is not available."]})
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def user_update(*, user: User, email: str) -> User:
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": ["A user with that email address already exists."]})
    user.email = email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["email"])
    return user
