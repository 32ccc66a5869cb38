"""Scheduled work leaves a trace: one ``ScheduledRun`` row per run of a periodic task.

Use under the task decorator, so the row is written wherever the task runs (a worker, the
in-process default, a test calling it directly)::

    @shared_task(name="hukou.case_lapse_overdue", ignore_result=True)
    @scheduled_run("hukou.case_lapse_overdue", count="lapsed")
    def case_lapse_overdue_task() -> list[str]: ...

The row is created when the run starts (so a run that hangs or is killed shows as unfinished)
and completed when it ends, with the counts taken from the return value or the error text.
Each write is its own short statement outside any transaction of the task: a task that rolls
back still leaves its trace.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable

from django.utils import timezone

from common.models import ScheduledRun


def _counts(result, count: str) -> dict:
    if isinstance(result, dict):
        return {str(key): value for key, value in result.items() if isinstance(value, int | float | str | None)}
    if isinstance(result, list | tuple | set):
        return {count: len(result)}
    if isinstance(result, int) and not isinstance(result, bool):
        return {count: result}
    return {}


def scheduled_run(task: str, *, count: str = "count") -> Callable:
    """Records each call of the decorated function as a ``ScheduledRun`` named ``task``; an int
    result is stored as ``{count: n}``, a list as ``{count: len}``, a dict as it is. Re-raises
    whatever the function raises, after recording it."""

    def decorator(function: Callable) -> Callable:
        @functools.wraps(function)
        def wrapped(*args, **kwargs):
            run = ScheduledRun.objects.create(task=task, started_at=timezone.now())
            try:
                result = function(*args, **kwargs)
            except Exception:
                run.error = traceback.format_exc(limit=5)[-4000:]
                run.finished_at = timezone.now()
                run.save(update_fields=["error", "finished_at"])
                raise
            run.counts, run.finished_at = _counts(result, count), timezone.now()
            run.save(update_fields=["counts", "finished_at"])
            return result

        return wrapped

    return decorator


def scheduled_runs_latest() -> list[ScheduledRun]:
    """The latest run of every task that has run, by task name (one query)."""
    from django.db.models import Max

    latest = ScheduledRun.objects.values("task").annotate(last=Max("pk")).values("last")
    return list(ScheduledRun.objects.filter(pk__in=latest).order_by("task"))
