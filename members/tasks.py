"""Background work of the members app: the roster import's preview and commit for large files.

With a broker (REDIS_URL) they run in a worker while the page polls the job's progress; without one
they run eagerly in the request. `acks_late` (settings) means a task whose worker died is delivered
again, and the commit then resumes from the first row not yet applied. A task that lost its database
connection is retried ten times, with growing random delays (on average some eight minutes in all): the
preview starts again from the first row, the commit resumes; after that a commit's job stays "failed" for
an official to resume.
"""

from celery import shared_task
from django.utils import translation

from accounts.models import User

from .choices import ImportState
from .importing import services
from .models import ImportJob
from .quality import checks


@shared_task(autoretry_for=services.CONNECTION_ERRORS, retry_backoff=True, max_retries=10)
def import_preview_task(job_id: int, actor_id: int) -> str:
    job = ImportJob.objects.select_related("unit").get(pk=job_id)
    with translation.override(job.language):
        job = services.import_job_preview(actor=User.objects.get(pk=actor_id), job=job)
    return job.state


@shared_task(autoretry_for=services.CONNECTION_ERRORS, retry_backoff=True, max_retries=10)
def import_commit_task(job_id: int, actor_id: int) -> str:
    job = ImportJob.objects.select_related("unit").get(pk=job_id)
    if job.state == ImportState.COMMITTED:  # a resume or a redelivered task finished it meanwhile
        return job.state
    with translation.override(job.language):
        job = services.import_job_commit(actor=User.objects.get(pk=actor_id), job=job)
    return job.state


@shared_task(autoretry_for=services.CONNECTION_ERRORS, retry_backoff=True, max_retries=5)
def quality_refresh_task() -> int:
    """A new data-quality pass over the whole registry (nightly, and when an official asks); returns its id."""
    return checks.quality_refresh().pk
