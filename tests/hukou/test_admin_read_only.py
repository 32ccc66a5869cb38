"""System-written rows stay as written, even for a system admin in the Django admin."""

from django.urls import reverse

from hukou.models import AccessLog
from hukou.services.access import access_log_record


def test_the_admin_shows_the_access_log_but_cannot_change_or_delete_it(client, sysadmin, clerk_east, east_head):
    entry = access_log_record(actor=clerk_east, action=AccessLog.Action.VIEW, target="person:1", purpose="窗口查询")
    client.force_login(sysadmin)

    listed = client.get(reverse("admin:hukou_accesslog_changelist"))
    deleted = client.post(reverse("admin:hukou_accesslog_delete", args=[entry.pk]), {"post": "yes"})
    added = client.get(reverse("admin:hukou_accesslog_add"))

    assert listed.status_code == 200 and "person:1" in listed.content.decode()
    assert (deleted.status_code, added.status_code) == (403, 403)
    assert AccessLog.objects.get().target == "person:1"
