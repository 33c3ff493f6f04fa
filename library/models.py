import uuid

from django.conf import settings
from django.db import models


class MediaFields(models.Model):
    """What PyAV's probe found (mediaportal.lib.media.probe.MediaInfo), stored for listing and sorting."""

    container = models.CharField(max_length=32, blank=True)
    duration = models.FloatField(default=0, help_text="seconds")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    fps = models.FloatField(null=True, blank=True)
    video_codec = models.CharField(max_length=32, blank=True)
    audio_codec = models.CharField(max_length=32, blank=True)
    bit_rate = models.BigIntegerField(null=True, blank=True)
    size = models.BigIntegerField(default=0, help_text="bytes")
    probe = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


class Video(MediaFields):
    """A user's uploaded video. Files live under MEDIA_ROOT/u<owner id>/ with server-made names;
    the user's file name is kept only as `original_name` and the editable `title`."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    # Empty once the original was replaced by a verified rendition ("replace original" setting).
    original = models.FileField(max_length=500, blank=True)
    poster = models.FileField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["owner", "-created"])]

    def __str__(self) -> str:
        return self.title


class Rendition(MediaFields):
    """A compressed copy of a Video made with one preset (filled by the encoding app)."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="renditions")
    preset = models.ForeignKey("encoding.Preset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Kept even if an operator deletes the preset later.
    preset_slug = models.SlugField()
    file = models.FileField(max_length=500)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.video} [{self.preset_slug}]"


class Upload(models.Model):
    """A resumable (tus) upload in progress. The bytes go to `partial` (relative to MEDIA_ROOT, a
    server-made name under u<owner>/uploads/); on completion the file is probed and becomes a Video.
    The row stays until it expires so a client can still HEAD it and learn the new video."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads")
    length = models.BigIntegerField(help_text="bytes, declared by the client (Upload-Length)")
    offset = models.BigIntegerField(default=0)
    filename = models.CharField(max_length=255, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    preset_slug = models.SlugField(blank=True)
    partial = models.CharField(max_length=500)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    video = models.ForeignKey(Video, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    completed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.filename or self.pk} ({self.offset}/{self.length})"
