"""Writes on accounts."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import User
from common.authentication import token_expired
from common.idnumber import validate_id_number
from common.roles import Role


@transaction.atomic
def parent_register(*, mobile: str, password: str, real_name: str, id_number: str) -> User:
    """Create a parent account bound to a real name and a valid resident ID number.

    The mobile number is the login name. Raises ``ValidationError`` (nothing written) when the
    ID number is invalid or either the mobile number or the ID number is already registered;
    the unique constraints are the backstop against two simultaneous registrations.
    """
    id_number = validate_id_number(id_number)
    if User.objects.filter(mobile=mobile).exists():
        raise ValidationError({"mobile": _("This mobile number is already registered.")})
    if User.objects.filter(id_number=id_number).exists():
        # Deliberately vague: the answer must not confirm to a stranger who holds which number.
        raise ValidationError(
            {"id_number": _("An account cannot be registered with this ID number here; please ask at the window.")}
        )
    user = User(username=mobile, mobile=mobile, real_name=real_name, id_number=id_number, role=Role.PARENT)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError(_("This mobile number or ID number was registered a moment ago.")) from exc
    return user


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
