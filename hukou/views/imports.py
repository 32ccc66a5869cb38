"""The station admin's bulk import screens: upload, watch the progress bar, read the report."""

from django.http import JsonResponse
from django.shortcuts import redirect, render

from common.permissions import role_required
from common.roles import Role
from hukou.forms.station import ImportUploadForm
from hukou.models import ImportJob
from hukou.selectors.lookup import visible_or_404
from hukou.selectors.station import import_jobs_recent
from hukou.services.importer import COLUMNS, import_job_create


@role_required(Role.STATION_ADMIN)
def import_list(request):
    """Upload a file (POST) or see the station's earlier imports."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_job_create(
            station=request.user.station,
            actor=request.user,
            file=form.cleaned_data["file"],
            partial=form.cleaned_data["partial"],
        )
        return redirect("hukou:import_detail", pk=job.pk)
    jobs = import_jobs_recent(user=request.user)
    return render(request, "hukou/importjob_list.html", {"form": form, "jobs": jobs, "columns": COLUMNS})


@role_required(Role.STATION_ADMIN)
def import_detail(request, pk: int):
    """One job: progress bar while it runs, then the row-by-row error report."""
    job = visible_or_404(ImportJob, user=request.user, pk=pk)
    return render(request, "hukou/importjob_detail.html", {"job": job, "columns": COLUMNS})


@role_required(Role.STATION_ADMIN)
def import_progress(request, pk: int):
    """The small JSON the progress bar polls."""
    job = visible_or_404(ImportJob, user=request.user, pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "total_rows": job.total_rows,
            "processed_rows": job.processed_rows,
            "imported_rows": job.imported_rows,
            "error_count": job.error_count,
            "percent": job.percent,
            "finished": job.is_finished,
        }
    )
