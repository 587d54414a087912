"""A text document's ProseMirror JSON rendered as plain text, Markdown and sanitized HTML.

The node and mark types are Tiptap's (StarterKit, task lists, links, tables, images and
mentions); a node of another type keeps its content and loses its own tag, a mark of another
type is dropped. What Markdown cannot hold of a document is in docs/markdown.md. Pure Python.
"""

from __future__ import annotations

import html
import re
from typing import Any

from rooms.documents.content.links import safe_href, safe_image_src
from rooms.documents.content.markdown_marks import (
    escape_text,
    escape_title,
    inline_markdown,
    link_destination,
)
from rooms.documents.content.tree import Node, sort_marks

_TEXTBLOCKS = frozenset({"paragraph", "heading", "codeBlock"})
_INLINE = frozenset({"text", "hardBreak", "mention"})
# A hostile colspan would otherwise make a Markdown table of millions of empty cells.
_MAX_COLSPAN = 1000


def _content(node: Node) -> list[Node]:
    return list(node.get("content") or [])


def _attr(node: Node, name: str, default: Any = None) -> Any:
    return (node.get("attrs") or {}).get(name, default)


def _is_textblock(node: Node) -> bool:
    return node["type"] in _TEXTBLOCKS or any(c["type"] in _INLINE for c in _content(node))


def _mention_text(node: Node) -> str:
    """A mention as Tiptap writes it in text: ``@`` and the name it had when made."""
    label = _attr(node, "label")
    return "@" + (label if isinstance(label, str) else str(_attr(node, "id", "")))


def _heading_level(node: Node) -> int:
    level = _attr(node, "level", 1)
    return min(max(level, 1), 6) if isinstance(level, int) else 1


# --- plain text ----------------------------------------------------------------------------


def document_text(document: Node) -> str:
    """The words of the document: one entry per non-empty text block (paragraph, heading,
    code block, list item paragraph...) separated by a blank line, a hard break as a line
    break, as Tiptap's ``getText()`` gives them."""
    blocks: list[str] = []
    _collect_text(document, blocks)
    return "\n\n".join(blocks)


def _collect_text(node: Node, blocks: list[str]) -> None:
    if _is_textblock(node):
        text = "".join(_inline_text(child) for child in _content(node) if child["type"] in _INLINE)
        if text:
            blocks.append(text)
        return
    for child in _content(node):
        _collect_text(child, blocks)


def _inline_text(node: Node) -> str:
    if node["type"] == "text":
        return str(node.get("text", ""))
    return _mention_text(node) if node["type"] == "mention" else "\n"


# --- Markdown ------------------------------------------------------------------------------


def document_markdown(document: Node) -> str:
    """GitHub Flavored Markdown that ``markdown.parse`` reads back into the same document, but
    for what Markdown cannot hold (docs/markdown.md): empty paragraphs are dropped, a mention
    is written as ``@name`` (which reads back as text), an image keeps its address, alt text
    and title, a table's cells keep one line of inline content each (a cell's blocks are
    joined by spaces), and links a browser would run keep their words only."""
    body = _blocks_markdown(_content(document))
    return body + "\n" if body else ""


def _blocks_markdown(nodes: list[Node]) -> str:
    parts: list[str] = []
    previous_marker = ""
    for node in nodes:
        marker = _list_marker(node, previous_marker)
        rendered = _block_markdown(node, marker)
        if rendered:
            parts.append(rendered)
            previous_marker = marker
    return "\n\n".join(parts)


def _list_marker(node: Node, previous: str) -> str:
    """Neighbouring lists alternate their markers, or Markdown would read them as one."""
    if node["type"] in ("bulletList", "taskList"):
        return "*" if previous == "-" else "-"
    if node["type"] == "orderedList":
        return ")" if previous == "." else "."
    return ""


def _block_markdown(node: Node, marker: str) -> str:
    kind = node["type"]
    if kind == "heading":
        text = inline_markdown(_content(node), heading=True)
        return "#" * _heading_level(node) + (" " + text if text else "")
    if kind == "codeBlock":
        return _code_block_markdown(node)
    if kind == "horizontalRule":
        return "---"
    if kind == "image":
        return _image_markdown(node)
    if kind == "table":
        return _table_markdown(node)
    if kind == "blockquote":
        inner = _blocks_markdown(_content(node))
        return "\n".join(">" + (" " + line if line else "") for line in inner.split("\n"))
    if kind in ("bulletList", "taskList", "orderedList"):
        return _list_markdown(node, marker)
    if _is_textblock(node):
        return inline_markdown(_content(node))
    return _blocks_markdown(_content(node))


def _code_text(node: Node) -> str:
    return "".join(str(child.get("text", "")) for child in _content(node))


def _code_block_markdown(node: Node) -> str:
    text = _code_text(node)
    language = _attr(node, "language")
    info = re.sub(r"\s+", "", language) if isinstance(language, str) else ""
    # A backtick fence's info string may not hold a backtick: then the fence is of tildes.
    char = "~" if "`" in info else "`"
    longest = max((len(run) for run in re.findall(re.escape(char) + "+", text)), default=0)
    fence = char * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def _list_markdown(node: Node, marker: str) -> str:
    ordered = node["type"] == "orderedList"
    start = _attr(node, "start", 1)
    number = start if isinstance(start, int) and start >= 0 else 1
    items: list[str] = []
    for item in _content(node):
        prefix = f"{number}{marker} " if ordered else f"{marker} "
        number += 1
        body = _blocks_markdown(_content(item))
        if item["type"] == "taskItem":
            # The space after the box is what makes it a task, even with nothing after it.
            body = ("[x] " if _attr(item, "checked") is True else "[ ] ") + body
        first, *rest = body.split("\n")
        if first == "---":
            first = "___"  # after "- ", "---" would be one rule with the marker
        indent = " " * len(prefix)
        continued = "".join("\n" + (indent + line if line else "") for line in rest)
        line = prefix + first
        items.append((line if item["type"] == "taskItem" else line.rstrip(" ")) + continued)
    return "\n".join(items)


def _image_markdown(node: Node, *, in_table: bool = False) -> str:
    """``![alt](src "title")``; an image from an address a page may not show, its alt text."""
    alt = _attr(node, "alt")
    alt = alt if isinstance(alt, str) else ""
    src = safe_image_src(_attr(node, "src"))
    if src is None:
        return escape_text(alt)
    destination = link_destination(src.replace("|", "%7C") if in_table else src)
    title = _attr(node, "title")
    quoted = f' "{escape_title(title)}"' if isinstance(title, str) and title else ""
    return f"![{escape_text(alt)}]({destination}{quoted})"


def _table_markdown(node: Node) -> str:
    """A GitHub pipe table: the first row is the header row (Markdown has a table only with
    one); a cell spanning columns is followed by empty cells."""
    grid = [_row_markdown(row) for row in _content(node) if row["type"] == "tableRow"]
    width = max((len(cells) for cells in grid), default=0)
    if not width:
        return ""
    lines = ["| " + " | ".join(cells + [""] * (width - len(cells))) + " |" for cells in grid]
    lines.insert(1, "| " + " | ".join(["---"] * width) + " |")
    return "\n".join(lines)


def _row_markdown(row: Node) -> list[str]:
    cells: list[str] = []
    for cell in _content(row):
        cells.append(
            " ".join(part for part in map(_cell_block_markdown, _cell_blocks(cell)) if part)
        )
        colspan = _attr(cell, "colspan", 1)
        if isinstance(colspan, int) and 1 < colspan <= _MAX_COLSPAN:
            cells.extend([""] * (colspan - 1))
    return cells


def _cell_blocks(node: Node) -> list[Node]:
    """The text blocks and images in a cell, in order, whatever holds them."""
    blocks: list[Node] = []
    for child in _content(node):
        if child["type"] == "image" or _is_textblock(child):
            blocks.append(child)
        else:
            blocks.extend(_cell_blocks(child))
    return blocks


def _cell_block_markdown(block: Node) -> str:
    if block["type"] == "image":
        return _image_markdown(block, in_table=True)
    if block["type"] == "codeBlock":
        code: Node = {"type": "text", "text": _code_text(block), "marks": [{"type": "code"}]}
        return inline_markdown([code], in_table=True)
    return inline_markdown(_content(block), in_table=True)


# --- HTML ----------------------------------------------------------------------------------

_LANGUAGE = re.compile(r"^[A-Za-z0-9_+#.-]{1,40}$")
_SIMPLE_TAGS = {
    "paragraph": "p",
    "bulletList": "ul",
    "listItem": "li",
    "blockquote": "blockquote",
    "table": "table",
    "tableRow": "tr",
}
_MARK_TAGS = {"bold": "strong", "italic": "em", "strike": "s", "code": "code"}


def document_html(document: Node) -> str:
    """HTML built only from known tags and checked attributes, every text escaped: safe to
    put in a page. Links keep only http(s), mailto, tel and relative addresses (others lose
    the link, keep the words) and open with ``rel="noopener noreferrer nofollow"``; images
    only http(s) and relative addresses (others are left out)."""
    return "".join(_node_html(node) for node in _content(document))


def _children_html(node: Node) -> str:
    return "".join(_node_html(child) for child in _content(node))


def _node_html(node: Node) -> str:
    kind = node["type"]
    if kind == "text":
        return _text_html(node)
    if kind == "hardBreak":
        return "<br>"
    if kind == "horizontalRule":
        return "<hr>"
    if kind == "heading":
        level = _heading_level(node)
        return f"<h{level}>{_children_html(node)}</h{level}>"
    if kind == "codeBlock":
        language = _attr(node, "language")
        css = (
            f' class="language-{language}"'
            if isinstance(language, str) and _LANGUAGE.match(language)
            else ""
        )
        code = html.escape("".join(str(child.get("text", "")) for child in _content(node)))
        return f"<pre><code{css}>{code}</code></pre>"
    if kind == "orderedList":
        start = _attr(node, "start", 1)
        attrs = f' start="{start}"' if isinstance(start, int) and start != 1 else ""
        return f"<ol{attrs}>{_children_html(node)}</ol>"
    if kind == "taskList":
        return f'<ul data-type="taskList">{_children_html(node)}</ul>'
    if kind == "taskItem":
        checked = "true" if _attr(node, "checked") is True else "false"
        box = '<input type="checkbox" disabled' + (" checked>" if checked == "true" else ">")
        return (
            f'<li data-type="taskItem" data-checked="{checked}"><label>{box}</label>'
            f"<div>{_children_html(node)}</div></li>"
        )
    if kind in ("tableHeader", "tableCell"):
        cell_tag = "th" if kind == "tableHeader" else "td"
        spans = "".join(
            f' {name}="{value}"'
            for name in ("colspan", "rowspan")
            if isinstance(value := _attr(node, name), int) and value > 1
        )
        return f"<{cell_tag}{spans}>{_children_html(node)}</{cell_tag}>"
    if kind == "image":
        return _image_html(node)
    if kind == "mention":
        return _mention_html(node)
    tag = _SIMPLE_TAGS.get(kind)
    if tag is None:
        return _children_html(node)
    return f"<{tag}>{_children_html(node)}</{tag}>"


def _mention_html(node: Node) -> str:
    label = _attr(node, "label")
    user_id = html.escape(str(_attr(node, "id", "")))
    label = html.escape(str(label) if isinstance(label, str) else "")
    return (
        f'<span class="mention" data-type="mention" data-id="{user_id}" data-label="{label}">'
        f"{html.escape(_mention_text(node))}</span>"
    )


def _image_html(node: Node) -> str:
    src = safe_image_src(_attr(node, "src"))
    if src is None:
        return ""
    attrs = [f'src="{html.escape(src)}"']
    for name in ("alt", "title"):
        value = _attr(node, name)
        if isinstance(value, str):
            attrs.append(f'{name}="{html.escape(value)}"')
    for name in ("width", "height"):
        value = _attr(node, name)
        if isinstance(value, int) and value > 0:
            attrs.append(f'{name}="{value}"')
    return f"<img {' '.join(attrs)}>"


def _text_html(node: Node) -> str:
    rendered = html.escape(str(node.get("text", "")))
    for mark in reversed(sort_marks(node.get("marks") or [])):
        kind = mark["type"]
        if kind == "link":
            href = safe_href(_attr(mark, "href"))
            if href is not None:
                rendered = (
                    f'<a href="{html.escape(href)}" target="_blank" '
                    f'rel="noopener noreferrer nofollow">{rendered}</a>'
                )
        elif kind in _MARK_TAGS:
            tag = _MARK_TAGS[kind]
            rendered = f"<{tag}>{rendered}</{tag}>"
    return rendered
