"""hukou's policy: one station check, one scoped-queryset base, one access-log helper."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hukou.models import AccessLog, Guardianship, Person
from hukou.policy import OtherStation, station_check
from hukou.services.access import access_log_record
from hukou.visibility import StationScopedQuerySet


def test_the_station_check_refuses_another_station_with_one_exception(clerk_east, west_household):
    with pytest.raises(OtherStation) as caught:
        station_check(clerk_east, west_household.station_id)

    assert isinstance(caught.value, ValidationError) and isinstance(caught.value, PermissionDenied)
    assert caught.value.code == "other_station"
    assert "其他派出所" in caught.value.messages[0]


def test_the_station_check_lets_own_staff_and_system_admins_through(clerk_east, sysadmin, east_household):
    station_check(clerk_east, east_household.station_id)
    station_check(sysadmin, east_household.station_id)


@pytest.mark.parametrize("who", ["school_staff", "parent"])
def test_the_station_check_refuses_roles_without_a_station(request, who, east_household):
    with pytest.raises(OtherStation):
        station_check(request.getfixturevalue(who), east_household.station_id)


def test_every_visible_to_comes_from_the_one_base():
    from django.apps import apps

    scoped = [model for model in apps.get_app_config("hukou").get_models() if hasattr(model.objects, "visible_to")]
    assert Guardianship in scoped
    for model in scoped:
        assert isinstance(model.objects.all(), StationScopedQuerySet), model


def test_guardianships_are_scoped_to_the_childs_station(clerk_east, clerk_west, east_child, east_head, sysadmin):
    guardianship = Guardianship.objects.create(
        child=east_child, guardian=east_head, relationship="51", valid_from=dt.date(2020, 1, 1)
    )

    assert list(Guardianship.objects.visible_to(clerk_east)) == [guardianship]
    assert not Guardianship.objects.visible_to(clerk_west).exists()
    assert Guardianship.objects.visible_to(sysadmin).count() == 1


def test_the_access_log_derives_target_and_person_from_the_row(clerk_east, east_head):
    entry = access_log_record(
        actor=clerk_east, action=AccessLog.Action.VIEW, subject=east_head, aspect="timeline", purpose="核对",
        client_address="10.0.0.7",
    )  # fmt: skip

    assert (entry.target, entry.person_id, entry.station_id) == (
        f"person:{east_head.pk}:timeline", east_head.pk, clerk_east.station_id,
    )  # fmt: skip
    assert entry.ip_address == "10.0.0.7"


def test_a_searched_id_number_is_masked_once_before_it_is_stored(clerk_east, east_head):
    entry = access_log_record(
        actor=clerk_east, action=AccessLog.Action.SEARCH, target=f"q={east_head.id_number}", purpose="窗口查询"
    )

    assert east_head.id_number not in entry.target
    assert entry.target == f"q={Person.objects.get(pk=east_head.pk).masked_id_number}"
