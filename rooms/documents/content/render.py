"""A text document's ProseMirror JSON rendered as plain text, Markdown and sanitized HTML.

The node and mark types are Tiptap's (StarterKit, task lists and links); a node of another
type keeps its content and loses its own tag, a mark of another type is dropped. Pure Python.
"""

from __future__ import annotations

import html
import re
from typing import Any

from rooms.documents.content.tree import MARK_ORDER, Node, merge_text_nodes, sort_marks

_TEXTBLOCKS = frozenset({"paragraph", "heading", "codeBlock"})
_INLINE = frozenset({"text", "hardBreak"})


def _content(node: Node) -> list[Node]:
    return list(node.get("content") or [])


def _attr(node: Node, name: str, default: Any = None) -> Any:
    return (node.get("attrs") or {}).get(name, default)


def _is_textblock(node: Node) -> bool:
    return node["type"] in _TEXTBLOCKS or any(c["type"] in _INLINE for c in _content(node))


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
        text = "".join(
            str(child.get("text", "")) if child["type"] == "text" else "\n"
            for child in _content(node)
            if child["type"] in _INLINE
        )
        if text:
            blocks.append(text)
        return
    for child in _content(node):
        _collect_text(child, blocks)


# --- Markdown ------------------------------------------------------------------------------

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]~<>])")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=-])")
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])")
_DELIMITERS = {"bold": "**", "italic": "*", "strike": "~~"}


def document_markdown(document: Node) -> str:
    """CommonMark (with GitHub's strikethrough and task lists) that ``markdown.parse`` reads
    back into the same document. Empty paragraphs are dropped, links that a browser would run
    (``javascript:``...) keep their words only, and emphasis that starts or ends with
    punctuation right next to a letter cannot be written in CommonMark."""
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
        text = _inline_markdown(_content(node), heading=True)
        return "#" * _heading_level(node) + (" " + text if text else "")
    if kind == "codeBlock":
        return _code_block_markdown(node)
    if kind == "horizontalRule":
        return "---"
    if kind == "blockquote":
        inner = _blocks_markdown(_content(node))
        return "\n".join(">" + (" " + line if line else "") for line in inner.split("\n"))
    if kind in ("bulletList", "taskList", "orderedList"):
        return _list_markdown(node, marker)
    if _is_textblock(node):
        return _inline_markdown(_content(node))
    return _blocks_markdown(_content(node))


def _code_block_markdown(node: Node) -> str:
    text = "".join(str(child.get("text", "")) for child in _content(node))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    language = _attr(node, "language")
    info = re.sub(r"\s+", "", language) if isinstance(language, str) else ""
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
            body = ("[x] " if _attr(item, "checked") is True else "[ ] ") + body
        first, *rest = body.split("\n")
        indent = " " * len(prefix)
        continued = "".join("\n" + (indent + line if line else "") for line in rest)
        items.append((prefix + first).rstrip(" ") + continued)
    return "\n".join(items)


def _inline_markdown(nodes: list[Node], *, heading: bool = False) -> str:
    out: list[str] = []
    active: list[Node] = []
    held = ""  # trailing whitespace of marked text, written after the marks close
    line_start = True
    for node in merge_text_nodes(nodes):
        if node["type"] == "hardBreak":
            marks: list[Node] = []
            text = ""
        elif node["type"] == "text":
            marks = [m for m in sort_marks(node.get("marks") or []) if _writable(m)]
            text = str(node["text"])
        else:
            continue
        keep = 0
        while keep < min(len(active), len(marks)) and active[keep] == marks[keep]:
            keep += 1
        if keep < len(active):
            out.extend(_close(mark) for mark in reversed(active[keep:]))
            del active[keep:]
        out.append(held)
        held = ""
        if node["type"] == "hardBreak":
            out.append(" " if heading else "\\\n")
            line_start = not heading
            continue
        is_code = any(mark["type"] == "code" for mark in marks)
        if not is_code and keep < len(marks):
            stripped = text.lstrip()
            out.append(text[: len(text) - len(stripped)])
            text = stripped
        for mark in marks[keep:]:
            if mark["type"] != "code":
                out.append(_open(mark))
            active.append(mark)
        if is_code:
            out.append(_code_span(text))
        else:
            if marks:
                core = text.rstrip()
                held = text[len(core) :]
                text = core
            out.append(_escape(text, line_start=line_start, heading=heading))
        line_start = False
    out.extend(_close(mark) for mark in reversed(active))
    out.append(held)
    return "".join(out)


def _writable(mark: Node) -> bool:
    """Known marks, and links only to addresses a browser would not run."""
    if mark["type"] == "link":
        return safe_href(_attr(mark, "href")) is not None
    return mark["type"] in MARK_ORDER


def _open(mark: Node) -> str:
    return "[" if mark["type"] == "link" else _DELIMITERS[mark["type"]]


def _close(mark: Node) -> str:
    if mark["type"] == "code":
        return ""
    if mark["type"] == "link":
        return f"]({_link_destination(str(_attr(mark, 'href', '')))})"
    return _DELIMITERS[mark["type"]]


def _link_destination(href: str) -> str:
    if href and not re.search(r"[\s()<>\\]", href):
        return href
    return "<" + re.sub(r"([<>\\])", r"\\\1", href).replace("\n", " ") + ">"


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    if text.startswith(" ") and text.endswith(" ") and text.strip(" "):
        pad = " "
    return fence + pad + text + pad + fence


def _escape(text: str, *, line_start: bool, heading: bool) -> str:
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    text = _ENTITY_LIKE.sub(r"\\&", text)
    if heading:
        text = text.replace("#", "\\#")
    elif line_start:
        text = _LINE_START.sub(r"\1\\\2", text, count=1)
        text = _ORDERED_START.sub(r"\1\\\2", text, count=1)
    return text


# --- HTML ----------------------------------------------------------------------------------

_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_LANGUAGE = re.compile(r"^[A-Za-z0-9_+#.-]{1,40}$")
_SIMPLE_TAGS = {
    "paragraph": "p",
    "bulletList": "ul",
    "listItem": "li",
    "blockquote": "blockquote",
}
_MARK_TAGS = {"bold": "strong", "italic": "em", "strike": "s", "code": "code"}


def document_html(document: Node) -> str:
    """HTML built only from known tags and checked attributes, every text escaped: safe to
    put in a page. Links keep only http(s), mailto, tel and relative addresses (others lose
    the link, keep the words) and open with ``rel="noopener noreferrer nofollow"``."""
    return "".join(_node_html(node) for node in _content(document))


def safe_href(href: Any) -> str | None:
    """The address if a browser would not run or embed it, else ``None``."""
    if not isinstance(href, str) or not href.strip():
        return None
    # Browsers skip control characters and whitespace when they read a scheme.
    squeezed = "".join(ch for ch in href if ord(ch) > 0x20).lower()
    match = _SCHEME.match(squeezed)
    if match is None:
        return href.strip() if ":" not in squeezed.split("/", 1)[0] else None
    return href.strip() if match.group(1) in _SAFE_SCHEMES else None


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
    tag = _SIMPLE_TAGS.get(kind)
    if tag is None:
        return _children_html(node)
    return f"<{tag}>{_children_html(node)}</{tag}>"


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
