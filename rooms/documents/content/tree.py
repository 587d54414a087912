"""The content of documents as the editors store it, read and written with pycrdt.

A text document is Tiptap's: the ``XmlFragment`` named ``default``, written by y-prosemirror
with one ``XmlElement`` per ProseMirror node (its name is the node type, every non-null node
attribute is an element attribute) and one ``XmlText`` per run of text, each mark stored as a
formatting attribute named after the mark and holding the mark's attributes (``{"bold": {}}``,
``{"link": {"href": ...}}``). Marks that may overlap themselves carry a ``--hash`` suffix.
A whiteboard is the ``Map`` named ``shapes``.

Here a text document is read into ProseMirror JSON (what Tiptap's ``getJSON()`` returns), and
edits are made from ProseMirror JSON and returned as Yjs updates. Whole nodes are appended,
inserted or removed; text is never edited at an offset, so the difference between pycrdt's
positions (UTF-8 bytes) and Yjs' (UTF-16 units) never matters here. Pure pycrdt, no Django.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

FRAGMENT = "default"
SHAPES = "shapes"

Node = dict[str, Any]
"""A ProseMirror JSON node: ``{"type", "attrs"?, "content"?, "marks"?, "text"?}``."""

# Marks in the order they nest, outermost first, wherever order matters (JSON, Markdown, HTML).
MARK_ORDER = ("link", "bold", "italic", "strike", "code")
# y-prosemirror names an overlapping mark "<type>--<8 characters of hash>".
_HASHED_MARK = re.compile(r"^(.*)--[a-zA-Z0-9+/=]{8}$")
# What Tiptap's Link extension stores with every link (its default attributes).
# Deeper structures (only a hostile client writes them) are cut off where they are read, so
# no document can exhaust the stack of whoever reads or renders it.
MAX_NESTING = 100
LINK_DEFAULTS: dict[str, Any] = {
    "target": "_blank",
    "rel": "noopener noreferrer nofollow",
    "class": None,
}


def load(state: bytes | None, updates: Iterable[bytes] = ()) -> Doc[Any]:
    """A document holding a stored state and the updates logged after it."""
    doc: Doc[Any] = Doc()
    if state:
        doc.apply_update(state)
    for update in updates:
        doc.apply_update(update)
    return doc


def plain(value: Any, depth: int = 0) -> Any:
    """A value as JSON would have it: shared types as their Python value, and whole numbers as
    ``int`` (Yrs reads every JavaScript number as a float). Nesting deeper than
    ``MAX_NESTING`` reads as ``None``."""
    if depth > MAX_NESTING:
        return None
    if isinstance(value, Text):
        return str(value)
    if isinstance(value, Map):
        value = dict(value.items())
    elif isinstance(value, Array):
        value = list(value)
    if isinstance(value, dict):
        return {str(key): plain(item, depth + 1) for key, item in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [plain(item, depth + 1) for item in value]
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


# --- reading -------------------------------------------------------------------------------


def text_document_json(doc: Doc[Any]) -> Node:
    """The text document as ProseMirror JSON: ``{"type": "doc", "content": [...]}``."""
    fragment = doc.get(FRAGMENT, type=XmlFragment)
    content: list[Node] = []
    for child in fragment.children:
        if isinstance(child, XmlElement):
            content.append(_element_json(child))
        elif isinstance(child, XmlText):  # not y-prosemirror's shape, but keep its words
            inline = _text_json(child)
            if inline:
                content.append({"type": "paragraph", "content": inline})
    return {"type": "doc", "content": content}


def whiteboard_json(doc: Doc[Any]) -> dict[str, Any]:
    """The whiteboard's shapes by id, as JSON values (a number that is not finite, which a
    Yjs client can store and JSON cannot hold, as ``None``)."""
    shapes = doc.get(SHAPES, type=Map)
    return {key: _finite(plain(value)) for key, value in sorted(shapes.items())}


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def _element_json(element: XmlElement, depth: int = 0) -> Node:
    node: Node = {"type": element.tag or "paragraph"}
    # pycrdt types the view's __iter__ as returning an Iterable, which a for loop refuses.
    pairs = element.attributes.__iter__()
    attrs = {key: plain(value) for key, value in pairs if value is not None}
    if attrs:
        node["attrs"] = dict(sorted(attrs.items()))
    content: list[Node] = []
    for child in element.children if depth < MAX_NESTING else ():
        if isinstance(child, XmlElement):
            content.append(_element_json(child, depth + 1))
        elif isinstance(child, XmlText):
            content.extend(_text_json(child))
    content = merge_text_nodes(content)
    if content:
        node["content"] = content
    return node


def _text_json(text: XmlText) -> list[Node]:
    nodes: list[Node] = []
    for chunk, attributes in text.diff():
        if not isinstance(chunk, str) or not chunk:
            continue  # embeds have no place in a ProseMirror text node
        node: Node = {"type": "text", "text": chunk}
        marks = _marks(attributes or {})
        if marks:
            node["marks"] = marks
        nodes.append(node)
    return nodes


def _marks(attributes: dict[str, Any]) -> list[Node]:
    marks: list[Node] = []
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        match = _HASHED_MARK.match(name)
        mark: Node = {"type": match.group(1) if match else name}
        if isinstance(value, dict):
            attrs = plain(value)
            if attrs:
                mark["attrs"] = attrs
        marks.append(mark)
    return sort_marks(marks)


def sort_marks(marks: list[Node]) -> list[Node]:
    """Marks in nesting order: the known ones as ``MARK_ORDER``, then others by name."""

    def rank(mark: Node) -> tuple[int, str]:
        kind = str(mark["type"])
        return (MARK_ORDER.index(kind), "") if kind in MARK_ORDER else (len(MARK_ORDER), kind)

    return sorted(marks, key=rank)


def merge_text_nodes(content: list[Node]) -> list[Node]:
    """Join neighbouring text nodes with the same marks, as ProseMirror does (in time linear
    in the length of the text, however many nodes it comes in)."""
    merged: list[Node] = []
    run: list[str] = []  # the texts of the last node in ``merged``, when it is a text node

    def close_run() -> None:
        if len(run) > 1:
            merged[-1] = {**merged[-1], "text": "".join(run)}
        run.clear()

    for node in content:
        if node["type"] == "text" and not node.get("text"):
            continue
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and node["type"] == previous["type"] == "text"
            and node.get("marks") == previous.get("marks")
        ):
            run.append(node["text"])
            continue
        close_run()
        merged.append(node)
        if node["type"] == "text":
            run.append(node["text"])
    close_run()
    return merged


# --- writing -------------------------------------------------------------------------------


def paragraphs_from_text(text: str) -> list[Node]:
    """Plain text as paragraphs: a blank line separates paragraphs, a single line break is a
    hard break within one (the reverse of ``formats.document_text``)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text:
        return []
    paragraphs: list[Node] = []
    for block in re.split(r"\n{2,}", text):
        content: list[Node] = []
        for index, line in enumerate(block.split("\n")):
            if index:
                content.append({"type": "hardBreak"})
            if line:
                content.append({"type": "text", "text": line})
        paragraphs.append({"type": "paragraph", **({"content": content} if content else {})})
    return paragraphs


def _edit(doc: Doc[Any], change: Callable[[], None]) -> bytes:
    """Make a change in one transaction; return it as a Yjs update (v1)."""
    before = doc.get_state()
    with doc.transaction():
        change()
    return doc.get_update(before)


def append_blocks(doc: Doc[Any], blocks: list[Node]) -> bytes:
    """Append block nodes at the end of the text document; returns the update."""
    fragment = doc.get(FRAGMENT, type=XmlFragment)
    return _edit(doc, lambda: _insert_all(fragment, blocks))


def replace_blocks(doc: Doc[Any], blocks: list[Node]) -> bytes:
    """Make the text document hold exactly ``blocks``; returns the update. Edits made
    concurrently inside the removed nodes are lost, as with any replace."""
    fragment = doc.get(FRAGMENT, type=XmlFragment)

    def change() -> None:
        del fragment.children[0 : len(fragment.children)]
        _insert_all(fragment, blocks)

    return _edit(doc, change)


def replace_shapes(doc: Doc[Any], source: Doc[Any]) -> bytes:
    """Make the whiteboard's shapes equal those of ``source``: keys it lacks are removed,
    keys whose value differs are set to a copy of the source's value; returns the update."""
    shapes = doc.get(SHAPES, type=Map)
    wanted = source.get(SHAPES, type=Map)

    def change() -> None:
        for key in [key for key in shapes.keys() if key not in wanted]:
            del shapes[key]
        for key, value in wanted.items():
            if key not in shapes or plain(shapes[key]) != plain(value):
                shapes[key] = _copy(value)

    return _edit(doc, change)


def _copy(value: Any, depth: int = 0) -> Any:
    """A new, unintegrated copy of a value read from another document (cut off past
    ``MAX_NESTING`` like ``plain``)."""
    if depth > MAX_NESTING:
        return None
    if isinstance(value, Map):
        return Map({key: _copy(item, depth + 1) for key, item in value.items()})
    if isinstance(value, Array):
        return Array([_copy(item, depth + 1) for item in value])
    if isinstance(value, Text):
        return Text(str(value))
    return value


def _insert_all(parent: XmlFragment | XmlElement, nodes: list[Node]) -> None:
    """Append nodes to ``parent`` as y-prosemirror would: a run of text nodes becomes one
    ``XmlText`` with each node's marks as formatting attributes."""
    run: list[Node] = []
    for node in [*nodes, {"type": ""}]:
        if node["type"] == "text":
            run.append(node)
            continue
        if run:
            text = parent.children.append(XmlText())
            for piece in run:
                # Appending at the current end: byte and UTF-16 offsets agree there.
                text.insert(len(text), str(piece["text"]), _formatting(piece.get("marks", [])))
            run = []
        if node["type"]:
            attrs = {
                key: value for key, value in node.get("attrs", {}).items() if value is not None
            }
            element = parent.children.append(XmlElement(str(node["type"]), attrs))
            _insert_all(element, list(node.get("content", [])))


def _formatting(marks: list[Node]) -> dict[str, Any]:
    return {str(mark["type"]): dict(mark.get("attrs", {})) for mark in marks}
