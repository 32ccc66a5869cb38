"""The faces embedded in certificate PDFs: Simplified Chinese, subset, and rare name characters
(生僻字) outside the GB 2312 subset still printed from the full system SC face."""

import subprocess

import pytest

from common import pdf_fonts
from hukou.models import Certificate
from hukou.selectors.certificates import certificate_pdf
from hukou.services.certificates import certificate_issue

# Skipped on a bare laptop without poppler-utils, a failure under HUKOU_REQUIRE_SERVICES (CI).
pytestmark = pytest.mark.pdftools

RARE_NAME = "张赟喆"  # 赟 and 喆 are not in GB 2312


def _tool(tool, pdf, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    command = [tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _font_names(pdf, tmp_path) -> list[str]:
    """The font names pdffonts prints, subset tag (ABCDEF+) removed."""
    lines = _tool("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert lines and all(" yes yes yes " in line for line in lines)  # embedded, subset, ToUnicode
    return [line.split()[0].split("+", 1)[-1] for line in lines]


def test_the_gb2312_subset_holds_every_gb2312_character_and_no_rare_one():
    from fontTools.ttLib import TTFont

    pdf_fonts.ensure_built()
    font = TTFont(pdf_fonts.path_of("serif-regular"))
    cmap = font.getBestCmap()
    assert all(ord(character) in cmap for character in pdf_fonts.gb2312_characters())
    assert len(pdf_fonts.gb2312_characters()) == 7445
    assert ord("赟") not in cmap and ord("喆") not in cmap
    assert "Noto Serif CJK SC" in {record.toUnicode() for record in font["name"].names if record.nameID == 1}


def test_a_certificate_embeds_the_simplified_chinese_faces_only(east_child, clerk_east, tmp_path):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.HUKOU, actor=clerk_east)
    pdf = certificate_pdf(certificate)
    names = _font_names(pdf, tmp_path)
    # PDF font names come from the family: HukouSerif-SC is the GB 2312 subset of the SC face
    # (the test above checks the file's own family name), and nothing else is embedded.
    assert sorted(names) == ["HukouSans-SC", "HukouSerif-SC", "HukouSerif-SC-Bold"]
    assert len(pdf) < 150 * 1024


def test_a_rare_name_character_is_printed_from_the_full_sc_face(east_child, clerk_east, tmp_path):
    east_child.name = RARE_NAME
    east_child.save()
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.HUKOU, actor=clerk_east)
    pdf = certificate_pdf(certificate)
    assert RARE_NAME in "".join(_tool("pdftotext", pdf, tmp_path).split())
    names = _font_names(pdf, tmp_path)
    # The subset face and, for 赟 and 喆 only, the full system face, its SC member.
    assert "HukouSerif-SC" in names and "Noto-Serif-CJK-SC" in names, names
    assert all("SC" in name for name in names), names  # no JP/KR/TC/HK face
