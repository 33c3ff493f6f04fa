from django.conf import settings
from django.db import models

from streaming.validators import platform_url


class Destination(models.Model):
    """Where a user pushes streams: YouTube, Twitch or their own RTMP(S) server.

    The stream key is stored only encrypted (streaming.crypto) and is joined to the URL inside the
    worker when ffmpeg starts; it never leaves the server again.
    """

    class Platform(models.TextChoices):
        YOUTUBE = "youtube", "YouTube"
        TWITCH = "twitch", "Twitch"
        CUSTOM = "custom", "Custom RTMP(S) server"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="destinations")
    name = models.CharField(max_length=80)
    platform = models.CharField(max_length=16, choices=Platform.choices)
    url = models.CharField(max_length=500, blank=True, help_text="Custom servers only: rtmp:// or rtmps://.")
    secure = models.BooleanField(default=True, help_text="YouTube and Twitch: use RTMPS (TLS).")
    stream_key_encrypted = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="destination_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def stream_key_set(self) -> bool:
        return bool(self.stream_key_encrypted)

    @property
    def ingest_url(self) -> str:
        """The server part only; the key is added by the worker."""
        if self.platform == self.Platform.CUSTOM:
            return self.url
        return platform_url(self.platform, self.secure)


class StreamState(models.TextChoices):
    STARTING = "starting"
    LIVE = "live"
    STOPPED = "stopped"
    FAILED = "failed"
    FINISHED = "finished"


ACTIVE_STATES = (StreamState.STARTING, StreamState.LIVE)


class Stream(models.Model):
    """One push of a stored file to one or more destinations by one ffmpeg in a stream worker."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="streams")
    video = models.ForeignKey("library.Video", on_delete=models.CASCADE, related_name="streams")
    rendition = models.ForeignKey("library.Rendition", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="streams")
    title = models.CharField(max_length=255, blank=True)
    loop = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=StreamState.choices, default=StreamState.STARTING)
    error = models.CharField(max_length=500, blank=True)
    mode = models.CharField(max_length=8, blank=True, help_text="copy or encode, decided by the worker.")
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    ended = models.DateTimeField(null=True, blank=True)
    elapsed = models.FloatField(default=0, help_text="seconds sent")
    bitrate_kbps = models.FloatField(null=True, blank=True)
    fps = models.FloatField(null=True, blank=True)
    speed = models.FloatField(null=True, blank=True)
    stop_requested = models.BooleanField(default=False)
    heartbeat = models.DateTimeField(null=True, blank=True)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["owner", "state"]), models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"stream {self.pk} of {self.title}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class StreamTarget(models.Model):
    """One destination of one stream and how it is doing."""

    class State(models.TextChoices):
        PENDING = "pending"
        LIVE = "live"
        FAILED = "failed"
        ENDED = "ended"  # the stream finished or was stopped while this destination was fine

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="targets")
    # Kept (with its name) when the user deletes the destination later.
    destination = models.ForeignKey(Destination, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(help_text="Index of this output in ffmpeg's tee.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position"]
