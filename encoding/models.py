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
