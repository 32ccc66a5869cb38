"""Load the demo world: one district, two stations with three windows each, schools,
about 200 households with valid synthetic ID numbers, and a demo user for every role.

Idempotent: every row is found by its natural key first, so running it twice changes nothing.
"""

import datetime as dt
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import IdentityMethod, User
from appointments.models import NoShowPolicy, ScheduleRule, Window
from appointments.services.schedule import slots_generate_horizon
from common.idnumber import make_id_number
from common.roles import Role
from common.text import pinyin_of
from hukou.codes import Relationship
from hukou.models import Address, BusinessType, Community, Household, Person, Station
from schoolsync.models import CatchmentArea, EligibilityRule, Enrolment, School

DEMO_PASSWORD = "hukou-demo-2026"
REGION = "360102"
DISTRICT = "东湖区"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍子涵浩宇欣怡梓轩雨桐"

STATIONS = [
    {
        "code": "EAST",
        "name": "东城派出所",
        "phone": "0791-86000001",
        "address": "东湖区东城路1号",
        "communities": [("八一街道", "青山社区"), ("八一街道", "湖滨社区"), ("百花洲街道", "桃源社区")],
        "roads": ["青山路", "湖滨东路", "桃源街"],
    },
    {
        "code": "WEST",
        "name": "西城派出所",
        "phone": "0791-86000002",
        "address": "东湖区西城大道8号",
        "communities": [("豫章街道", "书院社区"), ("豫章街道", "西湖社区"), ("公园街道", "象山社区")],
        "roads": ["书院街", "西湖路", "象山北路"],
    },
]
WINDOWS = [
    (1, "综合业务窗口", Window.Kind.GENERAL),
    (2, "综合业务窗口", Window.Kind.GENERAL),
    (3, "入学业务窗口", Window.Kind.SCHOOL),
]
SCHOOLS = [
    ("360102001", "东城第一小学", "东湖区青山路100号"),
    ("360102002", "东城实验小学", "东湖区桃源街20号"),
    ("360102003", "西城第二小学", "东湖区西湖路66号"),
]
# (username, real name, role, station code or None, school code or None)
STAFF = [
    ("clerk_east", "张建国", Role.CLERK, "EAST", None),
    ("aux_east", "李小红", Role.AUX_CLERK, "EAST", None),
    ("approver_east", "王所长", Role.APPROVER, "EAST", None),
    ("admin_east", "赵管理", Role.STATION_ADMIN, "EAST", None),
    ("clerk_west", "刘德明", Role.CLERK, "WEST", None),
    ("approver_west", "陈副所长", Role.APPROVER, "WEST", None),
    ("admin_west", "孙管理", Role.STATION_ADMIN, "WEST", None),
    ("school_east", "周老师", Role.SCHOOL_STAFF, None, "360102001"),
    ("sysadmin", "系统管理员", Role.SYSTEM_ADMIN, None, None),
]
PARENT_MOBILE = "13800000001"
HOUSEHOLDS_PER_STATION = 100


class Command(BaseCommand):
    help = "Load demo stations, windows, schools, ~200 households and a demo user for every role."

    @transaction.atomic
    def handle(self, *args, **options):
        rng = random.Random(2026)
        stations = {spec["code"]: self._station(spec) for spec in STATIONS}
        schools = {
            code: School.objects.get_or_create(
                code=code, defaults={"name": name, "district": DISTRICT, "address": address}
            )[0]
            for code, name, address in SCHOOLS
        }
        sequence = 0
        first_head = None
        for index, spec in enumerate(STATIONS):
            station = stations[spec["code"]]
            communities = list(station.communities.order_by("id"))
            for number in range(1, HOUSEHOLDS_PER_STATION + 1):
                sequence += 1
                head = self._household(rng, station, communities, spec["roads"], index, number, sequence)
                first_head = first_head or head
        for username, real_name, role, station_code, school_code in STAFF:
            self._user(
                username,
                real_name=real_name,
                role=role,
                station=stations.get(station_code),
                school=schools.get(school_code),
            )
        # The registry records the demo parent's mobile number, and the account proved it with a
        # code: so the parent is verified (accounts.services.identity) and sees the family.
        Person.objects.filter(pk=first_head.pk).update(mobile=PARENT_MOBILE)
        parent = self._user(
            PARENT_MOBILE,
            real_name=first_head.name,
            role=Role.PARENT,
            mobile=PARENT_MOBILE,
            id_number=first_head.id_number,
        )
        if parent.identity_verified_at is None:
            now = timezone.now()
            User.objects.filter(pk=parent.pk).update(
                mobile_verified_at=now, identity_verified_at=now, identity_method=IdentityMethod.REGISTRY_MOBILE
            )
        self._school_catchments(schools)
        for station in stations.values():
            self._booking_schedule(station)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Household.objects.count()} households, {Person.objects.count()} persons."
            )
        )

    def _station(self, spec) -> Station:
        station, _ = Station.objects.get_or_create(
            code=spec["code"],
            defaults={"name": spec["name"], "district": DISTRICT, "phone": spec["phone"], "address": spec["address"]},
        )
        if not station.division_code:  # newborns' ID numbers start with it (hukou.services.idnumbers)
            Station.objects.filter(pk=station.pk).update(division_code=REGION)
            station.division_code = REGION
        for subdistrict, name in spec["communities"]:
            Community.objects.get_or_create(
                district=DISTRICT, subdistrict=subdistrict, name=name, defaults={"station": station}
            )
        for number, name, kind in WINDOWS:
            Window.objects.get_or_create(station=station, number=number, defaults={"name": name, "kind": kind})
        return station

    def _booking_schedule(self, station) -> None:
        """Weekdays 8:30–17:30 with lunch, a Saturday-morning school window, the August peak
        8:00–20:00 on all windows; slots for the booking horizon (docs/appointments.md)."""
        NoShowPolicy.objects.get_or_create(
            station=None, defaults={"no_shows": 3, "within_days": 90, "suspend_days": 30}
        )
        school = BusinessType.objects.filter(code="school_certificate")
        windows = list(station.windows.order_by("number"))
        if ScheduleRule.objects.filter(station=station).exists():
            return
        common = {"slot_minutes": 15, "places_per_window": 2, "walk_in_percent": 25}
        regular = ScheduleRule.objects.create(
            station=station,
            name="工作日",
            kind=ScheduleRule.Kind.REGULAR,
            opens=dt.time(8, 30),
            closes=dt.time(17, 30),
            lunch_start=dt.time(12, 0),
            lunch_end=dt.time(13, 30),
            **common,
        )
        regular.windows.set(windows[:2])
        saturday = ScheduleRule.objects.create(
            station=station,
            name="周六上午入学专窗",
            kind=ScheduleRule.Kind.EXTRA,
            weekdays=[5],
            opens=dt.time(9, 0),
            closes=dt.time(12, 0),
            **common,
        )
        saturday.windows.set(windows[2:])
        saturday.business_types.set(school)
        peak = ScheduleRule.objects.create(
            station=station,
            name="八月高峰",
            kind=ScheduleRule.Kind.SEASONAL,
            valid_from=dt.date(timezone.localdate().year, 8, 1),
            valid_until=dt.date(timezone.localdate().year, 8, 31),
            opens=dt.time(8, 0),
            closes=dt.time(20, 0),
            **common,
        )
        peak.windows.set(windows)
        slots_generate_horizon(station_id=station.pk)

    def _household(self, rng, station, communities, roads, station_index, number, sequence) -> Person:
        household_number = f"{REGION}{station_index + 1:02d}{number:06d}"
        existing = Household.objects.filter(number=household_number).first()
        if existing:
            return existing.members.get(relationship=Relationship.HEAD, status=Person.Status.ACTIVE)
        community_index = number % len(communities)
        address, _ = Address.objects.get_or_create(
            community=communities[community_index],
            road=roads[community_index],
            number=1 + number // 10,
            building=str(1 + number % 5),
            unit=str(1 + number % 3),
            room=f"{1 + number % 6}0{1 + number % 2}",
        )
        household = Household.objects.create(number=household_number, address=address, station=station)
        registered = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3600))
        surname = SURNAMES[rng.randrange(len(SURNAMES))]
        head = self._person(
            rng, household, surname, Relationship.HEAD, rng.randint(1978, 1992), True, sequence * 4, registered
        )
        spouse = self._person(
            rng,
            household,
            SURNAMES[rng.randrange(len(SURNAMES))],
            Relationship.WIFE,
            rng.randint(1980, 1994),
            False,
            sequence * 4 + 1,
            registered,
        )
        for child_index in range(rng.randint(0, 2) if number > 1 else 2):
            male = rng.random() < 0.5
            # Children born 2016-2022: many of them reach school age in the demo enrolment years.
            child = self._person(
                rng,
                household,
                surname,
                Relationship.SON if male else Relationship.DAUGHTER,
                rng.randint(2016, 2022),
                male,
                sequence * 4 + 2 + child_index,
                registered,
            )
            Person.objects.filter(pk=child.pk).update(father=head, mother=spouse)
        return head

    def _person(self, rng, household, surname, relationship, year, male, sequence, registered) -> Person:
        birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        name = surname + "".join(rng.sample(GIVEN, 2))
        return Person.objects.create(
            id_number=make_id_number(region=REGION, birth_date=birth, sequence=sequence % 500, male=male),
            name=name,
            name_pinyin=pinyin_of(name),
            sex="M" if male else "F",
            birth_date=birth,
            household=household,
            relationship=relationship,
            native_place="江西南昌",
            registered_at_address_on=max(registered, birth),
        )

    def _user(self, username, **fields) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, **fields)
            user.is_superuser = fields["role"] == Role.SYSTEM_ADMIN
            # Station admins edit their own station's schedules in the Django admin (scoped there).
            user.is_staff = fields["role"] in (Role.SYSTEM_ADMIN, Role.STATION_ADMIN)
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    # --- School catchments, default eligibility rules and enrolments (schoolsync) ---

    def _school_catchments(self, schools) -> None:
        """Each demo school gets a catchment over demo communities or roads for 2026 and 2027, the
        default rules, and two enrolled pupils; prints a child ``school_east`` can look up."""
        for code, areas in CATCHMENTS.items():
            school = schools[code]
            for year in ENROLMENT_YEARS:
                EligibilityRule.objects.get_or_create(school=school, year=year, effective_from=dt.date(2025, 9, 1))
                for community_name, road, number_from, number_to in areas:
                    CatchmentArea.objects.get_or_create(
                        school=school,
                        year=year,
                        community=Community.objects.get(district=DISTRICT, name=community_name),
                        road=road,
                        number_from=number_from,
                        number_to=number_to,
                    )
            pupils = Person.objects.filter(
                household__address__community__name=areas[0][0],
                relationship__in=[Relationship.SON, Relationship.DAUGHTER],
                birth_date__lte=dt.date(2020, 8, 31),
            ).order_by("id")[:2]
            for pupil in pupils:
                Enrolment.objects.get_or_create(person=pupil, year=ENROLMENT_YEARS[0], defaults={"school": school})
        child = (
            Person.objects.filter(
                household__address__community__name="青山社区",
                relationship__in=[Relationship.SON, Relationship.DAUGHTER],
                birth_date__range=(dt.date(2020, 9, 1), dt.date(2021, 8, 31)),
            )
            .order_by("id")
            .first()
        )
        if child is not None:
            self.stdout.write(f"school_east can look up {child.name} {child.id_number} (eligible for 2027).")


ENROLMENT_YEARS = (2026, 2027)
# School code -> areas (community, road or "" for the whole community, first and last house number).
CATCHMENTS = {
    "360102001": [("青山社区", "", None, None), ("湖滨社区", "湖滨东路", 1, 5)],
    "360102002": [("桃源社区", "", None, None), ("湖滨社区", "湖滨东路", 6, None)],
    "360102003": [("书院社区", "", None, None), ("西湖社区", "", None, None), ("象山社区", "", None, None)],
}
