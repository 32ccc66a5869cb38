"""Files for the upload tests, generated on the fly: good photos and the attack list."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def document_image(lines=("出生医学证明", "姓名：张小明"), size=(1200, 1600), seal=False) -> Image.Image:
    """A white page with black Chinese text (a stand-in for a photographed document)."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 44, index=2)
    for row, line in enumerate(lines):
        draw.text((80, 80 + row * 90), line, font=font, fill="black")
    for row in range(12):
        draw.line((80, 900 + row * 40, size[0] - 80, 900 + row * 40), fill="black", width=2)
    if seal:
        x, y = size[0] - 420, size[1] - 480
        draw.ellipse((x, y, x + 300, y + 300), outline=(220, 20, 30), width=14)
        draw.text((x + 80, y + 120), "专用章", font=font, fill=(220, 20, 30))
    return image


def encode(image: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def good_jpeg(**kwargs) -> bytes:
    return encode(document_image(**kwargs), "JPEG", quality=90)


def jpeg_with_exif(orientation: int = 6) -> bytes:
    image = document_image(size=(1600, 1200))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}  # GPSInfo
    return encode(image, "JPEG", quality=90, exif=exif.tobytes())


def blurred_jpeg() -> bytes:
    return encode(document_image().filter(ImageFilter.GaussianBlur(8)), "JPEG", quality=90)


def dark_jpeg() -> bytes:
    return encode(document_image().point(lambda v: v // 6), "JPEG", quality=90)


def small_jpeg() -> bytes:
    return encode(document_image(size=(400, 300)), "JPEG", quality=90)


def png_bytes(image=None) -> bytes:
    return encode(image or document_image(), "PNG")


def heic_bytes() -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    return encode(document_image(), "HEIF", quality=80)


def pdf_bytes(pages: int = 1) -> bytes:
    first = document_image(size=(600, 800))
    rest = [document_image(size=(60, 80)) for _ in range(pages - 1)]
    return encode(first, "PDF", save_all=True, append_images=rest, resolution=72)


def pdf_with_javascript() -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('hi');")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def decompression_bomb_png() -> bytes:
    """A tiny PNG whose header claims 50000×50000 pixels (2.5 gigapixels) of highly compressible data."""
    width = height = 50_000
    row = b"\x00" + b"\x00" * (width // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(2000)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("photo.jpg", b"\x00" * 20_000_000)
    return out.getvalue()


def truncated_jpeg() -> bytes:
    data = good_jpeg()
    return data[: len(data) // 2]


def polyglot_jpeg_zip() -> bytes:
    """A valid JPEG with a zip archive appended (a 'GIFAR'-style polyglot)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.html", "<script>alert(1)</script>")
    return good_jpeg() + out.getvalue()


def polyglot_jpeg_html() -> bytes:
    """A valid JPEG whose comment segment carries an HTML page with a script."""
    return encode(document_image(), "JPEG", quality=90, comment=b"<html><script>alert(1)</script></html>")


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def cmyk_jpeg() -> bytes:
    return encode(document_image().convert("CMYK"), "JPEG", quality=90)


def sixteen_bit_png() -> bytes:
    return encode(Image.new("I;16", (800, 800), 30000), "PNG")


def animated_png() -> bytes:
    frames = [document_image(size=(700, 700)), document_image(lines=("第二帧",), size=(700, 700))]
    return encode(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=200)


# name, file name, bytes factory, refusal code
ATTACKS = [
    ("decompression bomb", "bomb.png", decompression_bomb_png, "too_many_pixels"),
    ("zip bomb", "photo.zip", zip_bomb, "archive"),
    ("zip bomb named .jpg", "photo.jpg", zip_bomb, "archive"),
    ("truncated JPEG", "photo.jpg", truncated_jpeg, "damaged"),
    ("JPEG+zip polyglot", "photo.jpg", polyglot_jpeg_zip, "polyglot"),
    ("JPEG+HTML polyglot", "photo.jpg", polyglot_jpeg_html, "polyglot"),
    ("SVG disguised as JPEG", "photo.jpg", lambda: SVG, "markup"),
    ("HTML disguised as PNG", "photo.png", lambda: HTML, "markup"),
    ("zero-byte file", "photo.jpg", lambda: b"", "empty"),
    ("PNG named .jpg", "photo.jpg", png_bytes, "wrong_extension"),
    ("PDF named .jpg", "scan.jpg", pdf_bytes, "wrong_extension"),
    ("CMYK JPEG", "photo.jpg", cmyk_jpeg, "cmyk"),
    ("16-bit PNG", "photo.png", sixteen_bit_png, "sixteen_bit"),
    ("animated PNG", "photo.png", animated_png, "animated"),
    ("50-page PDF", "scan.pdf", lambda: pdf_bytes(pages=50), "pdf_too_many_pages"),
    ("PDF with JavaScript", "scan.pdf", pdf_with_javascript, "pdf_active"),
]
