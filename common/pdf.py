"""PDF rendering with WeasyPrint and the Simplified Chinese Noto faces embedded (subset) in every PDF.

The faces are the single-face GB 2312 subsets that ``common.pdf_fonts`` builds from Debian's
fonts-noto-cjk at setup time (the SC face, not index 0 of the collection, which is Japanese).
Templates name the families ``HukouSerif SC`` / ``HukouSans SC`` followed by the full system face
(``"Noto Serif CJK SC"``): Pango takes each character from the first family that has it, so a
rare name character (生僻字) outside GB 2312 still prints, from the full SC face.

The font configuration and the stylesheet that registers the faces are built once per process
(per thread: Pango's font map is not shared across threads), not per render; see
docs/benchmarks.md for what that saves.
"""

from __future__ import annotations

import atexit
import logging
import threading

import segno
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from common import pdf_fonts

# WeasyPrint logs every layout step at INFO; one line per step per certificate is noise.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = pdf_fonts.SYSTEM_FONT_DIR
# (family in templates, weight) -> subset face built by common.pdf_fonts
FACES = {
    ("HukouSerif SC", "normal"): "serif-regular",
    ("HukouSerif SC", "bold"): "serif-bold",
    ("HukouSans SC", "normal"): "sans-regular",
}

_local = threading.local()
# Free the main thread's font configuration before the interpreter tears down the libraries
# its destructor calls.
atexit.register(lambda: _local.__dict__.clear())


def font_css() -> str:
    """The @font-face rules of the embedded faces (building the subsets if setup did not)."""
    try:
        pdf_fonts.ensure_built()
    except FileNotFoundError as error:
        raise ImproperlyConfigured(
            f"{error}. Certificates need the Chinese fonts embedded: apt-get install fonts-noto-cjk, "
            "then python -m common.pdf_fonts"
        ) from error
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f'src: url("{pdf_fonts.path_of(face).as_uri()}"); }}'
        for (family, weight), face in FACES.items()
    )


def font_setup():
    """(FontConfiguration, CSS) registering the faces, built on the first call in this thread."""
    setup = getattr(_local, "setup", None)
    if setup is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        setup = _local.setup = (font_config, CSS(string=font_css(), font_config=font_config))
    return setup


def qr_png_data_uri(url: str) -> str:
    """A QR code for a PDF: a PNG of one pixel per module as a data: URI, to be scaled up
    with ``image-rendering: pixelated`` (sharp edges). WeasyPrint draws it as one small image;
    the same code as inline SVG cost a tenth of a certificate's render in parsing its path."""
    return segno.make_qr(url, error="m").png_data_uri(scale=1, border=2)


def render_html_pdf(html: str) -> bytes:
    """PDF bytes of an HTML string with the embedded faces (the process-wide font setup)."""
    from weasyprint import HTML

    font_config, fonts = font_setup()
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf(stylesheets=[fonts], font_config=font_config)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes with the CJK fonts embedded."""
    return render_html_pdf(render_to_string(template_name, context))
