"""Archive scans (finding 1 of the hardening issue): only images and PDF, decided by content, go
in; what is kept is the pipeline's clean copy; it comes back with a safe type and headers."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hukou.models import ArchivePage, BusinessType
from hukou.services.cases import case_receive
from hukou.services.casework import archive_page_add
from tests import upload_samples as samples
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

ATTACKS = {
    "svg_with_script": ("page.svg", samples.SVG, "image/svg+xml"),
    "html_page": ("page.html", samples.HTML, "text/html"),
    "html_named_png": ("page.png", samples.HTML, "image/png"),
    "gif_script_polyglot": ("page.gif", b"GIF89a/*" + b"\x00" * 8 + b"*/=1;alert(1)//", "image/gif"),
    "jpeg_zip_polyglot": ("page.jpg", samples.polyglot_jpeg_zip(), "image/jpeg"),
    "decompression_bomb": ("page.png", samples.decompression_bomb_png(), "image/png"),
    "truncated_jpeg": ("page.jpg", samples.truncated_jpeg(), "image/jpeg"),
    "empty": ("page.jpg", b"", "image/jpeg"),
}


@pytest.fixture
def archive_case(business_catalogue, clerk_east, east_household, east_head, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    return case_receive(
        actor=clerk_east,
        business_type=BusinessType.objects.get(code="archive"),
        applicant_name="张建华",
        household=east_household,
    )


def _stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_a_hostile_scan_is_refused_in_chinese_and_nothing_is_stored(
    attack, archive_case, clerk_east, east_household, settings
):
    name, data, content_type = ATTACKS[attack]

    with pytest.raises(ValidationError) as refused:
        archive_page_add(
            actor=clerk_east,
            file=SimpleUploadedFile(name, data, content_type=content_type),
            title="迁移证第1页",
            household=east_household,
            case=archive_case,
        )

    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.messages[0])
    assert not ArchivePage.objects.exists()
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_a_hostile_scan_through_the_api_is_a_400_and_nothing_is_stored(
    client, archive_case, clerk_east, east_household, settings
):
    client.force_login(clerk_east)

    answer = client.post(
        "/api/v1/archive-pages/",
        {"file": SimpleUploadedFile("page.svg", samples.SVG), "title": "迁移证", "household": east_household.pk,
         "case": archive_case.pk},
    )  # fmt: skip

    assert answer.status_code == 400
    assert not ArchivePage.objects.exists()
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_a_phone_photo_is_kept_as_a_clean_copy_and_served_with_safe_headers(
    client, archive_case, clerk_east, east_household
):
    photo = samples.jpeg_with_exif(orientation=6)

    page = archive_page_add(
        actor=clerk_east,
        file=SimpleUploadedFile("IMG_0001.JPG", photo, content_type="image/jpeg"),
        title="迁移证第1页",
        household=east_household,
        case=archive_case,
    )
    client.force_login(clerk_east)
    answer = client.get(f"/hukou/archive-pages/{page.pk}/")
    served = b"".join(answer.streaming_content)

    assert served != photo  # re-encoded, not the bytes received
    kept = Image.open(io.BytesIO(served))
    assert kept.format == "JPEG" and not kept.getexif()  # metadata stripped
    assert answer["Content-Type"] == "image/jpeg"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Content-Disposition"].startswith("inline;")
    assert "default-src 'none'" in answer["Content-Security-Policy"] and "sandbox" in answer["Content-Security-Policy"]


def test_a_page_stored_before_the_pipeline_is_only_offered_as_a_download(client, archive_case, clerk_east, east_head):
    legacy = ArchivePage.objects.create(
        file=SimpleUploadedFile("old.svg", samples.SVG), title="旧扫描件", person=east_head, case=archive_case,
        uploaded_by=clerk_east,
    )  # fmt: skip
    client.force_login(clerk_east)

    answer = client.get(f"/hukou/archive-pages/{legacy.pk}/")

    assert answer["Content-Type"] == "application/octet-stream"
    assert answer["Content-Disposition"].startswith("attachment;")
    assert answer["X-Content-Type-Options"] == "nosniff"
