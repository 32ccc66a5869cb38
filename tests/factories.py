"""factory_boy factories. Every person gets a valid synthetic resident ID number."""

import datetime as dt
import itertools

import factory

from accounts.models import User
from appointments.models import Window
from common.idnumber import make_id_number
from common.roles import Role
from common.text import pinyin_of
from hukou.codes import Relationship
from hukou.models import Address, Community, Household, Person, Station
from schoolsync.models import School

_sequence = itertools.count(1)


def valid_id_number(*, birth_date: dt.date, male: bool = True, region: str = "360102") -> str:
    return make_id_number(region=region, birth_date=birth_date, sequence=next(_sequence) % 500, male=male)


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"ST{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}派出所")
    district = "东湖区"
    division_code = "360102"


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    station = factory.SubFactory(StationFactory)
    district = "东湖区"
    subdistrict = "八一街道"
    name = factory.Sequence(lambda n: f"第{n}社区")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    community = factory.SubFactory(CommunityFactory)
    road = "青山路"
    number = factory.Sequence(lambda n: n + 1)
    building = "1"
    unit = "1"
    room = "101"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    number = factory.Sequence(lambda n: f"3601029{n:07d}")
    address = factory.SubFactory(AddressFactory)
    station = factory.LazyAttribute(lambda household: household.address.community.station)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试{n}号")
    name_pinyin = factory.LazyAttribute(lambda person: pinyin_of(person.name))
    sex = "M"
    birth_date = dt.date(1985, 6, 15)
    id_number = factory.LazyAttribute(
        lambda person: valid_id_number(birth_date=person.birth_date, male=person.sex == "M")
    )
    household = factory.SubFactory(HouseholdFactory)
    relationship = Relationship.HEAD
    registered_at_address_on = dt.date(2018, 3, 1)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"SCH{n:04d}")
    name = factory.Sequence(lambda n: f"第{n}小学")
    district = "东湖区"


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    station = factory.SubFactory(StationFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = "综合业务窗口"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.PARENT
    password = factory.django.Password("test-password-2026")


def completed_case_factory(*, person, user, business_code: str = "school_certificate"):
    """A completed case of the given business type for ``person`` (certificate tests)."""
    import datetime as _dt

    from django.utils import timezone

    from hukou.models import BusinessType, Case

    now = timezone.now()
    return Case.objects.create(
        number=f"C{next(_sequence):010d}",
        business_type=BusinessType.objects.get(code=business_code),
        station=person.household.station,
        household=person.household,
        person=person,
        applicant_name=person.name,
        status=Case.Status.COMPLETED,
        received_by=user,
        received_at=now,
        due_on=now.date() + _dt.timedelta(days=1),
        completed_at=now,
    )
