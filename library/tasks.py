"""django-q2 tasks for the library (thin: they call a service)."""

from library.uploads import uploads_expire


def expire_uploads() -> int:
    """Run hourly by the schedule that migration 0003 installs; uploads are also expired whenever
    a new one is created."""
    return uploads_expire()
