"""Writes for encoding jobs."""


def on_video_uploaded(*, video, preset_slug: str | None) -> None:
    """Called by the library once a new upload is stored and probed.

    preset_slug is the per-upload override (tus metadata or form field), already validated;
    None means "follow the user's settings" (auto-encode with the default preset, or nothing).
    """
