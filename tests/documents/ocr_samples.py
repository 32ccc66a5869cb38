"""Synthetic Chinese documents that look photographed: rendered with the CJK font, then rotated,
blurred, darkened and JPEG-compressed. Deterministic per seed."""

from __future__ import annotations

import datetime as dt
import io
import random

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

from common.idnumber import make_id_number

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "小明华伟芳娜敏静丽强磊军洋勇艳杰娟涛超秀霞平刚桂英"
ROADS = ["青山路", "书院街", "解放大道", "人民路", "滨江路", "建设街"]
REGIONS = ["360102", "110105", "320106", "440305", "510104", "330106"]


def _font(size):
    return ImageFont.truetype(FONT, size, index=2)  # index 2: the Simplified Chinese face


def id_document(seed: int) -> tuple[Image.Image, str, str]:
    """A page like a household-register card or residence certificate; returns (photo, ID, name)."""
    rng = random.Random(seed)
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 60 * 365))
    number = make_id_number(
        region=rng.choice(REGIONS), birth_date=birth, sequence=rng.randrange(1, 999), male=rng.random() < 0.5
    )
    page = Image.new("RGB", (1000, 640), (250, 250, 246))
    draw = ImageDraw.Draw(page)
    title, text = _font(40), _font(32)
    draw.text((300, 30), rng.choice(["常住人口登记卡", "居住证明", "户籍证明"]), font=title, fill=(20, 20, 20))
    lines = [
        f"姓名：{name}",
        f"性别：{'男' if int(number[16]) % 2 else '女'}　民族：汉",
        f"出生日期：{birth.year}年{birth.month}月{birth.day}日",
        f"住址：{rng.choice(ROADS)}{rng.randrange(1, 300)}号",
        f"公民身份号码：{number}",
    ]
    for row, line in enumerate(lines):
        draw.text((60, 120 + row * 95), line, font=text, fill=(15, 15, 15))
    return photographed(page, rng), number, name


def photographed(page: Image.Image, rng: random.Random) -> Image.Image:
    """Rotate a few degrees on a grey desk, blur, darken, compress."""
    image = page.rotate(rng.uniform(-5, 5), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(90, 90, 90))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))
    image = ImageEnhance.Brightness(image).enhance(rng.uniform(0.55, 0.95))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=rng.randrange(35, 75))
    return Image.open(io.BytesIO(out.getvalue()))
