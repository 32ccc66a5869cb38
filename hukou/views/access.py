"""The station admin's view of the personal-data access log."""

from django.core.paginator import Paginator
from django.shortcuts import render

from common.permissions import role_required
from common.roles import Role
from hukou.forms.station import AccessLogFilterForm
from hukou.selectors.access import access_entries_described, access_log_list


@role_required(Role.STATION_ADMIN)
def access_log(request):
    """Who looked at, searched or exported personal data, filtered by user, action and days."""
    staff = request.user.station.staff.order_by("username")
    form = AccessLogFilterForm(request.GET or None, staff=staff)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = access_log_list(
        user=request.user,
        user_id=filters.get("user"),
        action=filters.get("action", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = access_entries_described(page.object_list)
    return render(request, "hukou/accesslog_list.html", {"form": form, "page": page})
