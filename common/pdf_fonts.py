"""The Chinese fonts embedded in PDFs: single-face Simplified Chinese subsets of Debian's Noto CJK.

Debian's fonts-noto-cjk ships each weight as a ~20-27 MB collection (.ttc) of five faces (JP, KR,
SC, TC, HK) of ~65,000 glyphs each. Handing those to WeasyPrint costs on every certificate:
reading and registering the collection, then subsetting a 65k-glyph face when writing; and
``local("Noto Serif CJK SC")`` loads index 0 of the collection, the *Japanese* face.

``build()`` extracts the SC face by its name and keeps the glyphs of GB 2312 (the 7,445 characters
every mainland system has, which covers the certificates' own text and almost every name) plus
printable ASCII and common punctuation: ~2-3 MB per face instead of 20+, one face per file, and
the right one. A character outside that set (a rare name character, 生僻字) is still printed:
the stylesheet lists the full system SC face after the subset, and Pango falls back to it per
character (see common/pdf.py).

Run at setup time (``./dev.sh`` and the Dockerfile call ``python -m common.pdf_fonts``); the
files are generated rather than committed because they are ~7 MB of binary derived from a
system package whose version differs between machines. ``ensure_built()`` builds them on first
use if setup was skipped.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path

SYSTEM_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
OUTPUT_DIR = Path(__file__).resolve().parent.parent / "var" / "fonts"
# Bump when the character set or the options change: old files are then rebuilt.
VERSION = "1"

# (output file, system collection, family name of the face to extract)
FACES = {
    "serif-regular": ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    "serif-bold": ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
    "sans-regular": ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
}
EXTRA_CHARACTERS = "·—–…‘’“”、。，：；！？（）《》【】〔〕〈〉「」『』×÷№℃￥　■□●○◆◇★☆→←↑↓"


def gb2312_characters() -> str:
    """Every character GB 2312 encodes (rows 0xA1-0xF7, cells 0xA1-0xFE): 7,445."""
    found = []
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                found.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(found)


def character_set() -> str:
    ascii_printable = "".join(chr(code) for code in range(0x20, 0x7F))
    return "".join(dict.fromkeys(ascii_printable + gb2312_characters() + EXTRA_CHARACTERS))


def path_of(face: str) -> Path:
    return OUTPUT_DIR / f"hukou-{face}-sc-gb2312-v{VERSION}.otf"


def missing() -> list[str]:
    return [face for face in FACES if not path_of(face).exists()]


def _face_of(collection_path: Path, family: str):
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(collection_path), lazy=True)
    for font in collection.fonts:
        names = {record.toUnicode() for record in font["name"].names if record.nameID in (1, 16)}
        if family in names:
            return font
    raise LookupError(f"{family} not found in {collection_path}")


def build_face(face: str) -> Path:
    """Write the GB 2312 subset of one SC face; returns its path. Atomic (temp file + rename)."""
    from fontTools import subset

    collection, family = FACES[face]
    source = SYSTEM_FONT_DIR / collection
    if not source.exists():
        raise FileNotFoundError(f"{source} is missing: apt-get install fonts-noto-cjk")
    font = _face_of(source, family)
    # Keep the collection's own bounding boxes: recomputing them draws every glyph (~40 % of
    # the build time) and only makes the metrics tighter, never the rendering different.
    font.recalcBBoxes = False
    font.recalcTimestamp = False
    options = subset.Options()
    # Horizontal Chinese needs no substitutions: no GSUB closure (its "locl" would pull in the
    # JP/KR/TC/HK forms), only kerning of the Latin letters and digits.
    options.layout_features = ["kern"]
    options.layout_closure = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=character_set())
    subsetter.subset(font)
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    target = path_of(face)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(partial))
    partial.replace(target)
    return target


def build(*, force: bool = False) -> list[Path]:
    """Build the faces that are missing (all with ``force``), one process at a time."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    with open(OUTPUT_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return [build_face(face) for face in FACES if force or not path_of(face).exists()]


def ensure_built() -> None:
    if missing():
        build()


if __name__ == "__main__":
    started = time.perf_counter()
    built = build(force="--force" in sys.argv)
    for path in built:
        print(f"{path} {path.stat().st_size / 1024:.0f} KB")
    seconds = time.perf_counter() - started
    print(f"PDF fonts: {len(built)} built, {len(FACES) - len(built)} already there ({seconds:.1f} s)")
