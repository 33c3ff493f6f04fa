from django.conf import settings
from django.db import models


class UserSettings(models.Model):
    """What the old client kept in its per-user INI file, validated and editable."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mp_settings")
    default_preset = models.ForeignKey(
        "encoding.Preset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Used for auto-encode, and chosen for downloads when a rendition with it exists.",
    )
    auto_encode = models.BooleanField(default=False, help_text="Encode every finished upload with the default preset.")
    keep_original = models.BooleanField(
        default=True,
        help_text="Keep the uploaded original after compression. When off, the original is deleted "
        "only after the compressed file has been verified.",
    )

    # Limits an operator may set per user in the admin; empty means the site-wide default.
    quota_mb = models.PositiveIntegerField(
        "storage quota (MB)", null=True, blank=True,
        help_text="Originals plus renditions. Empty: MEDIAPORTAL_QUOTA_MB.",
    )
    max_running_jobs = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Encodes of this user running at once. Empty: MEDIAPORTAL_MAX_JOBS_PER_USER.",
    )
    max_streams = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Live streams of this user at once. Empty: MEDIAPORTAL_MAX_STREAMS_PER_USER.",
    )

    class Meta:
        verbose_name = "user settings"
        verbose_name_plural = "user settings"

    def __str__(self) -> str:
        return f"settings of {self.user}"
