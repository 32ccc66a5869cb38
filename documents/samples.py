"""Sample images (样例) of the checklist items, rendered from the item itself.

Every item gets a specimen the parent sees in the guide, on the checklist and next to a failed
quality check: an A4-shaped page titled with the item's name, placeholder fields (never real
personal data: 某某某, X-ed numbers, ×-ed address and date), a red seal where an audit point asks for one, and
a diagonal 样例 / SAMPLE stamp across it. Drawn with Pillow and the project's CJK font, so the
same item always gives the same picture (no files to seed or keep); an admin can still upload a
real photo of a specimen (``ChecklistItem.sample_image``), which then takes precedence."""

from __future__ import annotations

import hashlib
import io
import textwrap
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

from common import pdf_fonts

SIZE = (600, 848)  # A4 proportions, small enough for a phone screen and a fast render
PAPER, INK, MUTED, RED = (250, 249, 244), (30, 30, 30), (120, 120, 120), (205, 30, 40)
FIELDS = ["姓名：某某某", "公民身份号码：XXXXXXXXXXXXXXXXXX", "住址：××市××区××路××号", "日期：20××年××月××日"]


@lru_cache(maxsize=1)
def _font_path() -> Path:
    pdf_fonts.ensure_built()  # the GB 2312 subset of Noto Sans CJK SC the PDFs use (var/fonts)
    return pdf_fonts.path_of("sans-regular")


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_font_path()), size)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width) if text else []


def sample_render(*, name: str, text: str = "", seal: bool = False) -> bytes:
    """The specimen as PNG bytes; deterministic for the same inputs."""
    page = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(page)
    width, height = SIZE
    draw.rectangle((20, 20, width - 21, height - 21), outline=(190, 190, 185), width=2)
    size = 36
    while True:  # long names get a smaller title, never one wider than the page
        title = _font(size)
        box = draw.textbbox((0, 0), name, font=title)
        if box[2] - box[0] <= width - 80 or size <= 16:
            break
        size -= 2
    draw.text(((width - (box[2] - box[0])) // 2, 60), name, font=title, fill=INK)
    body, small = _font(22), _font(18)
    y = 150
    for line in FIELDS:
        draw.text((60, y), line, font=body, fill=INK)
        y += 46
    for _ in range(6):  # the rest of the page: grey bars standing for body text
        draw.rectangle((60, y + 14, width - 60, y + 22), fill=(215, 215, 210))
        y += 36
    for line in _wrap(text, 24)[:4]:
        draw.text((60, y + 10), line, font=small, fill=MUTED)
        y += 30
    if seal:
        x, top = width - 230, height - 250
        draw.ellipse((x, top, x + 160, top + 160), outline=RED, width=6)
        draw.text((x + 40, top + 62), "××专用章", font=_font(20), fill=RED)
    stamp = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    stamp_draw = ImageDraw.Draw(stamp)
    big = _font(110)
    for label, centre in (("样例", height * 0.42), ("SAMPLE", height * 0.60)):
        box = stamp_draw.textbbox((0, 0), label, font=big)
        stamp_draw.text(((width - (box[2] - box[0])) // 2, centre - 60), label, font=big, fill=(*RED, 90))
    stamp = stamp.rotate(30, resample=Image.Resampling.BICUBIC)
    page.paste(stamp, (0, 0), stamp)
    draw.text((40, height - 56), "样例 SAMPLE · 仅供参考，非真实证件", font=small, fill=RED)
    out = io.BytesIO()
    page.save(out, "PNG", optimize=True)
    return out.getvalue()


def item_sample_png(item) -> bytes:
    """The item's specimen, cached by what it shows (a changed name or text draws a new one)."""
    seal = any(point.check_kind == "seal" for point in item.audit_points.all())
    text = item.sample_text or item.description or item.how_to
    key = "documents:sample:" + hashlib.sha256(f"v2|{item.name}|{text}|{seal}".encode()).hexdigest()
    png = cache.get(key)
    if png is None:
        png = sample_render(name=item.name, text=text, seal=seal)
        cache.set(key, png, 24 * 3600)
    return png
