from django import template

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """1:02:03 / 2:03 for a duration in seconds."""
    try:
        total = int(round(float(seconds or 0)))
    except (TypeError, ValueError):
        return "—"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def resolution(obj) -> str:
    return f"{obj.width}×{obj.height}" if obj.width and obj.height else "audio"


@register.filter
def codecs(obj) -> str:
    return " + ".join(c for c in (obj.video_codec, obj.audio_codec) if c) or "—"
