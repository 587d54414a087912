"""PDF export in Unicode: the embedded DejaVu fonts print Greek, Cyrillic and accented Latin in
every face, a fallback font prints what DejaVu lacks (here a tiny CJK font built for the test,
so the test does not depend on the machine's fonts), and a character no font has is printed as
U+FFFD and logged, never silently dropped."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pypdf
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from rooms.documents.formats.pdf_export import document_pdf

GREEK = "Καλημέρα κόσμε"
CYRILLIC = "Съешь же ещё этих мягких булок"
ACCENTED = "Ça déjà vu, naïve Ångström, Łódź, Øresund"
TYPOGRAPHY = "\u201cQuoted\u201d \u2013 dash \u2026 \u20ac5"


def text(value: str, *marks: str) -> dict:
    node: dict = {"type": "text", "text": value}
    if marks:
        node["marks"] = [{"type": mark} for mark in marks]
    return node


def paragraph(*runs: dict) -> dict:
    return {"type": "paragraph", "content": list(runs)}


def pdf_text(document: dict, **kwargs) -> str:
    written = document_pdf(document, title="Τίτλος", read_image=lambda src: None, **kwargs)
    reader = pypdf.PdfReader(io.BytesIO(written))
    return "\n".join(page.extract_text() for page in reader.pages)


def cjk_font(path: Path, characters: str) -> Path:
    """A TrueType font with one square glyph for each of ``characters``."""
    names = [f"uni{ord(char):04X}" for char in characters]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", *names])
    builder.setupCharacterMap({ord(char): name for char, name in zip(characters, names)})
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 800))
    pen.lineTo((900, 800))
    pen.lineTo((900, 0))
    pen.closePath()
    square = pen.glyph()
    builder.setupGlyf({name: square for name in [".notdef", *names]})
    builder.setupHorizontalMetrics({name: (1000, 100) for name in [".notdef", *names]})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "TestCJK", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))
    return path


def test_greek_cyrillic_accented_latin_and_typography_print_in_every_face():
    document = {
        "type": "doc",
        "content": [
            {"type": "heading", "attrs": {"level": 1}, "content": [text(GREEK)]},
            paragraph(text(CYRILLIC)),
            paragraph(text(ACCENTED, "bold")),
            paragraph(text(GREEK, "italic")),
            paragraph(text(CYRILLIC, "bold", "italic")),
            paragraph(text(TYPOGRAPHY)),
            {"type": "codeBlock", "content": [text("print('Привет, κόσμε')")]},
        ],
    }

    lines = pdf_text(document).splitlines()

    assert lines == [
        GREEK,
        CYRILLIC,
        ACCENTED,
        GREEK,
        CYRILLIC,
        TYPOGRAPHY,
        "print('Привет, κόσμε')",
    ]


def test_a_table_prints_unicode_in_its_bold_header_and_its_cells():
    cell = lambda kind, value: {"type": kind, "content": [paragraph(text(value))]}  # noqa: E731
    table = {
        "type": "table",
        "content": [
            {
                "type": "tableRow",
                "content": [cell("tableHeader", "Имя"), cell("tableHeader", "Ώρα")],
            },
            {"type": "tableRow", "content": [cell("tableCell", "Žofie"), cell("tableCell", "ζ")]},
        ],
    }

    lines = pdf_text({"type": "doc", "content": [table]}).splitlines()

    assert lines == ["Имя Ώρα", "Žofie ζ"]


def test_the_pdf_title_keeps_its_unicode():
    written = document_pdf({"type": "doc"}, title="Отчёт 2026", read_image=lambda src: None)

    assert pypdf.PdfReader(io.BytesIO(written)).metadata.title == "Отчёт 2026"


def test_a_fallback_font_prints_the_characters_dejavu_lacks(tmp_path, caplog):
    font = cjk_font(tmp_path / "cjk.ttf", "中文字")
    document = {"type": "doc", "content": [paragraph(text("Ελληνικά 中文 "), text("字", "bold"))]}

    with caplog.at_level(logging.WARNING):
        printed = pdf_text(document, fallback_fonts=[str(font)])

    assert printed == "Ελληνικά 中文 字"
    assert not [r for r in caplog.records if "U+FFFD" in r.getMessage()]


def test_a_character_no_font_has_is_a_visible_placeholder_and_is_logged(caplog):
    document = {"type": "doc", "content": [paragraph(text("Tokyo 東京 ok"))]}

    with caplog.at_level(logging.WARNING, logger="rooms.documents.formats.pdf_fonts"):
        printed = pdf_text(document, fallback_fonts=["/nonexistent/NotoSansCJK-Regular.ttc#0"])

    assert printed == "Tokyo \ufffd\ufffd ok"
    [record] = [r for r in caplog.records if "U+FFFD" in r.getMessage()]
    assert "東" in record.getMessage() and "京" in record.getMessage()
    assert "Τίτλος" in record.getMessage()


def test_without_an_emoji_font_an_emoji_is_one_placeholder_and_symbols_dejavu_has_print():
    # U+2764 (heavy black heart) is in DejaVu Sans; U+FE0F only asks for emoji presentation.
    printed = pdf_text({"type": "doc", "content": [paragraph(text("love \u2764\ufe0f 🌍"))]})

    assert printed.replace("\ufe0f", "") == "love \u2764 \ufffd"


def test_an_unreadable_fallback_font_is_skipped(tmp_path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")

    printed = pdf_text(
        {"type": "doc", "content": [paragraph(text("Ωμέγα"))]}, fallback_fonts=[str(broken)]
    )

    assert printed == "Ωμέγα"
