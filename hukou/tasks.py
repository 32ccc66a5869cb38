"""Background work of the registry. Tasks take ids and call services."""

from celery import shared_task

from common.scheduled import scheduled_run
from hukou.services.cases import case_lapse_overdue
from hukou.services.importer import import_job_run, import_jobs_sweep


@shared_task(name="hukou.case_lapse_overdue", ignore_result=True)
@scheduled_run("hukou.case_lapse_overdue", count="lapsed")
def case_lapse_overdue_task() -> list[str]:
    """Ends the cases whose supplement deadline passed. Safe to run any number of times: a case
    already lapsed, or supplemented in the meantime, is left alone."""
    return case_lapse_overdue()


@shared_task(name="hukou.import_job_run", ignore_result=True)
def import_job_run_task(job_id: int) -> None:
    """Run one pending import job. Idempotent: a job already claimed or finished is left alone,
    and a job row that has gone is ignored."""
    import_job_run(job_id=job_id)


@shared_task(name="hukou.import_jobs_sweep", ignore_result=True)
@scheduled_run("hukou.import_jobs_sweep", count="jobs_run")
def import_jobs_sweep_task() -> list[int]:
    """Run the import jobs whose kick was lost (Redis down at upload). Idempotent."""
    return import_jobs_sweep()
