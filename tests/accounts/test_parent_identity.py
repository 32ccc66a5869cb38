"""A parent account binds an ID number only with proof; an impostor with a leaked name and ID
number sees nothing, and the real parent can still bind. Competing claims go to the station."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import IdentityClaim, User
from accounts.services import identity
from common.roles import Role
from hukou.models import AccessLog
from hukou.selectors.parents import parent_identity_confirmed
from tests.factories import UserFactory, completed_case_factory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _claimant(person, mobile, *, name=None):
    """An account that proved its mobile number by code and claims ``person``'s identity."""
    return UserFactory(
        username=mobile,
        mobile=mobile,
        role=Role.PARENT,
        real_name=name or person.name,
        id_number=person.id_number,
        mobile_verified_at=timezone.now(),
    )


def test_the_registry_s_record_of_the_mobile_number_binds_the_account(east_head):
    east_head.mobile = "13955550000"
    east_head.save()
    user = _claimant(east_head, "13955550000")

    assert identity.identity_bind_from_registry(user_id=user.pk) == identity.VERIFIED

    user.refresh_from_db()
    assert user.identity_method == "registry_mobile"
    assert parent_identity_confirmed(user=user)


def test_an_impostor_with_a_leaked_name_and_id_number_sees_nothing(login, east_head, east_child):
    east_head.mobile = "13955550000"
    east_head.save()
    impostor = _claimant(east_head, "13966660000")

    assert identity.identity_bind_from_registry(user_id=impostor.pk) == identity.PENDING
    body = login(impostor).get(reverse("accounts:parent_home")).content.decode()

    assert east_child.name not in body
    assert "身份尚未核验" in body
    assert not parent_identity_confirmed(user=impostor)
    assert not AccessLog.objects.exists()


def test_the_real_parent_can_still_bind_after_an_impostor_claimed_the_number(east_head):
    east_head.mobile = "13955550000"
    east_head.save()
    _claimant(east_head, "13966660000")

    real = _claimant(east_head, "13955550000")

    assert identity.identity_bind_from_registry(user_id=real.pk) == identity.VERIFIED


def test_a_clerk_binds_an_account_after_checking_the_id_card(login, clerk_east, east_head, east_child):
    user = _claimant(east_head, "13977770000")
    client = login(clerk_east)

    found = client.get(reverse("accounts:identity_window"), {"mobile": "13977770000"})
    assert east_head.masked_id_number in found.content.decode()
    response = client.post(
        reverse("accounts:identity_window"),
        {"user_id": user.pk, "name_seen": east_head.name, "id_number_seen": east_head.id_number, "card_checked": "on"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.identity_method, user.identity_checked_by) == ("window_check", clerk_east)
    assert AccessLog.objects.filter(user=clerk_east, purpose="窗口核验身份证并绑定家长账号").exists()
    assert east_child.name in login(user).get(reverse("accounts:parent_home")).content.decode()


def test_a_card_that_does_not_match_the_claim_binds_nothing(login, clerk_east, east_head):
    user = _claimant(east_head, "13977770000", name="冒名者")

    response = login(clerk_east).post(
        reverse("accounts:identity_window"),
        {"user_id": user.pk, "name_seen": east_head.name, "id_number_seen": east_head.id_number, "card_checked": "on"},
    )

    assert response.status_code == 400
    assert "身份证与该账号登记的姓名和身份号码不符" in response.content.decode()
    user.refresh_from_db()
    assert user.identity_verified_at is None


def test_other_roles_cannot_use_the_window_screen(login, parent, school_staff, aux_east):
    for user in (parent, school_staff, aux_east):
        assert login(user).get(reverse("accounts:identity_window")).status_code == 403


def test_a_second_claim_of_a_bound_number_goes_to_the_station_and_steals_nothing(
    login, parent, clerk_east, admin_east, east_head
):
    second = _claimant(east_head, "13988880000")

    outcome = identity.identity_confirm_at_window(
        actor=clerk_east, user_id=second.pk, id_number_seen=east_head.id_number, name_seen=east_head.name
    )

    assert outcome == identity.CLAIMED
    claim = IdentityClaim.objects.get()
    assert (claim.claimant, claim.holder, claim.station) == (second, parent, east_head.household.station)
    parent.refresh_from_db()
    assert parent.identity_verified_at is not None
    assert "已被其他账号绑定" in login(second).get(reverse("accounts:parent_home")).content.decode()
    assert claim.masked_id_number in login(admin_east).get(reverse("accounts:identity_window")).content.decode()


def test_the_station_admin_moves_a_binding_by_granting_a_claim(login, parent, clerk_east, admin_east, east_head):
    second = _claimant(east_head, "13988880000")
    identity.identity_confirm_at_window(
        actor=clerk_east, user_id=second.pk, id_number_seen=east_head.id_number, name_seen=east_head.name
    )
    claim = IdentityClaim.objects.get()

    response = login(admin_east).post(
        reverse("accounts:identity_claim_decide", args=[claim.pk]), {"decision": "grant", "note": "核验身份证原件"}
    )

    assert response.status_code == 302
    parent.refresh_from_db()
    second.refresh_from_db()
    assert parent.identity_verified_at is None and second.identity_verified_at is not None
    assert IdentityClaim.objects.get().status == "granted"


def test_another_station_s_admin_cannot_decide_the_claim(login, parent, clerk_east, west, east_head):
    second = _claimant(east_head, "13988880000")
    identity.identity_confirm_at_window(
        actor=clerk_east, user_id=second.pk, id_number_seen=east_head.id_number, name_seen=east_head.name
    )
    admin_west = UserFactory(username="admin_west", role=Role.STATION_ADMIN, station=west)

    response = login(admin_west).post(
        reverse("accounts:identity_claim_decide", args=[IdentityClaim.objects.get().pk]),
        {"decision": "grant", "note": "x"},
    )

    assert response.status_code == 404  # another station's claim is hidden, like its other objects
    assert IdentityClaim.objects.get().status == "open"
    parent.refresh_from_db()
    assert parent.identity_verified_at is not None


def test_a_parent_sees_cases_about_their_child_and_downloads_its_certificate(login, parent, clerk_east, east_child):
    from hukou.services.certificates import certificate_issue

    case = completed_case_factory(person=east_child, user=clerk_east)
    certificate = certificate_issue(case=case, person=east_child, kind=case.business_type.certificate, actor=clerk_east)
    client = login(parent)

    body = client.get(reverse("accounts:parent_home")).content.decode()
    assert case.number in body and "已办结" in body

    pdf = client.get(reverse("accounts:parent_certificate", args=[certificate.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(user=parent, action="print", person=east_child).exists()


def test_a_parent_cannot_download_a_certificate_of_someone_else_s_child(login, parent, clerk_west, west_head):
    from hukou.services.certificates import certificate_issue

    case = completed_case_factory(person=west_head, user=clerk_west)
    certificate = certificate_issue(case=case, person=west_head, kind=case.business_type.certificate, actor=clerk_west)

    assert login(parent).get(reverse("accounts:parent_certificate", args=[certificate.pk])).status_code == 404


def test_the_demo_parent_is_verified(db):
    from django.core.management import call_command

    call_command("demo_data", stdout=io.StringIO())

    user = User.objects.get(mobile="13800000001")
    assert parent_identity_confirmed(user=user)
