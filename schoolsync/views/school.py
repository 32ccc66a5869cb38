from django.shortcuts import render

from common.permissions import role_required
from common.roles import Role


@role_required(Role.SCHOOL_STAFF)
def school_home(request):
    return render(request, "schoolsync/school_home.html", {"school": request.user.school})
