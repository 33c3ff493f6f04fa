"""django-q2 tasks for the library (thin: they call a service)."""

from library.uploads import uploads_expire


def expire_uploads() -> int:
    """Schedule in the admin (Django Q › Scheduled tasks: `library.tasks.expire_uploads`, hourly);
    uploads are also expired whenever a new one is created."""
    return uploads_expire()
