"""PDF rendering with WeasyPrint and the system's Noto CJK fonts, embedded (subset) in every PDF.

The fonts are declared with @font-face. ``local("Noto Serif CJK SC")`` comes first on purpose:
the .ttc file is a collection whose first face is the Japanese one, whose glyphs for some
characters (直, 骨) are not the mainland shapes; the file:// URL is the fallback.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import segno
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

# WeasyPrint logs every layout step at INFO; one line per step per certificate is noise.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONTS = {
    ("HukouSerif", "normal"): ("Noto Serif CJK SC", "NotoSerifCJK-Regular.ttc"),
    ("HukouSerif", "bold"): ("Noto Serif CJK SC Bold", "NotoSerifCJK-Bold.ttc"),
    ("HukouSans", "normal"): ("Noto Sans CJK SC", "NotoSansCJK-Regular.ttc"),
}


@functools.cache
def font_css() -> str:
    rules = []
    for (family, weight), (local_name, filename) in FONTS.items():
        path = FONT_DIR / filename
        if not path.exists():
            raise ImproperlyConfigured(
                f"Chinese font {path} is missing; certificates need it embedded. "
                "Install it with: apt-get install fonts-noto-cjk"
            )
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f'src: local("{local_name}"), url("{path.as_uri()}"); }}'
        )
    return "\n".join(rules)


def qr_svg(url: str) -> str:
    """An inline SVG QR code (no image toolchain needed), safe to put in a template."""
    qr = segno.make(url, error="m")
    return mark_safe(qr.svg_inline(scale=3, border=2))  # noqa: S308 - segno's own SVG


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes with the CJK fonts embedded."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fonts = CSS(string=font_css(), font_config=font_config)
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf(stylesheets=[fonts], font_config=font_config)
