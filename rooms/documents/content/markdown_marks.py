"""Inline content (text with marks, hard breaks, mentions) written as CommonMark that reads back
as the same content.

Marks that go on from one text node to the next stay open; white space at the edges of marked
text is written outside the marks (CommonMark reads ``** a**`` as no bold). Whether a
delimiter run opens or closes depends on the characters around it, so a first spelling may
read otherwise (``*a***b**`` merges two runs, ``**foo.**bar`` cannot close): each text block's
Markdown is read back, and while it differs, spelled again with ``_`` for emphasis and with
the letters next to delimiters written as character references (``&#98;``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rooms.documents.content.links import safe_href
from rooms.documents.content.markdown import linkify_matches, parse_inline
from rooms.documents.content.tree import MARK_ORDER, Node, merge_text_nodes, sort_marks

_ESCAPED = frozenset("\\`*_[]~<>|")
_ENTITY_LIKE = re.compile(r"&#?[0-9A-Za-z]+;")
_LINE_START = re.compile(r"^([#>+=-])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")
# Spellings to try in turn: emphasis, strong emphasis, letters next to delimiters as references.
# A link whose words are its address is first written bare (linkify reads it back), then as
# an autolink, then as any other link.
_SPELLINGS = [
    ("bare", "*", "**", False),
    ("angle", "*", "**", False),
    *(
        ("full", italic, bold, references)
        for references in (False, True)
        for italic, bold in (("*", "**"), ("*", "__"), ("_", "**"), ("_", "__"))
    ),
]
_AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*")


@dataclass(frozen=True)
class _Piece:
    kind: str  # "text", "code", "open", "close" or "break"
    text: str = ""
    mark: Node | None = None


def inline_markdown(nodes: list[Node], *, heading: bool = False, in_table: bool = False) -> str:
    """Inline nodes as Markdown. A heading (one line) writes a hard break as a space; a table
    cell (one line) writes it as a space too and escapes ``|`` in code spans."""
    pieces = _pieces(nodes, one_line=heading or in_table)
    expected = _shape(_read_pieces(pieces))
    first = ""
    for links, italic, bold, references in _SPELLINGS:
        written = _Spelling(links, italic, bold, references, heading, in_table).spell(pieces)
        first = first or written
        # A table cell's "\|" is "|" before its inlines are read.
        if _shape(parse_inline(written.replace("\\|", "|") if in_table else written)) == expected:
            return written
    return first


def _writable(mark: Node) -> bool:
    """Known marks, and links only to addresses a browser would not run."""
    if mark["type"] == "link":
        return safe_href((mark.get("attrs") or {}).get("href")) is not None
    return mark["type"] in MARK_ORDER


def _as_text(node: Node) -> Node:
    """A mention as the words Tiptap shows for it; code without line breaks (a code span
    reads a line break as a space)."""
    if node["type"] == "mention":
        attrs = node.get("attrs") or {}
        label = attrs.get("label")
        text = "@" + (label if isinstance(label, str) else str(attrs.get("id", "")))
        marks = {"marks": node["marks"]} if "marks" in node else {}
        return {"type": "text", "text": text, **marks}
    if node["type"] == "text" and any(mark["type"] == "code" for mark in node.get("marks", [])):
        return {**node, "text": str(node.get("text", "")).replace("\r", " ").replace("\n", " ")}
    return node


def _pieces(nodes: list[Node], *, one_line: bool) -> list[_Piece]:
    pieces: list[_Piece] = []
    active: list[Node] = []
    held = ""  # trailing white space of marked text, written after its marks close

    def close_from(keep: int) -> None:
        pieces.extend(_Piece("close", mark=mark) for mark in reversed(active[keep:]))
        del active[keep:]

    def flush_held() -> None:
        nonlocal held
        if held:
            pieces.append(_Piece("text", held))
            held = ""

    nodes = merge_text_nodes([_as_text(node) for node in nodes])
    for position, node in enumerate(nodes):
        if node["type"] == "hardBreak":
            close_from(0)
            flush_held()
            pieces.append(_Piece("text", " ") if one_line else _Piece("break"))
            continue
        if node["type"] != "text":
            continue
        marks = [mark for mark in sort_marks(node.get("marks") or []) if _writable(mark)]
        text = str(node["text"])
        is_code = any(mark["type"] == "code" for mark in marks)
        keep = 0
        while keep < len(active) and active[keep] in marks:
            keep += 1
        close_from(keep)
        flush_held()
        # A mark that goes on longer opens first, so that it need not close and open again.
        opening = sorted(
            (mark for mark in marks if mark not in active),
            key=lambda mark: -_run_length(nodes, position, mark),
        )
        if not is_code:
            core = text.strip()
            lead = text[: len(text) - len(text.lstrip())]
            if opening and lead:
                pieces.append(_Piece("text", lead))
                text = text[len(lead) :]
            if marks:
                held = text[len(text.rstrip()) :]
                text = text.rstrip()
            if not core:
                if not marks:
                    pieces.append(_Piece("text", text))
                continue
        for mark in opening:
            pieces.append(_Piece("open", mark=mark))
            active.append(mark)
        pieces.append(_Piece("code" if is_code else "text", text))
    close_from(0)
    flush_held()
    return _trim_end(pieces)


def _run_length(nodes: list[Node], position: int, mark: Node) -> int:
    length = 0
    for node in nodes[position:]:
        if mark not in (node.get("marks") or []):
            break
        length += 1
    return length


def _trim_end(pieces: list[_Piece]) -> list[_Piece]:
    """Without the white space at the end, which Markdown drops (and a reference there would
    only clutter what people read)."""
    trimmed = list(pieces)
    for index in range(len(trimmed) - 1, -1, -1):
        piece = trimmed[index]
        if piece.kind == "text":
            trimmed[index] = _Piece("text", piece.text.rstrip(" \t"))
            if trimmed[index].text:
                break
        elif piece.kind in ("code", "break"):
            break
    return [piece for piece in trimmed if piece.kind != "text" or piece.text]


def _read_pieces(pieces: list[_Piece]) -> list[Node]:
    """The inline nodes the pieces mean."""
    nodes: list[Node] = []
    active: list[Node] = []
    for piece in pieces:
        if piece.kind == "open" and piece.mark is not None:
            active.append(piece.mark)
        elif piece.kind == "close":
            active.pop()
        elif piece.kind == "break":
            nodes.append({"type": "hardBreak"})
        else:
            node: Node = {"type": "text", "text": piece.text}
            if active:
                node["marks"] = sort_marks(list(active))
            nodes.append(node)
    return merge_text_nodes(nodes)


def _shape(nodes: list[Node]) -> list[Any]:
    """What must read back the same: text, hard breaks, and each text's marks (a link by its
    address)."""
    return [
        (
            node["type"],
            node.get("text"),
            [
                (mark["type"], (mark.get("attrs") or {}).get("href"))
                for mark in sort_marks(node.get("marks") or [])
            ],
        )
        for node in merge_text_nodes(nodes)
    ]


class _Spelling:
    def __init__(
        self, links: str, italic: str, bold: str, references: bool, heading: bool, in_table: bool
    ) -> None:
        self.links = links
        self.delimiters = {"bold": bold, "italic": italic, "strike": "~~", "code": ""}
        self.references = references
        self.heading = heading
        self.in_table = in_table

    def spell(self, pieces: list[_Piece]) -> str:
        out: list[str] = []
        line_start = True
        after_closer = False  # the last thing written closed a delimiter run
        in_link = False
        index = 0
        while index < len(pieces):
            piece = pieces[index]
            index += 1
            address = self._address(pieces[index - 1 : index + 2])
            if address is not None:
                out.append(address)
                index += 2
                line_start, after_closer = False, False
                continue
            if piece.mark is not None and piece.mark["type"] == "link":
                in_link = piece.kind == "open"
            if piece.kind == "open" and piece.mark is not None:
                if self.references and out and piece.mark["type"] != "link":
                    out[-1] = _reference_last(out[-1])
                kind = piece.mark["type"]
                if kind == "link" and out and out[-1].endswith("!"):
                    out[-1] = out[-1][:-1] + "\\!"  # or "![" would start an image
                out.append("[" if kind == "link" else self.delimiters[kind])
                after_closer = False
                continue
            if piece.kind == "close" and piece.mark is not None:
                out.append(self._close(piece.mark))
                after_closer = piece.mark["type"] != "link"
                continue
            if piece.kind == "break":
                out.append("\\\n")
                line_start, after_closer = True, False
                continue
            if piece.kind == "code":
                written = _code_span(piece.text)
                written = written.replace("|", "\\|") if self.in_table else written
            else:
                written = _escape(
                    piece.text, line_start=line_start, heading=self.heading, in_link=in_link
                )
            if self.references and after_closer:
                written = _reference_first(written)
            out.append(written)
            line_start, after_closer = False, False
        return "".join(out)

    def _address(self, pieces: list[_Piece]) -> str | None:
        """A link whose words are its address, written as just the address (bare, or in
        ``<>``) if this spelling does that."""
        if self.links == "full" or len(pieces) < 3:
            return None
        opening, words, closing = pieces
        if opening.kind != "open" or opening.mark is None or opening.mark["type"] != "link":
            return None
        href = (opening.mark.get("attrs") or {}).get("href")
        if not isinstance(href, str) or words.kind != "text" or words.text != href:
            return None
        if closing.kind != "close":
            return None
        if self.links == "bare":
            return href
        return f"<{href}>" if _AUTOLINK.fullmatch(href) else None

    def _close(self, mark: Node) -> str:
        if mark["type"] == "link":
            href = str((mark.get("attrs") or {}).get("href", ""))
            return f"]({link_destination(safe_href(href) or '')})"
        return self.delimiters[mark["type"]]


def _reference_last(written: str) -> str:
    """``written`` with its last character as a character reference, if it is a letter or a
    digit (a delimiter after it then opens whatever follows)."""
    if written and written[-1].isalnum():
        return written[:-1] + f"&#{ord(written[-1])};"
    return written


def _reference_first(written: str) -> str:
    if written and written[0].isalnum():
        return f"&#{ord(written[0])};" + written[1:]
    return written


def link_destination(href: str) -> str:
    """A link or image address as Markdown writes it (in ``<>`` when it has spaces or
    parentheses), backslashes and what looks like a character reference escaped."""
    escaped = "".join(
        "\\\\"
        if char == "\\"
        else "\\&"
        if char == "&" and _ENTITY_LIKE.match(href, index)
        else char
        for index, char in enumerate(href)
    )
    if escaped and not re.search(r"[\s()<>]", escaped):
        return escaped
    return "<" + re.sub(r"([<>])", r"\\\1", escaped).replace("\n", " ") + ">"


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    if text.startswith(" ") and text.endswith(" ") and text.strip(" "):
        pad = " "
    return fence + pad + text + pad + fence


def escape_text(text: str) -> str:
    """Text inside a line (an image's alt text) as Markdown that reads back as itself."""
    return _escape(text, line_start=False, heading=False, in_link=False)


def escape_title(title: str) -> str:
    """A link or image title for inside ``"…"``."""
    escaped = re.sub(r'(["\\|])', r"\\\1", title.replace("\n", " "))
    return _ENTITY_LIKE.sub(lambda match: "\\" + match.group(0), escaped)


def _escape(text: str, *, line_start: bool, heading: bool, in_link: bool) -> str:
    """Text as Markdown that reads back as itself: punctuation that could start markup
    escaped, and addresses that would become links (outside a link) broken with a
    backslash."""
    escaped = {
        index
        for index, char in enumerate(text)
        if char in _ESCAPED
        or (char == "&" and _ENTITY_LIKE.match(text, index))
        or (heading and char == "#")
    }
    if not in_link:
        escaped |= _link_breaks(text, escaped)
    out = ["\\" + char if index in escaped else char for index, char in enumerate(text)]
    written = "".join(out).replace("\r", "&#13;").replace("\n", "&#10;")
    if line_start and written[:1].isspace():
        # Markdown drops the white space that starts a line: write it as a reference.
        written = f"&#{ord(written[0])};" + written[1:]
    elif line_start and not heading:
        written = _LINE_START.sub(r"\\\1", written, count=1)
        written = _ORDERED_START.sub(r"\1\\\2", written, count=1)
    return written


def _link_breaks(text: str, escaped: set[int]) -> set[int]:
    """Where backslashes keep the addresses in ``text`` from becoming links. Linkify looks at
    the stretches of text between escapes and references, so each stretch is looked at, and
    again once new escapes cut it further."""
    breaks: set[int] = set()
    if ":" not in text and "//" not in text:  # no address without one or the other
        return breaks
    cuts = escaped | {index for index, char in enumerate(text) if char in "\r\n"}
    while True:
        found: set[int] = set()
        start = 0
        for cut in [*sorted(cuts | breaks), len(text)]:
            found |= {start + index for index in linkify_matches(text[start:cut])}
            start = cut + 1
        if found <= breaks:
            return breaks
        breaks |= found
