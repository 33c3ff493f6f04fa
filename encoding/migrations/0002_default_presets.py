"""The presets every installation starts with. Operators edit or add more in the admin."""

from django.db import migrations

BASE = {"pix_fmt": "yuv420p", "faststart": True, "audio_codec": "aac", "audio_channels": 2}
PRESETS = [
    dict(slug="h264-720p", name="H.264 720p", sort_order=10, description="Plays everywhere; good size for 720p.",
         container="mp4", video_codec="h264", rate_control="crf", crf=23, speed="medium", max_height=720,
         audio_bitrate_k=128),
    dict(slug="h264-1080p", name="H.264 1080p", sort_order=20, description="Plays everywhere; full HD.",
         container="mp4", video_codec="h264", rate_control="crf", crf=22, speed="medium", max_height=1080,
         audio_bitrate_k=160),
    dict(slug="h264-480p", name="H.264 480p", sort_order=30, description="Small files for phones and slow links.",
         container="mp4", video_codec="h264", rate_control="crf", crf=24, speed="medium", max_height=480,
         audio_bitrate_k=96),
    dict(slug="hevc-1080p", name="HEVC 1080p (x265)", sort_order=40,
         description="About half the size of H.264 at the same quality; slower to encode.",
         container="mp4", video_codec="hevc", rate_control="crf", crf=26, speed="medium", max_height=1080,
         audio_bitrate_k=128),
    dict(slug="vp9-720p", name="VP9 + Opus 720p (WebM)", sort_order=50, description="Open formats for browsers.",
         container="webm", video_codec="vp9", rate_control="crf", crf=33, speed="4", max_height=720,
         audio_codec="opus", audio_bitrate_k=96, faststart=False),
    dict(slug="av1-720p", name="AV1 720p (SVT-AV1)", sort_order=60, description="Smallest files; newest players only.",
         container="mp4", video_codec="av1", rate_control="crf", crf=35, speed="8", max_height=720,
         audio_bitrate_k=128),
    dict(slug="audio-aac", name="Audio only (AAC)", sort_order=70, description="Keeps the sound, drops the picture.",
         container="m4a", video_codec="", audio_bitrate_k=160),
    dict(slug="stream-ready", name="Stream-ready (YouTube/Twitch)", sort_order=80,
         description="H.264 at a constant 4.5 Mbit/s with 2 s keyframes and AAC 48 kHz: what ingest servers ask for.",
         container="mp4", video_codec="h264", rate_control="bitrate", video_bitrate_k=4500, maxrate_k=4500,
         bufsize_k=9000, speed="veryfast", max_height=1080, max_fps=60, keyframe_seconds=2.0, constant_bitrate=True,
         audio_bitrate_k=160, audio_rate=48000),
    dict(slug="legacy", name="Legacy (x264 1600k, faster)", sort_order=90,
         description="The original mediaportal command: H.264 at 1600 kbit/s, preset faster.",
         container="mp4", video_codec="h264", rate_control="bitrate", video_bitrate_k=1600, speed="faster",
         audio_bitrate_k=128),
]


def install(apps, schema_editor):
    Preset = apps.get_model("encoding", "Preset")
    for data in PRESETS:
        Preset.objects.update_or_create(slug=data["slug"], defaults={**BASE, **data})


def remove(apps, schema_editor):
    apps.get_model("encoding", "Preset").objects.filter(slug__in=[p["slug"] for p in PRESETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("encoding", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
