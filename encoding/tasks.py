"""django-q2 tasks: thin, they take ids and call services."""

from encoding import runner, services


def run_job(job_id: int) -> str:
    return runner.job_run(job_id=job_id)


def recover_and_dispatch() -> list[int]:
    """Every minute (a Schedule from migration 0004) and at start-up."""
    return services.jobs_recover_stale()
