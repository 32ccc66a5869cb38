"""Writes on accounts: parent registration here; one-time codes in ``otp``; binding an
account to a person of the registry in ``identity``."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.services.identity import identity_bind_from_registry
from accounts.services.otp import otp_verify
from common.authentication import token_expired
from common.idnumber import validate_id_number
from common.roles import Role

REGISTER_PURPOSE = "register"


def parent_register(*, mobile: str, password: str, real_name: str, id_number: str, code: str) -> tuple[User, str]:
    """Create a parent account after the one-time code texted to ``mobile`` was given back.

    The mobile number is the login name. The ID number is stored as a claim: the account is
    bound (and sees family data) at once only if the registry records this mobile number for
    that person (see ``accounts.services.identity``); otherwise it is pending a check at the
    window, or a claim for the station when another account holds the number. Returns the user
    and that outcome. Raises ``ValidationError`` (no account written) when the ID number is
    invalid, the code is wrong or the mobile number is taken; a wrong code still counts as an
    attempt. The unique constraints are the backstop against two simultaneous registrations.
    """
    id_number = validate_id_number(id_number)
    if User.objects.filter(mobile=mobile).exists():
        raise ValidationError({"mobile": _("This mobile number is already registered.")})
    try:
        otp_verify(mobile=mobile, purpose=REGISTER_PURPOSE, code=code)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from exc
    user = User(
        username=mobile,
        mobile=mobile,
        real_name=real_name,
        id_number=id_number,
        role=Role.PARENT,
        mobile_verified_at=timezone.now(),
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError(_("This mobile number was registered a moment ago.")) from exc
    return user, identity_bind_from_registry(user_id=user.pk)


@transaction.atomic
def api_token_obtain(*, user: User) -> Token:
    """The user's API token: the current one while it lives, else a new one (an expired token
    is deleted, never handed out again). One token per user (DRF's model)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and token_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


def api_tokens_revoke(*, user: User) -> int:
    """Delete the user's API tokens (at logout); returns how many there were."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return deleted
