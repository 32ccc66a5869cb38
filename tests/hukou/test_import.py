import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from common.idnumber import make_id_number
from hukou.models import Address, Household, ImportJob, Person
from hukou.services.importer import registry_import

pytestmark = pytest.mark.django_db

CHECK_DIGIT = "身份号码校验位错误，请逐位核对。"
LENGTH = "公民身份号码应为18位。"

HEADER = ["household_number", "community", "road", "house_number", "building", "unit", "room",
          "relationship", "name", "id_number", "sex", "birth_date", "registered_on"]  # fmt: skip


def _id(birth: dt.date, sequence: int, male: bool = True) -> str:
    return make_id_number(region="360102", birth_date=birth, sequence=sequence % 500, male=male)


def family_rows(count: int, *, start: int = 0) -> list[list[str]]:
    """``count`` households of a head and a child at 青山路 of the 青山社区."""
    rows = []
    for n in range(start, start + count):
        head_birth, child_birth = dt.date(1970, 1, 1) + dt.timedelta(days=n), dt.date(2010, 1, 1) + dt.timedelta(days=n)
        number = f"36010299{n:07d}"
        place = [number, "青山社区", "青山路", str(n + 1), "1", "1", "101"]
        rows.append([*place, "户主", f"王{n}", _id(head_birth, n), "男", head_birth.isoformat(), "2000-01-01"])
        rows.append([*place, "30", f"王{n}女", _id(child_birth, n, False), "女", "", ""])
    return rows


def write_csv(path, rows, header=HEADER):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def counts():
    def _counts():
        return (Person.objects.count(), Household.objects.count(), Address.objects.count(),
                Person.history.count(), Household.history.count())  # fmt: skip

    return _counts


def test_it_imports_households_persons_and_their_history(tmp_path, east_household, admin_east):
    path = write_csv(tmp_path / "legacy.csv", family_rows(3))

    result = registry_import(path=path, station=east_household.station, actor=admin_east, reason="导入测试")

    assert (result.total_rows, result.imported_rows, result.errors) == (6, 6, [])
    head = Person.objects.get(name="王1")
    assert head.is_head and head.household.station == east_household.station
    assert head.name_pinyin == "wang1"
    assert str(head.household.address).endswith("青山路2号1栋1单元101室")
    record = head.history.get()
    assert (record.history_user, record.history_change_reason) == (admin_east, "导入测试")
    assert Person.objects.get(name="王1女").sex == "F"


def test_a_bad_row_writes_nothing_and_the_report_names_rows_in_chinese(tmp_path, east_household, counts):
    rows = family_rows(3)
    rows[2][9] = rows[2][9][:-1] + ("0" if rows[2][9][-1] != "0" else "1")  # row 4: wrong check digit
    rows[3][11] = "1999-01-01"  # row 5: birth date differs from the ID number
    rows[5][7] = "户主"  # household of rows 6-7 gets two heads
    before = counts()

    result = registry_import(path=write_csv(tmp_path / "bad.csv", rows), station=east_household.station)

    assert counts() == before
    assert result.imported_rows == 0
    assert [(e["row"], e["column"]) for e in result.errors] == [
        (4, "id_number"),
        (5, "birth_date"),
        (6, "relationship"),
    ]
    assert [e["message"] for e in result.errors] == [
        CHECK_DIGIT,
        "出生日期与身份号码中的出生日期不一致。",
        "户 360102990000002 必须有且只有一名户主，文件中有 2 名。",
    ]


def test_partial_mode_writes_the_households_whose_rows_are_all_valid(tmp_path, east_household):
    rows = family_rows(3)
    rows[3][1] = "不存在社区"  # the second household's child names an unknown community

    result = registry_import(path=write_csv(tmp_path / "p.csv", rows), station=east_household.station, partial=True)

    assert result.imported_rows == 4
    assert result.errors == [
        {"row": 4, "column": "household_number", "message": "未导入：户 360102990000001 的其他行有误。"},
        {"row": 5, "column": "community", "message": "社区“不存在社区”不在本所辖区。"},
    ]
    assert not Household.objects.filter(number="360102990000001").exists()


def test_it_refuses_an_id_number_already_active(tmp_path, east_head, counts):
    rows = family_rows(1)
    rows[0][9], rows[0][11] = east_head.id_number, east_head.birth_date.isoformat()
    before = counts()

    result = registry_import(path=write_csv(tmp_path / "dup.csv", rows), station=east_head.household.station)

    assert counts() == before
    assert result.errors == [{"row": 2, "column": "id_number", "message": "该身份号码已有在册人员。"}]


def test_it_refuses_a_community_of_another_station(tmp_path, east_household, west_household, counts):
    rows = family_rows(1)
    before = counts()

    result = registry_import(path=write_csv(tmp_path / "w.csv", rows), station=west_household.station)

    assert counts() == before
    assert {e["column"] for e in result.errors} == {"community"}


def test_it_reads_excel_with_chinese_headers(tmp_path, east_household):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["户号", "社区", "街路巷", "门牌号", "与户主关系", "姓名", "公民身份号码", "出生日期"])
    birth = dt.date(1980, 2, 29)
    sheet.append(["360102990000099", "青山社区", "青山路", 12, "户主", "赵六", _id(birth, 7), birth])
    workbook.save(tmp_path / "legacy.xlsx")

    result = registry_import(path=tmp_path / "legacy.xlsx", station=east_household.station)

    assert result.errors == []
    assert Person.objects.get(name="赵六").birth_date == birth


@pytest.fixture
def eager_celery():
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _upload(client, rows, partial=False):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    upload = SimpleUploadedFile("legacy.csv", buffer.getvalue().encode(), content_type="text/csv")
    return client.post(reverse("hukou:import_list"), {"file": upload, "partial": partial})


def test_station_admin_uploads_and_sees_progress_and_report(
    login, admin_east, east_household, eager_celery, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = login(admin_east)
    rows = family_rows(2)
    rows[1][9] = "123"
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, rows)

    job = ImportJob.objects.get()
    progress = client.get(reverse("hukou:import_progress", args=[job.pk])).json()
    report = client.get(response["Location"]).content.decode()

    assert (progress["status"], progress["total_rows"], progress["error_count"]) == ("rejected", 4, 1)
    assert LENGTH in report
    assert not Person.objects.filter(name__startswith="王").exists()


def test_others_may_not_see_an_import(login, clerk_east, admin_east, east, west, clerk_west):
    job = ImportJob.objects.create(station=east, created_by=admin_east, original_name="x.csv")
    from tests.cast import _user

    admin_west = _user("admin_west", "station_admin", station=west)

    assert login(clerk_east).get(reverse("hukou:import_list")).status_code == 403
    assert login(admin_west).get(reverse("hukou:import_detail", args=[job.pk])).status_code == 404
    assert login(admin_west).get(reverse("hukou:import_progress", args=[job.pk])).status_code == 404


def test_the_command_imports_a_thousand_rows(tmp_path, east_household, capsys):
    path = write_csv(tmp_path / "big.csv", family_rows(500))

    call_command("import_registry", str(path), "--station", east_household.station.code)

    assert "1000 of 1000" in capsys.readouterr().out
    assert Person.objects.filter(name__startswith="王").count() == 1000
    assert Person.history.filter(history_change_reason__contains="big.csv").count() == 1000


def test_the_command_fails_and_writes_nothing_on_a_bad_row(tmp_path, east_household, counts):
    rows = family_rows(3)
    rows[4][8] = ""
    before = counts()

    with pytest.raises(SystemExit):
        call_command("import_registry", str(write_csv(tmp_path / "x.csv", rows)), "--station", "EAST")

    assert counts() == before
    assert ImportJob.objects.get().errors == [{"row": 6, "column": "name", "message": "缺少姓名。"}]


def test_a_job_whose_kick_was_lost_is_run_by_the_sweeper(tmp_path, settings, east_household, admin_east):
    """The upload committed its job row but the kick never reached a worker (Redis down)."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from hukou.services.importer import import_jobs_sweep

    settings.MEDIA_ROOT = tmp_path
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *family_rows(2)])
    job = ImportJob.objects.create(
        station=east_household.station, created_by=admin_east, original_name="legacy.csv",
        file=ContentFile(buffer.getvalue().encode(), name="legacy.csv"),
    )  # fmt: skip

    assert import_jobs_sweep() == []  # too fresh: its own kick may still be on the way
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))

    assert import_jobs_sweep() == [job.pk]
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE
    assert Person.objects.filter(household__station=east_household.station).count() == 4
    assert import_jobs_sweep() == []  # done jobs are left alone


def test_it_imports_a_person_s_mobile_number_and_refuses_a_bad_one(tmp_path, east_household, admin_east, counts):
    rows = [[*row, "13955550000" if index == 0 else ""] for index, row in enumerate(family_rows(1))]
    path = write_csv(tmp_path / "mobile.csv", rows, header=[*HEADER, "手机号码"])

    registry_import(path=path, station=east_household.station, actor=admin_east, reason="导入测试")

    assert Person.objects.get(name="王0").mobile == "13955550000"
    before = counts()
    bad = [[*row, "abc-not-a-phone"] for row in family_rows(1, start=5)]
    result = registry_import(
        path=write_csv(tmp_path / "bad.csv", bad, header=[*HEADER, "mobile"]),
        station=east_household.station,
        actor=admin_east,
        reason="导入测试",
    )
    assert result.imported_rows == 0 and "手机号" in str(result.errors)
    assert counts() == before
