"""Materials pre-review speed, each against its bare baseline in the same run.

Run: .venv/bin/python bench/documents.py [--rounds 7] [--ocr-rounds 5] [--only ocr]
Needs no database (unsaved model instances feed the notice template).

1. A 12-megapixel phone JPEG through the whole upload pipeline (``common.uploads.upload_process``:
   sniff, polyglot scan, verify, decode, EXIF transpose, downscale, quality measures, re-encode,
   thumbnail, sha256) vs bare Pillow open + verify + EXIF transpose + thumbnail on the same bytes.
2. OCR of one phone photo of an A4 page (after the pipeline, as the worker sees it): median and
   p95, beside a bare Pillow decode of the same JPEG in the same run.
3. The one-time notice PDF (template + ``common.pdf.render_pdf``) vs bare WeasyPrint on the same
   HTML with the same fonts.
"""

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import numpy as np  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps  # noqa: E402

from common.pdf import FONT_DIR, font_css, render_pdf  # noqa: E402
from common.uploads import upload_process  # noqa: E402
from documents.models import Application, Checklist  # noqa: E402
from documents.ocr import ocr_text  # noqa: E402
from documents.services.notices import notice_context  # noqa: E402
from hukou.models import Station  # noqa: E402

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def a4_page(width: int, height: int) -> Image.Image:
    """A printed A4 form: title, 24 lines of Chinese text, a table, on slightly grey paper."""
    page = Image.new("RGB", (width, height), (244, 243, 238))
    draw = ImageDraw.Draw(page)
    scale = width / 1240
    title, body = ImageFont.truetype(FONT, int(52 * scale), index=2), ImageFont.truetype(FONT, int(30 * scale), index=2)
    draw.text((int(420 * scale), int(90 * scale)), "居住证明", font=title, fill=(20, 20, 20))
    rng = random.Random(7)
    words = "兹证明申请人及其子女自二〇二三年起在本社区实际居住地址为青山路号特此证明本证明仅用于子女入学登记"
    for row in range(24):
        line = "".join(rng.choice(words) for _ in range(28))
        draw.text((int(100 * scale), int((220 + row * 58) * scale)), line, font=body, fill=(25, 25, 25))
    draw.text((int(100 * scale), int(1650 * scale)), "公民身份号码：36010220200501001X", font=body, fill=(25, 25, 25))
    return page


def phone_photo(megapixels: int = 12) -> bytes:
    """A 4000×3000 phone shot of an A4 page on a desk, with sensor noise and EXIF orientation."""
    width, height = 4000, 3000
    desk = Image.new("RGB", (width, height), (120, 105, 90))
    page = a4_page(2000, 2828).rotate(90, expand=True).resize((2700, 1910))
    desk.paste(page, (650, 540))
    noise = np.random.default_rng(1).normal(0, 6, (height, width, 3))
    desk = Image.fromarray(np.clip(np.asarray(desk, dtype=np.float32) + noise, 0, 255).astype(np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    desk.filter(ImageFilter.GaussianBlur(0.6)).save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def bare_pillow(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    image.verify()
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    image.thumbnail((320, 320))


def timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def bench_upload(rounds: int) -> list[str]:
    data = phone_photo()
    ours, bare = [], []
    for _ in range(rounds):  # interleaved, so load on the machine hits both alike
        ours.append(timed(lambda: upload_process(data=data, filename="IMG_0001.JPG")))
        bare.append(timed(bare_pillow, data))
    o, b = statistics.median(ours), statistics.median(bare)
    return [
        f"| Upload pipeline, 12 MP JPEG ({len(data) / 1e6:.1f} MB) | {o * 1000:.0f} ms "
        f"| bare Pillow open+verify+transpose+thumbnail {b * 1000:.0f} ms | {o / b:.2f}× (goal ≤ 1.5×) |"
    ]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench_ocr(rounds: int) -> list[str]:
    """OCR of the page as the worker sees it (the pipeline's preview JPEG, read from bytes),
    interleaved with the bare baseline: Pillow decoding the same bytes to the RGB array OCR gets."""
    from documents.ocr import ocr_engine, ocr_threads

    processed = upload_process(data=phone_photo(), filename="IMG_0002.JPG")
    data = processed.preview
    image = Image.open(io.BytesIO(data))

    def ours():
        page = Image.open(io.BytesIO(data))
        page.load()
        return ocr_text(page)

    def bare():
        np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))

    text = ours()  # loads the models once, as a long-running worker has
    assert "36010220200501001X" in text.replace(" ", ""), text  # the ID number must be read
    session = ocr_engine().text_rec.session.session
    threads = session.get_session_options().intra_op_num_threads
    times, base = [], []
    for _ in range(rounds):
        times.append(timed(ours))
        base.append(timed(bare))
    median = statistics.median(times)
    return [
        f"| OCR of one A4 phone photo ({image.size[0]}×{image.size[1]}, {ocr_threads()} threads, "
        f"onnxruntime intra-op {threads}) | median {median:.2f} s, p95 {_p95(times):.2f} s "
        f"| bare Pillow decode of the same JPEG: median {statistics.median(base) * 1000:.0f} ms, "
        f"p95 {_p95(base) * 1000:.0f} ms | goal: median < 1.5 s |"
    ]


def notice_html() -> tuple[dict, str]:
    station = Station(name="东城派出所", address="青山路1号", phone="0791-86000000")
    checklist = Checklist(title="小学入学户籍业务", legal_basis="《中华人民共和国户口登记条例》")
    application = Application(pk=1, station=station, checklist=checklist, applicant_name="张建华")
    entries = [
        {"code": f"i{i}", "name": name, "is_core": False, "why": why, "how": "请重新拍摄原件上传"}
        for i, (name, why) in enumerate(
            [("预防接种记录", "照片模糊"), ("社区居住证明", "姓名不一致"), ("最近3个月水电缴费单", "已超过3个月")]
        )
    ]
    context = notice_context(application=application, entries=entries, deadline=dt.date(2026, 12, 4), version=1)
    return context, render_to_string("documents/notice_pdf.html", context)


def bench_notice(rounds: int) -> list[str]:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    context, html = notice_html()

    def bare():
        config = FontConfiguration()
        HTML(string=html, base_url=str(FONT_DIR)).write_pdf(
            stylesheets=[CSS(string=font_css(), font_config=config)], font_config=config
        )

    render_pdf("documents/notice_pdf.html", context)
    bare()
    ours, base = [], []
    for _ in range(rounds):
        ours.append(timed(render_pdf, "documents/notice_pdf.html", context))
        base.append(timed(bare))
    o, b = statistics.median(ours), statistics.median(base)
    return [
        f"| One-time notice PDF | {o * 1000:.0f} ms "
        f"| bare WeasyPrint, same HTML and fonts {b * 1000:.0f} ms | {o / b:.2f}× (goal ≤ 1.3×) |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--ocr-rounds", type=int, default=5)
    parser.add_argument("--only", choices=["upload", "notice", "ocr"], help="one scenario (the short form)")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    rows = ["| Scenario | Ours | Baseline (same run) | Ratio |", "|---|---|---|---|"]
    if args.only in (None, "upload"):
        rows += bench_upload(args.rounds)
    if args.only in (None, "notice"):
        rows += bench_notice(args.rounds)
    if args.only in (None, "ocr"):
        rows += bench_ocr(args.ocr_rounds)
    print(f"cores: {os.cpu_count()}, load average before: {load_before:.1f}, after: {os.getloadavg()[0]:.1f}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
