import pytest
from django.core.management import call_command

from accounts.models import User
from common.idnumber import validate_id_number
from common.roles import Role
from hukou.codes import Relationship
from hukou.models import BusinessType, Household, Person, Station


@pytest.mark.django_db
def test_demo_data_is_complete_valid_and_idempotent():
    call_command("demo_data")
    counts = (Household.objects.count(), Person.objects.count(), User.objects.count())
    call_command("demo_data")

    assert (Household.objects.count(), Person.objects.count(), User.objects.count()) == counts
    assert Household.objects.count() == 200
    assert [station.windows.count() for station in Station.objects.all()] == [3, 3]
    assert {user.role for user in User.objects.all()} == set(Role.values)
    for person in Person.objects.all():
        assert validate_id_number(person.id_number) == person.id_number
    for household in Household.objects.all():
        assert household.members.filter(relationship=Relationship.HEAD).count() == 1


@pytest.mark.django_db
def test_business_catalogue_is_loaded_by_migration():
    codes = set(BusinessType.objects.values_list("code", flat=True))

    assert {
        "birth",
        "death",
        "move_in",
        "move_out",
        "correction",
        "cancellation",
        "restoration",
        "id_card",
        "archive",
        "school_certificate",
    } <= codes


@pytest.mark.django_db
def test_demo_logins_lists_every_role(capsys):
    call_command("demo_data")
    call_command("demo_logins", url="http://127.0.0.1:8000/")

    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    for username in ("clerk_east", "approver_east", "admin_east", "school_east", "sysadmin", "13800000001"):
        assert username in out
