"""Importing catchments from CSV: command and admin upload, all or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from schoolsync.models import CatchmentArea

pytestmark = pytest.mark.django_db
HEADER = "school_code,year,district,subdistrict,community,road,number_from,number_to,parity,building\n"


@pytest.fixture
def community(east_household):
    return east_household.address.community


def row(community, **fields):
    values = {"school_code": "360102001", "year": "2027", "district": community.district}
    values |= {"subdistrict": community.subdistrict, "community": community.name, "road": "", "number_from": ""}
    values |= {"number_to": "", "parity": "", "building": "", **fields}
    return ",".join(values.values()) + "\n"


def test_the_command_replaces_the_catchment_of_the_school_and_year(tmp_path, school_east, community):
    CatchmentArea.objects.create(school=school_east, year=2027, community=community, road="旧路")
    path = tmp_path / "areas.csv"
    odd = row(community, road="青山路", number_from="1", number_to="9", parity="单")
    path.write_text(HEADER + row(community) + odd)
    call_command("import_catchments", str(path))
    areas = CatchmentArea.objects.order_by("road")
    assert [(a.road, a.number_from, a.number_to, a.parity) for a in areas] == [
        ("", None, None, "any"),
        ("青山路", 1, 9, "odd"),
    ]


def test_a_wrong_row_imports_nothing_and_every_error_is_reported(tmp_path, school_east, community):
    path = tmp_path / "areas.csv"
    bad = row(community, school_code="999") + row(community, number_from="9", number_to="1", road="青山路")
    path.write_text(HEADER + row(community) + bad + row(community, building="3"))
    with pytest.raises(CommandError) as error:
        call_command("import_catchments", str(path))
    assert str(error.value).splitlines() == [
        "第3行：未知的学校代码 999。",
        "第4行：起始门牌号大于结束门牌号。",
        "第5行：门牌号、单双号和楼栋须指定道路。",
    ]
    assert not CatchmentArea.objects.exists()


def test_the_admin_upload_imports_a_file(login, sysadmin, school_east, community):
    client = login(sysadmin)
    upload = SimpleUploadedFile("areas.csv", (HEADER + row(community)).encode())
    response = client.post("/admin/schoolsync/catchmentarea/import/", {"file": upload})
    assert response.status_code == 302
    assert CatchmentArea.objects.get().community == community


def test_the_admin_upload_lists_row_errors(login, sysadmin, school_east, community):
    client = login(sysadmin)
    upload = SimpleUploadedFile("areas.csv", (HEADER + row(community, year="27")).encode())
    response = client.post("/admin/schoolsync/catchmentarea/import/", {"file": upload})
    assert "第2行：入学年份应为如 2027 这样的年份。" in response.content.decode()
    assert not CatchmentArea.objects.exists()


@pytest.mark.parametrize("model", ["catchmentarea", "eligibilityrule", "enrolment", "schoolnoticeread"])
def test_the_admin_lists_open(login, sysadmin, model):
    assert login(sysadmin).get(f"/admin/schoolsync/{model}/").status_code == 200


def test_school_staff_cannot_import(login, school_staff, community):
    upload = SimpleUploadedFile("areas.csv", (HEADER + row(community)).encode())
    response = login(school_staff).post("/admin/schoolsync/catchmentarea/import/", {"file": upload})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not CatchmentArea.objects.exists()
