"""The safe upload pipeline: what comes out is clean, and every attack file is refused."""

import io

import pytest
from PIL import Image

from common.uploads import UploadLimits, UploadRejected, upload_process
from tests import upload_samples as samples


@pytest.mark.parametrize(("label", "filename", "factory", "code"), samples.ATTACKS, ids=[a[0] for a in samples.ATTACKS])
def test_it_refuses_the_attack_file_with_a_chinese_reason(settings, label, filename, factory, code):
    with pytest.raises(UploadRejected) as refused:
        upload_process(data=factory(), filename=filename, limits=UploadLimits())
    assert refused.value.code == code, label
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value.message)), (
        f"the reason is in Chinese: {refused.value.message}"
    )


def test_it_refuses_a_file_over_the_size_limit():
    with pytest.raises(UploadRejected) as refused:
        upload_process(data=samples.good_jpeg(), filename="a.jpg", limits=UploadLimits(max_bytes=10_000))
    assert refused.value.code == "too_large"


def test_it_applies_the_exif_orientation_and_strips_all_metadata():
    result = upload_process(data=samples.jpeg_with_exif(orientation=6), filename="IMG_0001.JPG")
    image = Image.open(io.BytesIO(result.content))
    assert image.size == (1200, 1600), "rotated upright: the 1600×1200 landscape shot was taken in portrait"
    assert not image.getexif(), "no EXIF (orientation, maker, GPS) is kept"
    assert b"PhoneMaker" not in result.content
    assert "icc_profile" not in image.info
    assert result.content_type == "image/jpeg" and result.extension == "jpg"


def test_it_re_encodes_and_makes_a_thumbnail_and_checksum():
    data = samples.good_jpeg()
    result = upload_process(data=data, filename="photo.jpeg")
    assert result.content != data
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert max(thumb.size) <= 320
    import hashlib

    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.findings == []


def test_it_accepts_png_heic_and_pdf():
    png = upload_process(data=samples.png_bytes(), filename="scan.png")
    assert png.content_type == "image/png"
    heic = upload_process(data=samples.heic_bytes(), filename="IMG_0002.HEIC")
    assert heic.kind == "heif" and heic.content_type == "image/jpeg"
    pdf = upload_process(data=samples.pdf_bytes(pages=2), filename="scan.pdf")
    assert pdf.content_type == "application/pdf" and pdf.pages == 2
    assert pdf.preview and pdf.thumbnail, "the scanned first page is the preview OCR reads"


def test_it_downscales_a_large_photo_to_the_kept_edge():
    big = samples.encode(samples.document_image(size=(4000, 3000)), "JPEG", quality=85)
    result = upload_process(data=big, filename="big.jpg")
    assert max(result.width, result.height) <= 2000


@pytest.mark.parametrize(
    ("factory", "code", "words"),
    [
        (samples.blurred_jpeg, "blurred", "模糊"),
        (samples.dark_jpeg, "too_dark", "太暗"),
        (samples.small_jpeg, "too_small", "太小"),
    ],
)
def test_it_names_quality_problems_in_chinese(factory, code, words):
    result = upload_process(data=factory(), filename="photo.jpg")
    assert [finding["code"] for finding in result.findings] == [code]
    assert words in result.findings[0]["reason"]


def test_it_refuses_a_truncated_jpeg_even_after_weasyprint_relaxed_pillow():
    import weasyprint.images  # noqa: F401 - sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    with pytest.raises(UploadRejected) as refused:
        upload_process(data=samples.truncated_jpeg(), filename="photo.jpg")
    assert refused.value.code == "damaged"
    # A photo with trailing bytes after its end marker (some phones append data) is still fine.
    assert upload_process(data=samples.good_jpeg() + b"SEFT-trailer", filename="photo.jpg").content
