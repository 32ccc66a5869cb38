"""The authentication backend: Django's ModelBackend, loading the user's station and school
with the user.

Every page shows the user's station (templates/base.html) and most views check it
(``hukou.policy``), so the per-request user query joins it: one query instead of two on every
signed-in request (docs/benchmarks.md, person and household pages)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithPlaceBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("station", "school").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
