"""Background work of the members app: the roster import's preview and commit for large files.

With a broker (REDIS_URL) they run in a worker while the page polls the job's progress; without one
they run eagerly in the request. `acks_late` (settings) means a task whose worker died is delivered
again, and the commit then resumes from the first row not yet applied.
"""

from celery import shared_task
from django.utils import translation

from accounts.models import User

from .importing import services
from .models import ImportJob


@shared_task
def import_preview_task(job_id: int, actor_id: int) -> str:
    job = ImportJob.objects.select_related("unit").get(pk=job_id)
    with translation.override(job.language):
        job = services.import_job_preview(actor=User.objects.get(pk=actor_id), job=job)
    return job.state


@shared_task
def import_commit_task(job_id: int, actor_id: int) -> str:
    job = ImportJob.objects.select_related("unit").get(pk=job_id)
    with translation.override(job.language):
        job = services.import_job_commit(actor=User.objects.get(pk=actor_id), job=job)
    return job.state
