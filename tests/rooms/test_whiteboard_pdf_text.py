"""The server's whiteboard PDF prints text of any script in the embedded DejaVu Sans, what it
lacks in a fallback font, and a character no font has as U+FFFD (logged, not an error); each
line keeps its alignment, whatever fonts it is printed in."""

from __future__ import annotations

import io
import logging
from typing import Any

import pypdf

from rooms.documents.formats.whiteboard_export import MARGIN, whiteboard_pdf
from tests.rooms.test_pdf_unicode import cjk_font


def sticky(text: str) -> dict[str, Any]:
    return {"n": {"type": "sticky", "x": 0, "y": 0, "w": 400, "h": 200, "text": text, "z": 1}}


def printed_runs(pdf: bytes) -> list[tuple[str, float]]:
    """Each run of text the page prints, with the x where it starts."""
    [page] = pypdf.PdfReader(io.BytesIO(pdf)).pages
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            runs.append((text, tm[4] + cm[4]))

    page.extract_text(visitor_text=visit)
    return runs


def test_greek_cyrillic_and_accents_print_as_typed():
    pdf = whiteboard_pdf(sticky("Привет, κόσμε, déjà vu"), title="Доска")

    assert "".join(text for text, _ in printed_runs(pdf)) == "Привет, κόσμε, déjà vu"
    assert pypdf.PdfReader(io.BytesIO(pdf)).metadata.title == "Доска"


def test_a_fallback_font_prints_what_dejavu_lacks_and_the_line_stays_centred(tmp_path):
    font = cjk_font(tmp_path / "cjk.ttf", "日本")

    runs = printed_runs(whiteboard_pdf(sticky("日本 plan"), title="b", fallback_fonts=[str(font)]))

    assert "".join(text for text, _ in runs) == "日本 plan"
    centre = 200 + MARGIN
    # The line is centred whole: its first run starts left of the centre, its last ends past it.
    assert runs[0][1] < centre - 20 and runs[-1][1] < centre < runs[-1][1] + 60


def test_a_character_no_font_has_prints_as_a_placeholder_and_is_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="rooms.documents.formats.pdf_fonts"):
        pdf = whiteboard_pdf(sticky("Tokyo 東京"), title="Board", fallback_fonts=[])

    assert "".join(text for text, _ in printed_runs(pdf)) == "Tokyo \ufffd\ufffd"
    [record] = [r for r in caplog.records if "U+FFFD" in r.getMessage()]
    assert "東" in record.getMessage()


def test_centred_text_is_centred_in_the_pdf():
    [(text, start)] = printed_runs(whiteboard_pdf(sticky("centred words"), title="b"))

    assert text == "centred words"
    assert 200 + MARGIN - 100 < start < 200 + MARGIN - 30  # half its width left of the centre
