"""Markdown read into ProseMirror JSON of Tiptap's node and mark types: the blocks here, the
inlines in ``markdown_inline``.

The common core of CommonMark (paragraphs, ATX and setext headings, bullet and ordered lists,
block quotes, fenced and indented code, thematic breaks, emphasis, strong emphasis, code spans,
inline links, autolinks, hard breaks, backslash escapes and entities) plus GitHub's
strikethrough and task lists. Raw HTML, tables, images and reference links stay text.

Nesting deeper than ``MAX_DEPTH`` is read as text, so no input exhausts the stack. Pure
Python.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from rooms.documents.content.markdown_inline import parse_inline
from rooms.documents.content.tree import Node

MAX_DEPTH = 32

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*(.*?)[ \t]*$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+$")
_THEMATIC = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUOTE = re.compile(r"^ {0,3}>")
_ITEM = re.compile(r"^( {0,3})([-+*]|\d{1,9}[.)])(?=[ \t]|$)([ \t]*)(.*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_TASK = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")


def parse(source: str) -> list[Node]:
    """The block nodes of a Markdown text (an empty list for an empty one)."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
    return _blocks(lines, depth=0)


# --- blocks --------------------------------------------------------------------------------


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


def _fence(line: str) -> re.Match[str] | None:
    """A code fence opening (a backtick fence's info string has no backticks)."""
    fence = _FENCE.match(line)
    if fence is None or (fence.group(2)[0] == "`" and "`" in fence.group(3)):
        return None
    return fence


def _starts_block(line: str, *, in_paragraph: bool) -> bool:
    """Whether the line begins a block that ends a paragraph before it."""
    if _ATX.match(line) or _fence(line) or _THEMATIC.match(line) or _QUOTE.match(line):
        return True
    item = _ITEM.match(line)
    if item is None:
        return False
    if not in_paragraph:
        return True
    marker = item.group(2)
    return bool(item.group(4).strip()) and (not marker[0].isdigit() or int(marker[:-1]) == 1)


def _blocks(lines: list[str], depth: int) -> list[Node]:
    nodes: list[Node] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _blank(line):
            index += 1
        elif _indent(line) >= 4:
            index = _indented_code(lines, index, nodes)
        elif fence := _fence(line):
            index = _fenced_code(lines, index, fence, nodes)
        elif heading := _ATX.match(line):
            text = _ATX_CLOSING.sub("", (heading.group(2) or "").strip()).strip()
            nodes.append(_textblock("heading", text, {"level": len(heading.group(1))}))
            index += 1
        elif _THEMATIC.match(line):
            nodes.append({"type": "horizontalRule"})
            index += 1
        elif _QUOTE.match(line) and depth < MAX_DEPTH:
            index = _blockquote(lines, index, nodes, depth)
        elif _ITEM.match(line) and depth < MAX_DEPTH:
            index = _list(lines, index, nodes, depth)
        else:
            index = _paragraph(lines, index, nodes)
    return nodes


def _textblock(kind: str, text: str, attrs: dict[str, object] | None = None) -> Node:
    node: Node = {"type": kind}
    if attrs:
        node["attrs"] = attrs
    content = parse_inline(text)
    if content:
        node["content"] = content
    return node


def _paragraph(lines: list[str], index: int, nodes: list[Node]) -> int:
    collected = [lines[index].strip(" ")]
    index += 1
    while index < len(lines) and not _blank(lines[index]):
        line = lines[index]
        setext = _SETEXT.match(line)
        if setext:
            level = 1 if setext.group(1)[0] == "=" else 2
            nodes.append(_textblock("heading", "\n".join(collected).rstrip(), {"level": level}))
            return index + 1
        if _starts_block(line, in_paragraph=True):
            break
        collected.append(line.lstrip(" "))
        index += 1
    nodes.append(_textblock("paragraph", "\n".join(collected).rstrip()))
    return index


def _code_node(text: str, language: str) -> Node:
    node: Node = {"type": "codeBlock"}
    if language:
        node["attrs"] = {"language": language}
    if text:
        node["content"] = [{"type": "text", "text": text}]
    return node


def _indented_code(lines: list[str], index: int, nodes: list[Node]) -> int:
    collected: list[str] = []
    while index < len(lines) and (_blank(lines[index]) or _indent(lines[index]) >= 4):
        collected.append(lines[index][4:])
        index += 1
    while collected and not collected[-1].strip():
        collected.pop()
    nodes.append(_code_node("\n".join(collected), ""))
    return index


def _fenced_code(lines: list[str], index: int, fence: re.Match[str], nodes: list[Node]) -> int:
    indent, opening = len(fence.group(1)), fence.group(2)
    language = html.unescape(fence.group(3).split(" ")[0]) if fence.group(3) else ""
    closing = re.compile(rf"^ {{0,3}}{re.escape(opening[0])}{{{len(opening)},}}[ \t]*$")
    collected: list[str] = []
    index += 1
    while index < len(lines) and not closing.match(lines[index]):
        line = lines[index]
        collected.append(line[min(indent, _indent(line)) :])
        index += 1
    nodes.append(_code_node("\n".join(collected), language))
    return index + 1


def _blockquote(lines: list[str], index: int, nodes: list[Node], depth: int) -> int:
    collected: list[str] = []
    while index < len(lines) and not _blank(lines[index]):
        line = lines[index]
        if _QUOTE.match(line):
            stripped = line.lstrip(" ")[1:]
            collected.append(stripped[1:] if stripped.startswith(" ") else stripped)
        elif collected and not _starts_block(line, in_paragraph=True):
            collected.append(line)  # a lazy continuation of the quoted paragraph
        else:
            break
        index += 1
    nodes.append({"type": "blockquote", "content": _blocks(collected, depth + 1)})
    return index


@dataclass
class _Item:
    lines: list[str] = field(default_factory=list)


def _list(lines: list[str], index: int, nodes: list[Node], depth: int) -> int:
    first = _ITEM.match(lines[index])
    assert first is not None
    marker = first.group(2)
    ordered = marker[0].isdigit()
    kind_of = marker[-1]  # the bullet character, or the ordered list's delimiter
    items: list[_Item] = []
    while index < len(lines):
        match = _ITEM.match(lines[index])
        if match is None or match.group(2)[-1] != kind_of or match.group(2)[0].isdigit() != ordered:
            break
        if _THEMATIC.match(lines[index]):
            break
        item, index = _list_item(lines, index, match)
        items.append(item)
        while index < len(lines) and _blank(lines[index]):
            index += 1
        if index < len(lines) and not _ITEM.match(lines[index]):
            break
    contents = [_blocks(item.lines, depth + 1) for item in items]
    if ordered:
        node: Node = {"type": "orderedList"}
        start = int(marker[:-1])
        node["attrs"] = {"start": start}
        node["content"] = [{"type": "listItem", "content": c} for c in contents]
    elif items and all(_TASK.match(item.lines[0]) for item in items):
        node = {"type": "taskList", "content": []}
        for item in items:
            task = _TASK.match(item.lines[0])
            assert task is not None
            item.lines[0] = item.lines[0][task.end() :]
            node["content"].append(
                {
                    "type": "taskItem",
                    "attrs": {"checked": task.group(1) != " "},
                    "content": _blocks(item.lines, depth + 1) or [{"type": "paragraph"}],
                }
            )
    else:
        node = {
            "type": "bulletList",
            "content": [{"type": "listItem", "content": c} for c in contents],
        }
    for entry in node["content"]:
        if not entry["content"]:
            entry["content"] = [{"type": "paragraph"}]
    nodes.append(node)
    return index


def _list_item(lines: list[str], index: int, match: re.Match[str]) -> tuple[_Item, int]:
    spaces, rest = match.group(3), match.group(4)
    width = len(match.group(1)) + len(match.group(2))
    if not rest or len(spaces) > 4:
        offset = width + 1
        rest = spaces[1:] + rest if rest else ""
    else:
        offset = width + len(spaces)
    item = _Item(lines=[rest])
    index += 1
    while index < len(lines):
        line = lines[index]
        if _blank(line):
            if not any(entry.strip() for entry in item.lines):
                break  # an item may start with at most one blank line
            item.lines.append(line[offset:])
        elif _indent(line) >= offset:
            item.lines.append(line[offset:])
        elif (
            item.lines[-1].strip()
            and not _ITEM.match(line)
            and not _starts_block(line, in_paragraph=True)
        ):
            item.lines.append(line.lstrip(" "))  # a lazy continuation line
        else:
            break
        index += 1
    while len(item.lines) > 1 and not item.lines[-1].strip():
        item.lines.pop()
    return item, index
