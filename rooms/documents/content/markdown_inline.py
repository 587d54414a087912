"""Inline Markdown (CommonMark's emphasis, strong emphasis, code spans, inline links,
autolinks, hard breaks, backslash escapes and entities, plus GitHub's strikethrough) read into
ProseMirror text nodes with Tiptap's marks, and hard breaks.

Emphasis follows CommonMark's delimiter-run rules, with its "openers bottom" bound and the
runs in a linked list, and marks are applied by one sweep: hostile input costs time linear in
its length. Links to addresses a browser would run stay text. Pure Python.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from rooms.documents.content.render import safe_href
from rooms.documents.content.tree import LINK_DEFAULTS, Node, merge_text_nodes, sort_marks

_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass
class _Piece:
    """Text, a hard break, or a run of emphasis delimiters (text until matched)."""

    text: str
    is_break: bool = False
    char: str = ""
    count: int = 0
    length: int = 0
    can_open: bool = False
    can_close: bool = False


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _flanking(before: str, after: str) -> tuple[bool, bool]:
    left = not after.isspace() and (
        not _punctuation(after) or before.isspace() or _punctuation(before)
    )
    right = not before.isspace() and (
        not _punctuation(before) or after.isspace() or _punctuation(after)
    )
    return left, right


class _InlineParser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pieces: list[_Piece] = []
        self.buffer: list[str] = []
        self.brackets: list[tuple[int, bool]] = []  # piece index of each "[", and if active
        # Ranges (first piece, piece after the last, mark) that a mark covers.
        self.spans: list[tuple[int, int, Node]] = []

    def flush(self) -> None:
        if self.buffer:
            self.pieces.append(_Piece("".join(self.buffer)))
            self.buffer = []

    def parse(self) -> list[Node]:
        source, position = self.source, 0
        while position < len(source):
            char = source[position]
            if char == "\\":
                position = self.backslash(position)
            elif char == "`":
                position = self.code_span(position)
            elif char in "*_~":
                position = self.delimiters(position)
            elif char == "[":
                self.flush()
                self.brackets.append((len(self.pieces), True))
                self.pieces.append(_Piece("["))
                position += 1
            elif char == "]":
                position = self.close_bracket(position)
            elif char == "<" and (link := _AUTOLINK.match(source, position)):
                self.flush()
                start = len(self.pieces)
                self.pieces.append(_Piece(link.group(1)))
                if (mark := _link(link.group(1))) is not None:
                    self.spans.append((start, start + 1, mark))
                position = link.end()
            elif char == "&" and (entity := _ENTITY.match(source, position)):
                self.buffer.append(html.unescape(entity.group(0)))
                position = entity.end()
            elif char == "\n":
                position = self.line_break(position)
            else:
                self.buffer.append(char)
                position += 1
        self.flush()
        self.emphasis(bottom=-1)
        return self.nodes()

    def backslash(self, position: int) -> int:
        following = self.source[position + 1 : position + 2]
        if following == "\n":
            self.flush()
            self.pieces.append(_Piece("", is_break=True))
            return self.skip_spaces(position + 2)
        if following and following in _ESCAPABLE:
            self.buffer.append(following)
            return position + 2
        self.buffer.append("\\")
        return position + 1

    def skip_spaces(self, position: int) -> int:
        while position < len(self.source) and self.source[position] == " ":
            position += 1
        return position

    def line_break(self, position: int) -> int:
        text = "".join(self.buffer)
        stripped = text.rstrip(" ")
        self.buffer = [stripped]
        if len(text) - len(stripped) >= 2:
            self.flush()
            self.pieces.append(_Piece("", is_break=True))
        else:
            self.buffer.append(" ")  # a soft line break reads as a space
        return self.skip_spaces(position + 1)

    def code_span(self, position: int) -> int:
        source = self.source
        end = position
        while end < len(source) and source[end] == "`":
            end += 1
        fence = end - position
        closing = re.compile(rf"(?<!`)`{{{fence}}}(?!`)").search(source, end)
        if closing is None:
            self.buffer.append("`" * fence)
            return end
        code = source[end : closing.start()].replace("\n", " ")
        if len(code) >= 2 and code[0] == code[-1] == " " and code.strip(" "):
            code = code[1:-1]
        self.flush()
        start = len(self.pieces)
        self.pieces.append(_Piece(code))
        self.spans.append((start, start + 1, {"type": "code"}))
        return closing.end()

    def delimiters(self, position: int) -> int:
        source, char = self.source, self.source[position]
        end = position
        while end < len(source) and source[end] == char:
            end += 1
        before = source[position - 1] if position else " "
        after = source[end] if end < len(source) else " "
        left, right = _flanking(before, after)
        if char == "_":
            can_open = left and (not right or _punctuation(before))
            can_close = right and (not left or _punctuation(after))
        else:
            can_open, can_close = left, right
        if char == "~" and end - position > 2:
            can_open = can_close = False
        self.flush()
        run = end - position
        self.pieces.append(_Piece(char * run, char=char, count=run, length=run))
        self.pieces[-1].can_open, self.pieces[-1].can_close = can_open, can_close
        return end

    def close_bracket(self, position: int) -> int:
        self.flush()
        if not self.brackets:
            self.pieces.append(_Piece("]"))
            return position + 1
        opener, active = self.brackets.pop()
        tail = _link_tail(self.source, position + 1) if active else None
        if tail is None:
            self.pieces.append(_Piece("]"))
            return position + 1
        href, end = tail
        self.emphasis(bottom=opener)
        self.pieces[opener].text = ""
        if (mark := _link(href)) is not None:
            self.spans.append((opener + 1, len(self.pieces), mark))
        self.brackets = [(index, False) for index, _ in self.brackets]  # no links in links
        return end

    def emphasis(self, bottom: int) -> None:
        """CommonMark's "process emphasis" over the delimiter runs after piece ``bottom``,
        with the runs in a linked list so that each is dropped from it once."""
        runs = [
            index
            for index in range(bottom + 1, len(self.pieces))
            if self.pieces[index].char and self.pieces[index].count
        ]
        before = list(range(-1, len(runs) - 1))
        after = list(range(1, len(runs) + 1))

        def unlink(run: int) -> None:
            if before[run] >= 0:
                after[before[run]] = after[run]
            if after[run] < len(runs):
                before[after[run]] = before[run]

        openers_bottom: dict[tuple[str, bool, int], int] = {}
        closer = 0
        while closer < len(runs):
            piece = self.pieces[runs[closer]]
            if not piece.can_close:
                closer = after[closer]
                continue
            key = (piece.char, piece.can_open, piece.length % 3)
            floor = openers_bottom.get(key, -1)
            candidate = before[closer]
            while candidate > floor and not self._pairs(self.pieces[runs[candidate]], piece):
                candidate = before[candidate]
            if candidate <= floor:
                openers_bottom[key] = before[closer]
                following = after[closer]
                if not piece.can_open:
                    unlink(closer)
                closer = following
                continue
            opener = self.pieces[runs[candidate]]
            if piece.char == "~":
                used, mark = piece.count, "strike"
            elif opener.count >= 2 and piece.count >= 2:
                used, mark = 2, "bold"
            else:
                used, mark = 1, "italic"
            self.spans.append((runs[candidate] + 1, runs[closer], {"type": mark}))
            opener.count -= used
            piece.count -= used
            after[candidate], before[closer] = closer, candidate  # the runs between are text
            if not opener.count:
                unlink(candidate)
            if not piece.count:
                following = after[closer]
                unlink(closer)
                closer = following
        for index in runs:
            piece = self.pieces[index]
            piece.text, piece.char = piece.char * piece.count, ""

    @staticmethod
    def _pairs(opener: _Piece, closer: _Piece) -> bool:
        if opener.char != closer.char or not opener.can_open or not opener.count:
            return False
        if closer.char == "~":
            return opener.count == closer.count
        # The "rule of 3": a run that can both open and close pairs only in step.
        return not (
            (opener.can_close or closer.can_open)
            and (opener.length + closer.length) % 3 == 0
            and not (opener.length % 3 == 0 and closer.length % 3 == 0)
        )

    def nodes(self) -> list[Node]:
        starts: dict[int, list[Node]] = {}
        ends: dict[int, list[Node]] = {}
        for start, end, mark in self.spans:
            if start < end:
                starts.setdefault(start, []).append(mark)
                ends.setdefault(end, []).append(mark)
        active: dict[str, list[Node]] = {}
        nodes: list[Node] = []
        for index, piece in enumerate(self.pieces):
            for mark in ends.get(index, []):
                active[mark["type"]].remove(mark)
            for mark in starts.get(index, []):
                active.setdefault(mark["type"], []).append(mark)
            if piece.is_break:
                nodes.append({"type": "hardBreak"})
            elif piece.text:
                node: Node = {"type": "text", "text": piece.text}
                marks = sort_marks([stack[-1] for stack in active.values() if stack])
                if marks:
                    node["marks"] = marks
                nodes.append(node)
        return merge_text_nodes(nodes)


def _link(href: str) -> Node | None:
    """A link mark as Tiptap's Link extension makes it, or ``None`` for an address a browser
    would run (``javascript:`` and the like): those stay text."""
    safe = safe_href(href)
    return None if safe is None else {"type": "link", "attrs": {"href": safe, **LINK_DEFAULTS}}


def _unescape(text: str) -> str:
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return _ENTITY.sub(lambda entity: html.unescape(entity.group(0)), text)


def _link_tail(source: str, position: int) -> tuple[str, int] | None:
    """After a link's text: ``(destination "title")``; the destination and the position
    after the closing parenthesis, or ``None``."""
    if source[position : position + 1] != "(":
        return None
    index = position + 1
    while index < len(source) and source[index] in " \n":
        index += 1
    if source[index : index + 1] == "<":
        end = index + 1
        while end < len(source) and source[end] not in "<>\n":
            end += 2 if source[end] == "\\" else 1
        if source[end : end + 1] != ">":
            return None
        href = _unescape(source[index + 1 : end])
        index = end + 1
    else:
        end, depth = index, 0
        while end < len(source) and not source[end].isspace():
            char = source[end]
            if char == "\\" and end + 1 < len(source):
                end += 2
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                if not depth:
                    break
                depth -= 1
            end += 1
        href = _unescape(source[index:end])
        index = end
    while index < len(source) and source[index] in " \n":
        index += 1
    if index < len(source) and source[index] in "\"'(":
        closing = ")" if source[index] == "(" else source[index]
        end = source.find(closing, index + 1)
        if end < 0:
            return None
        index = end + 1
        while index < len(source) and source[index] in " \n":
            index += 1
    if source[index : index + 1] != ")":
        return None
    return href, index + 1


def parse_inline(text: str) -> list[Node]:
    """Inline Markdown as text nodes with marks and hard breaks."""
    return _InlineParser(text).parse()
