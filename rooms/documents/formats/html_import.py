"""HTML → the document's block nodes, parsed with the standard library's HTML parser.

Only what the schema holds is kept: headings, paragraphs, lists (task lists as Tiptap writes
them), quotes, code blocks, tables, images, rules, and bold/italic/strike/code/link marks.
Everything else is unwrapped to its text; scripts, styles and embedded frames are dropped
with their content, links keep only safe addresses, images only http(s) and the document's
own image paths (``data:`` pictures are stored through ``store_image``)."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from rooms.documents.content.tree import MAX_NESTING, Node
from rooms.documents.formats.images import STORED_IMAGE, ImageStorer
from rooms.documents.formats.text_formats import safe_link

_DROPPED = {"script", "style", "template", "iframe", "object", "embed", "noscript", "head", "svg"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "source", "wbr"}
_MARKS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "s": "strike",
          "del": "strike", "strike": "strike", "code": "code", "kbd": "code"}  # fmt: skip
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,(.*)$", re.S | re.I)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.stack = [self.root]
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping or tag in _DROPPED:
            self.dropping += tag not in _VOID
            return
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID and len(self.stack) < MAX_NESTING:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            self.dropping -= 1
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.stack[-1].children.append(data)


def blocks_from_html(source: str, *, store_image: ImageStorer) -> list[Node]:
    """The blocks an HTML page or fragment holds."""
    builder = _TreeBuilder()
    builder.feed(source)
    builder.close()
    return _Converter(store_image).flow(builder.root.children)


class _Converter:
    def __init__(self, store_image: ImageStorer) -> None:
        self.store_image = store_image

    def flow(self, nodes: list[Element | str]) -> list[Node]:
        """Mixed block and inline content: runs of inline content become paragraphs."""
        blocks: list[Node] = []
        pending: list[Element | str] = []

        def flush() -> None:
            inline = self.inline(pending, [])
            if _trim(inline):
                blocks.append({"type": "paragraph", "content": inline})
            pending.clear()

        for node in nodes:
            block = None if isinstance(node, str) else self.block(node)
            if block is None:
                pending.append(node)
            else:
                flush()
                blocks.extend(block)
        flush()
        return blocks

    def block(self, element: Element) -> list[Node] | None:
        """The blocks a block-level element makes, or None for inline content."""
        tag = element.tag
        if tag in _HEADINGS:
            content = _trim(self.inline(element.children, []))
            heading: Node = {"type": "heading", "attrs": {"level": _HEADINGS[tag]}}
            return [{**heading, "content": content} if content else heading]
        if tag == "p":
            return [_paragraph(_trim(self.inline(element.children, [])))]
        if tag in ("ul", "ol"):
            return [self.list_block(element)]
        if tag == "blockquote":
            return [{"type": "blockquote", "content": self.flow(element.children) or [_p()]}]
        if tag == "pre":
            return [_code_block(element)]
        if tag == "table":
            return self.table(element)
        if tag == "img":
            image = self.image(element)
            return [image] if image else []
        if tag == "hr":
            return [{"type": "horizontalRule"}]
        if tag in ("div", "section", "article", "main", "header", "footer", "aside", "nav",
                   "figure", "figcaption", "body", "html", "li", "dl", "dt", "dd", "form",
                   "fieldset", "details", "summary", "address", "center"):  # fmt: skip
            return self.flow(element.children)
        return None

    def list_block(self, element: Element) -> Node:
        items = [child for child in element.children if isinstance(child, Element)]
        items = [item for item in items if item.tag == "li"]
        task = element.attrs.get("data-type") == "taskList" or any(
            _checkbox(item) is not None for item in items
        )
        nodes = []
        for item in items:
            content = self.flow(item.children) or [_p()]
            if content[0]["type"] not in ("paragraph", "heading"):
                content.insert(0, _p())
            if task:
                checked = item.attrs.get("data-checked") == "true" or _checkbox(item) is True
                nodes.append(
                    {"type": "taskItem", "attrs": {"checked": checked}, "content": content}
                )
            else:
                nodes.append({"type": "listItem", "content": content})
        if not nodes:
            nodes = [{"type": "listItem", "content": [_p()]}]
        if task:
            return {"type": "taskList", "content": nodes}
        if element.tag == "ol":
            start = element.attrs.get("start", "1")
            attrs = {"start": int(start)} if start.isdigit() and start != "1" else {}
            return {"type": "orderedList", "content": nodes, **({"attrs": attrs} if attrs else {})}
        return {"type": "bulletList", "content": nodes}

    def table(self, element: Element) -> list[Node]:
        rows = []
        for row in _descendants(element, "tr", stop={"table"}):
            cells = [c for c in row.children if isinstance(c, Element) and c.tag in ("td", "th")]
            if cells:
                rows.append({"type": "tableRow", "content": [self.cell(cell) for cell in cells]})
        return [{"type": "table", "content": rows}] if rows else []

    def cell(self, cell: Element) -> Node:
        return {
            "type": "tableHeader" if cell.tag == "th" else "tableCell",
            "attrs": {
                "colspan": _span(cell, "colspan"),
                "rowspan": _span(cell, "rowspan"),
                "colwidth": None,
            },
            "content": self.flow(cell.children) or [_p()],
        }

    def image(self, element: Element) -> Node | None:
        src = element.attrs.get("src", "").strip()
        alt = element.attrs.get("alt", "")
        data = _DATA_IMAGE.match(src)
        if data is not None:
            try:
                picture = base64.b64decode(data.group(2), validate=False)
            except (binascii.Error, ValueError):
                return None
            stored = self.store_image(picture, f"image.{data.group(1).lower()}")
            if stored is None:
                return _paragraph([_text(f"[image: {alt}]")]) if alt else None
            src = stored
        elif not (src.lower().startswith(("http://", "https://")) or STORED_IMAGE.match(src)):
            return None
        attrs = {"src": src, "alt": alt or None, "title": element.attrs.get("title") or None}
        return {"type": "image", "attrs": attrs}

    def inline(self, nodes: list[Element | str], marks: list[Node]) -> list[Node]:
        content: list[Node] = []
        for node in nodes:
            if isinstance(node, str):
                text = _WHITESPACE.sub(" ", node)
                if text:
                    content.append({**_text(text), **({"marks": list(marks)} if marks else {})})
                continue
            tag = node.tag
            if tag == "br":
                content.append({"type": "hardBreak"})
            elif tag in _MARKS:
                content.extend(self.inline(node.children, _with(marks, {"type": _MARKS[tag]})))
            elif tag == "a":
                href = safe_link(node.attrs.get("href"))
                link = {"type": "link", "attrs": {"href": href}}
                inner = _with(marks, link) if href else marks
                content.extend(self.inline(node.children, inner))
            elif tag not in ("img", "input"):
                content.extend(self.inline(node.children, marks))
        return content


def _with(marks: list[Node], mark: Node) -> list[Node]:
    return marks if any(m["type"] == mark["type"] for m in marks) else [*marks, mark]


def _text(text: str) -> Node:
    return {"type": "text", "text": text}


def _p() -> Node:
    return {"type": "paragraph"}


def _paragraph(content: list[Node]) -> Node:
    return {"type": "paragraph", "content": content} if content else _p()


def _trim(content: list[Node]) -> list[Node]:
    """Inline content without the white space a browser would not show at its ends."""
    while content and content[0].get("type") == "text" and not content[0]["text"].strip():
        content = content[1:]
    while content and content[-1].get("type") == "text" and not content[-1]["text"].strip():
        content = content[:-1]
    if content and content[0].get("type") == "text":
        content = [{**content[0], "text": content[0]["text"].lstrip()}, *content[1:]]
    if content and content[-1].get("type") == "text":
        content = [*content[:-1], {**content[-1], "text": content[-1]["text"].rstrip()}]
    return content


def _all_text(element: Element) -> str:
    return "".join(
        child if isinstance(child, str) else ("\n" if child.tag == "br" else _all_text(child))
        for child in element.children
    )


def _code_block(element: Element) -> Node:
    code = next((c for c in element.children if isinstance(c, Element) and c.tag == "code"), None)
    language = None
    for css in (code.attrs.get("class", "") if code else "").split():
        if css.startswith("language-"):
            language = css.removeprefix("language-")
    text = _all_text(element).removesuffix("\n")
    node: Node = {"type": "codeBlock", "attrs": {"language": language}}
    return {**node, "content": [_text(text)]} if text else node


def _checkbox(item: Element) -> bool | None:
    for box in _descendants(item, "input", stop={"ul", "ol"}):
        if box.attrs.get("type") == "checkbox":
            return "checked" in box.attrs
    return None


def _descendants(element: Element, tag: str, *, stop: set[str]) -> list[Element]:
    found = []
    for child in element.children:
        if isinstance(child, Element):
            if child.tag == tag:
                found.append(child)
            elif child.tag not in stop:
                found.extend(_descendants(child, tag, stop=stop))
    return found


def _span(cell: Element, name: str) -> int:
    value = cell.attrs.get(name, "1")
    return min(int(value), 1000) if value.isdigit() and int(value) > 0 else 1
