"""The encode settings for streams: the operator-editable "stream-ready" preset as an EncodeSpec."""

from encoding.models import Preset
from encoding.presets import preset_spec
from mediaportal.lib.media import EncodeSpec

STREAM_PRESET = "stream-ready"
# What ingest servers ask for, used if an operator deleted the preset.
FALLBACK = EncodeSpec(container="mp4", video_codec="h264", rate_control="bitrate", video_bitrate_k=4500,
                      maxrate_k=4500, bufsize_k=9000, speed="veryfast", max_height=1080, max_fps=60,
                      keyframe_seconds=2.0, constant_bitrate=True, audio_bitrate_k=160, audio_rate=48000)


def stream_spec() -> EncodeSpec:
    preset = Preset.objects.filter(slug=STREAM_PRESET).first()
    if preset is None:
        return FALLBACK
    spec = preset_spec(preset)
    # FLV over RTMP carries only H.264 and AAC; an edited preset that says otherwise is ignored.
    if spec.video_codec not in ("h264", None) or spec.audio_codec not in ("aac", None):
        return FALLBACK
    return spec
