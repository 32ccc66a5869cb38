"""Receivers of Django's authentication signals: every login door counts its failures in the
same place, and logging out ends the user's API tokens too."""

from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import services
from common.ratelimit import login_failure_record


@receiver(user_login_failed, dispatch_uid="accounts.login_failure_count")
def count_login_failure(sender, credentials, request=None, **kwargs):
    login_failure_record(request=request, username=str(credentials.get("username") or ""))


@receiver(user_logged_out, dispatch_uid="accounts.tokens_end_at_logout")
def end_tokens_at_logout(sender, request, user, **kwargs):
    if user is not None:
        services.api_tokens_revoke(user=user)
