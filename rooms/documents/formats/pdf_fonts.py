"""The fonts a document PDF is printed in: DejaVu Sans and Sans Mono, shipped in ``fonts/``
(Latin, Greek, Cyrillic and many symbols), plus fallback fonts found on the machine for what
DejaVu lacks (CJK, emoji). A character no font has is printed as U+FFFD and logged."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

logger = logging.getLogger(__name__)
# fpdf2 subsets each embedded font with fontTools, which logs every step at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
SANS = "DejaVuSans"
MONO = "DejaVuSansMono"
_SANS_FACES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
_MONO_FILE = "DejaVuSansMono.ttf"
PLACEHOLDER = "\ufffd"


@dataclass
class PdfFonts:
    """The faces registered on one PDF and the characters each can print, counting fallbacks."""

    faces: dict[tuple[str, str], frozenset[int]]
    fallbacks: dict[str, frozenset[int]]  # family: characters, in the order they are tried
    missing: set[str] = field(default_factory=set)

    @cached_property
    def fallback(self) -> frozenset[int]:
        return frozenset().union(*self.fallbacks.values())

    def printable(self, text: str, *, family: str, style: str) -> str:
        """``text`` with each character no font here has replaced by U+FFFD (invisible format
        characters, such as an emoji's variation selector, are dropped instead)."""
        covered = self.faces[(family, style)]
        out = []
        for char in text:
            point = ord(char)
            if point in covered or point in self.fallback or char in "\n\t":
                out.append(char)
            elif unicodedata.category(char) == "Cf":
                continue
            else:
                self.missing.add(char)
                out.append(PLACEHOLDER)
        return "".join(out)

    def runs(self, text: str, *, family: str = SANS, style: str = "") -> list[tuple[str, str]]:
        """``text`` cut into runs of one font each, as ``(family, text)``: for drawings
        (SVG text), which fpdf2 prints in the one family they name, without fallbacks."""
        covered = self.faces[(family, style)]
        runs: list[tuple[str, str]] = []
        for char in self.printable(text, family=family, style=style):
            point = ord(char)
            chosen = family
            if point not in covered:
                holders = (name for name, has in self.fallbacks.items() if point in has)
                chosen = next(holders, family)
            if runs and runs[-1][0] == chosen:
                runs[-1] = (chosen, runs[-1][1] + char)
            else:
                runs.append((chosen, char))
        return runs

    def report_missing(self, title: str) -> None:
        if self.missing:
            shown = "".join(sorted(self.missing)[:20])
            logger.warning(
                "A PDF export of %r printed %d kinds of character as U+FFFD, no font having "
                "them: %s (see COLLAB_PDF_FALLBACK_FONTS)",
                title,
                len(self.missing),
                shown,
            )


def add_fonts(pdf: FPDF, fallback_fonts: Sequence[str] = ()) -> PdfFonts:
    """Registers DejaVu Sans (four faces), DejaVu Sans Mono and each readable fallback font
    (``path`` or ``path#face`` for a collection such as a ``.ttc``) on ``pdf``."""
    faces: dict[tuple[str, str], frozenset[int]] = {}
    for style, name in _SANS_FACES.items():
        pdf.add_font(SANS, style=style, fname=FONTS_DIR / name)
        faces[(SANS, style)] = _characters(str(FONTS_DIR / name), 0)
    pdf.add_font(MONO, fname=FONTS_DIR / _MONO_FILE)
    faces[(MONO, "")] = _characters(str(FONTS_DIR / _MONO_FILE), 0)

    fallbacks: dict[str, frozenset[int]] = {}
    for i, spec in enumerate(fallback_fonts):
        path, _, face = spec.partition("#")
        number = int(face) if face.isdigit() else 0
        if not Path(path).is_file():
            _note_absent(path)
            continue
        family = f"Fallback{i}"
        try:
            pdf.add_font(family, fname=path, collection_font_number=number)
            fallbacks[family] = _characters(path, number)
        except Exception:  # fpdf2 and fontTools raise several kinds for an unreadable font
            logger.warning("A PDF fallback font could not be read: %s", spec)
            continue
    if fallbacks:
        # exact_match=False: bold and italic text falls back to the fallback's regular face.
        pdf.set_fallback_fonts(list(fallbacks), exact_match=False)
    return PdfFonts(faces=faces, fallbacks=fallbacks)


@lru_cache(maxsize=16)
def _characters(path: str, number: int) -> frozenset[int]:
    with TTFont(path, fontNumber=number, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@lru_cache(maxsize=16)
def _note_absent(path: str) -> None:
    # Once per process: a machine without the CJK or emoji font is a known, documented setup.
    logger.info("A PDF fallback font is not on this machine: %s", path)
