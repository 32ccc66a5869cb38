"""Periodic work of the registry. Tasks are thin: they call a service."""

from celery import shared_task

from hukou.services.cases import case_lapse_overdue


@shared_task(name="hukou.case_lapse_overdue", ignore_result=True)
def case_lapse_overdue_task() -> list[str]:
    """Ends the cases whose supplement deadline passed. Safe to run any number of times: a case
    already lapsed, or supplemented in the meantime, is left alone."""
    return case_lapse_overdue()
