from django.conf import settings
from django.db import models


class Preset(models.Model):
    """A compression recipe in structured fields only: users pick one, never raw ffmpeg flags.

    The one function that turns it into an ffmpeg argument list is
    mediaportal.lib.media.commands.encode_command (via `encoding.presets.preset_spec`).
    """

    class Container(models.TextChoices):
        MP4 = "mp4", "MP4"
        MKV = "mkv", "Matroska"
        WEBM = "webm", "WebM"
        M4A = "m4a", "M4A (audio)"

    class VideoCodec(models.TextChoices):
        H264 = "h264", "H.264 (x264)"
        HEVC = "hevc", "HEVC (x265)"
        VP9 = "vp9", "VP9"
        AV1 = "av1", "AV1 (SVT-AV1)"

    class RateControl(models.TextChoices):
        CRF = "crf", "Constant quality (CRF)"
        BITRATE = "bitrate", "Target bit rate"

    class AudioCodec(models.TextChoices):
        AAC = "aac", "AAC"
        OPUS = "opus", "Opus"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True, help_text="Inactive presets are hidden from users.")
    sort_order = models.PositiveSmallIntegerField(default=100)

    container = models.CharField(max_length=8, choices=Container.choices, default=Container.MP4)
    video_codec = models.CharField(max_length=8, choices=VideoCodec.choices, blank=True, help_text="Empty: audio only.")
    rate_control = models.CharField(max_length=8, choices=RateControl.choices, default=RateControl.CRF)
    crf = models.PositiveSmallIntegerField(null=True, blank=True)
    video_bitrate_k = models.PositiveIntegerField("video bit rate (kbit/s)", null=True, blank=True)
    maxrate_k = models.PositiveIntegerField("max rate (kbit/s)", null=True, blank=True)
    bufsize_k = models.PositiveIntegerField("buffer size (kbit)", null=True, blank=True)
    speed = models.CharField(max_length=16, blank=True, help_text="x264/x265 preset, VP9 cpu-used or SVT-AV1 preset.")
    max_height = models.PositiveIntegerField(null=True, blank=True, help_text="Never upscales.")
    max_fps = models.FloatField(null=True, blank=True)
    pix_fmt = models.CharField(max_length=16, default="yuv420p")
    audio_codec = models.CharField(max_length=8, choices=AudioCodec.choices, blank=True, help_text="Empty: no audio.")
    audio_bitrate_k = models.PositiveIntegerField("audio bit rate (kbit/s)", null=True, blank=True)
    audio_channels = models.PositiveSmallIntegerField(null=True, blank=True)
    audio_rate = models.PositiveIntegerField("audio sample rate", null=True, blank=True)
    faststart = models.BooleanField(default=True, help_text="Moves the index to the front so playback starts at once.")
    keyframe_seconds = models.FloatField(null=True, blank=True)
    constant_bitrate = models.BooleanField(default=False)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Job(models.Model):
    """One encode of a video with a preset. Its state changes only through encoding.services."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE = (State.QUEUED, State.RUNNING)
    FINISHED = (State.SUCCEEDED, State.FAILED, State.CANCELLED)

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="encode_jobs")
    video = models.ForeignKey("library.Video", on_delete=models.CASCADE, related_name="jobs")
    preset = models.ForeignKey(Preset, null=True, on_delete=models.SET_NULL, related_name="jobs")
    # Kept even if an operator deletes the preset later.
    preset_slug = models.SlugField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    progress = models.FloatField(default=0)
    fps = models.FloatField(null=True, blank=True)
    speed = models.FloatField(null=True, blank=True)
    eta = models.FloatField(null=True, blank=True, help_text="seconds")
    error = models.CharField(max_length=400, blank=True)
    rendition = models.ForeignKey(
        "library.Rendition", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="times a worker started it")
    # Scheduling: a queued job handed to the task queue counts against the worker slots.
    dispatched = models.DateTimeField(null=True, blank=True)
    # Place in the fair queue (1 starts next, 0 handed to a worker), kept up to date by dispatch.
    queue_position = models.PositiveIntegerField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    # Which worker runs it and when it last showed signs of life: recovery finds dead workers.
    worker_host = models.CharField(max_length=255, blank=True)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    # The final file name (relative to MEDIA_ROOT) while it is being written as .tmp-<name>.
    output_name = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["state", "created"]), models.Index(fields=["owner", "-created"])]

    def __str__(self) -> str:
        return f"job {self.pk} ({self.preset_slug}, {self.state})"
