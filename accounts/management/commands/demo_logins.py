"""Print where the app runs and how to log in as every demo role."""

from django.core.management.base import BaseCommand

from accounts.management.commands.demo_data import DEMO_PASSWORD, PARENT_MOBILE, STAFF
from accounts.models import User


class Command(BaseCommand):
    help = "Print the app URL and the demo logins for every role."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        users = {user.username: user for user in User.objects.select_related("station", "school")}
        lines = ["", f"户籍e窗 is starting at {url}", f"Demo logins (password for all: {DEMO_PASSWORD}):"]
        for username in [name for name, *_ in STAFF] + [PARENT_MOBILE]:
            user = users.get(username)
            if user:
                where = user.station or user.school or ""
                lines.append(f"  {username:<14} {user.get_role_display()} {where}")
        lines.append(f"API docs: {url}api/v1/docs/   Admin: {url}admin/")
        self.stdout.write("\n".join(lines) + "\n")
