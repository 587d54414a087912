"""Markdown read into ProseMirror JSON of the editor's schema (Tiptap's node and mark types),
from the token stream of Collab's one Markdown parser (``rooms.core.markdown``).

What each construct becomes, and what the schema cannot hold, is in docs/markdown.md. In short:
an image is a block, so a paragraph with an image in it is split around the image (a heading
keeps its words and its images follow it); a table's first row is its header row and the
column alignment is dropped; a list whose items are not all tasks is a plain list whose task
items keep their ``[ ]`` as text; raw HTML is its text; a link or image to an address a
browser would run keeps only its words. Pure Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from linkify_it import LinkifyIt
from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token

from rooms.core.markdown import markdown_parser
from rooms.documents.content.links import safe_href, safe_image_src
from rooms.documents.content.tree import LINK_DEFAULTS, Node, merge_text_nodes, sort_marks

MAX_DEPTH = 39
"""How many blocks may hold each other (a quote in a list item in a list counts three):
markdown-it stops reading past its limit, so deeper input is refused rather than cut short."""

# Every address is read; the reader keeps the safe ones (``safe_href``) and the words of others.
_PARSER = markdown_parser(validate_link=lambda address: True)
_PARSER.options["maxNesting"] = MAX_DEPTH + 1
_LINKIFY = cast(LinkifyIt, _PARSER.linkify)  # markdown_parser made sure it is there

_BLOCKS = {
    "blockquote_open": "blockquote",
    "bullet_list_open": "bulletList",
    "ordered_list_open": "orderedList",
    "list_item_open": "listItem",
    "table_open": "table",
    "tr_open": "tableRow",
    "th_open": "tableHeader",
    "td_open": "tableCell",
    "paragraph_open": "paragraph",
    "heading_open": "heading",
}
_MARKS = {"strong_open": "bold", "em_open": "italic", "s_open": "strike"}
_CELL_ATTRS = {"colspan": 1, "rowspan": 1}


class MarkdownTooDeep(ValueError):
    """The Markdown nests blocks deeper than ``MAX_DEPTH``."""


def parse(source: str) -> list[Node]:
    """The block nodes of a Markdown text (an empty list for an empty one). Raises
    ``MarkdownTooDeep`` for blocks nested deeper than ``MAX_DEPTH``."""
    tokens = _PARSER.parse(source)
    if any(token.nesting == 1 and token.level >= MAX_DEPTH for token in tokens):
        raise MarkdownTooDeep(
            f"Markdown may nest blocks (quotes, lists and their items) at most {MAX_DEPTH} deep."
        )
    root: Node = {"type": "doc", "content": []}
    stack = [root]
    for token in tokens:
        if token.nesting == 1 and token.type in _BLOCKS:
            node = _open_block(token)
            stack[-1]["content"].append(node)
            stack.append(node)
        elif token.nesting == -1 and token.type.replace("_close", "_open") in _BLOCKS:
            _close_block(stack.pop())
        elif token.type == "inline" and stack[-1]["type"] in ("tableHeader", "tableCell"):
            inline = _Inline().walk(token.children or [])
            if inline:
                stack[-1]["content"].append({"type": "paragraph", "content": inline})
        elif token.type == "inline":
            stack[-1]["content"] = _Inline().walk(token.children or [])
        elif token.type in ("fence", "code_block"):
            stack[-1]["content"].append(_code_block(token))
        elif token.type == "hr":
            stack[-1]["content"].append({"type": "horizontalRule"})
    blocks: list[Node] = _split_around_images(root)["content"]
    return blocks


def parse_inline(source: str) -> list[Node]:
    """The inline nodes of one line of Markdown (images included)."""
    tokens = _PARSER.parseInline(source)
    return _Inline().walk(tokens[0].children or []) if tokens else []


def linkify_matches(text: str) -> set[int]:
    """Where to put a backslash in ``text`` so that no address in it becomes a link: before
    the colon after its scheme, or the second slash of ``//``."""
    positions: set[int] = set()
    if not _LINKIFY.pretest(text):  # a quick look that rules most text out
        return positions
    for match in _LINKIFY.match(text) or []:
        colon = text.find(":", match.index, match.last_index)
        positions.add(colon if colon >= 0 else match.index + 1)
    return positions


def _open_block(token: Token) -> Node:
    kind = _BLOCKS[token.type]
    node: Node = {"type": kind, "content": []}
    if kind == "heading":
        node["attrs"] = {"level": int(token.tag[1:])}
    elif kind == "orderedList":
        start = token.attrGet("start")
        node["attrs"] = {"start": int(start) if start is not None else 1}
    elif kind in ("tableHeader", "tableCell"):
        node["attrs"] = dict(_CELL_ATTRS)  # the alignment (token's style) has no place
    elif kind == "listItem" and token.meta and "checked" in token.meta:
        node["type"] = "taskItem"
        node["attrs"] = {"checked": bool(token.meta["checked"])}
    return node


def _close_block(node: Node) -> None:
    kind = node["type"]
    if kind in ("listItem", "taskItem", "tableHeader", "tableCell") and not node["content"]:
        node["content"] = [{"type": "paragraph"}]
    if kind == "bulletList" and node["content"]:
        if all(item["type"] == "taskItem" for item in node["content"]):
            node["type"] = "taskList"
            return
    if kind in ("bulletList", "orderedList"):
        node["content"] = [_as_list_item(item) for item in node["content"]]
    if kind in ("paragraph", "heading") and not node["content"]:
        del node["content"]


def _as_list_item(item: Node) -> Node:
    """A task item in a list that is not all tasks: a list item with its box as text."""
    if item["type"] != "taskItem":
        return item
    box: Node = {"type": "text", "text": "[x] " if item["attrs"]["checked"] else "[ ] "}
    content = list(item["content"])
    first = content[0] if content else None
    if first is not None and first["type"] == "paragraph":
        content[0] = {**first, "content": merge_text_nodes([box, *first.get("content", [])])}
    else:
        content.insert(0, {"type": "paragraph", "content": [box]})
    return {"type": "listItem", "content": content}


def _code_block(token: Token) -> Node:
    node: Node = {"type": "codeBlock"}
    language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    if language:
        node["attrs"] = {"language": unescapeAll(language)}
    text = token.content[:-1] if token.content.endswith("\n") else token.content
    if text:
        node["content"] = [{"type": "text", "text": text}]
    return node


# --- inline --------------------------------------------------------------------------------


@dataclass
class _Inline:
    """A walk over an inline token list with the marks open at each point."""

    nodes: list[Node] = field(default_factory=list)
    open_marks: list[Node | None] = field(default_factory=list)  # None: a link not kept

    def marks(self) -> list[Node]:
        by_type: dict[str, Node] = {}
        for mark in self.open_marks:
            if mark is not None:
                by_type[mark["type"]] = mark
        return sort_marks(list(by_type.values()))

    def text(self, text: str, *extra: Node) -> None:
        if not text:
            return
        node: Node = {"type": "text", "text": text}
        marks = sort_marks([*self.marks(), *extra])
        if marks:
            node["marks"] = marks
        self.nodes.append(node)

    def walk(self, tokens: list[Token]) -> list[Node]:
        for token in tokens:
            kind = token.type
            if kind in ("text", "text_special", "html_inline"):
                self.text(token.content)
            elif kind == "softbreak":
                self.text(" ")
            elif kind == "hardbreak":
                self.nodes.append({"type": "hardBreak"})
            elif kind == "code_inline":
                self.text(token.content, {"type": "code"})
            elif kind in _MARKS:
                self.open_marks.append({"type": _MARKS[kind]})
            elif kind == "link_open":
                self.open_marks.append(_link(str(token.attrGet("href") or "")))
            elif kind.endswith("_close"):
                self.open_marks.pop()
            elif kind == "image":
                self.image(token)
        return merge_text_nodes(self.nodes)

    def image(self, token: Token) -> None:
        alt = _plain_text(token.children or [])
        src = safe_image_src(token.attrGet("src"))
        if src is None:
            self.text(alt)
            return
        attrs: dict[str, object] = {"src": src}
        if alt:
            attrs["alt"] = alt
        title = token.attrGet("title")
        if title:
            attrs["title"] = str(title)
        self.nodes.append({"type": "image", "attrs": attrs})


def _link(href: str) -> Node | None:
    """A link mark as Tiptap's Link extension makes it, or ``None`` for an address a browser
    would run (``javascript:`` and the like): its words stay, unlinked."""
    safe = safe_href(href)
    return None if safe is None else {"type": "link", "attrs": {"href": safe, **LINK_DEFAULTS}}


def _plain_text(tokens: list[Token]) -> str:
    """An image's alt text: the words of its description, as markdown-it renders them."""
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline", "html_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(_plain_text(token.children or []))
    return "".join(parts)


# --- images out of textblocks --------------------------------------------------------------


def _split_around_images(node: Node) -> Node:
    """Images are blocks: a paragraph is cut around each image in it, and the images in a
    heading follow it."""
    if "content" not in node or node["type"] == "codeBlock":
        return node
    content: list[Node] = []
    for child in node["content"]:
        content.extend(_blocks_of(_split_around_images(child)))
    return {**node, "content": content}


def _blocks_of(node: Node) -> Iterator[Node]:
    inline = node.get("content", [])
    if node["type"] not in ("paragraph", "heading") or all(
        child["type"] != "image" for child in inline
    ):
        yield node
        return
    if node["type"] == "heading":
        words = _trimmed([child for child in inline if child["type"] != "image"])
        yield _textblock(node, words)
        yield from (child for child in inline if child["type"] == "image")
        return
    run: list[Node] = []
    for child in inline:
        if child["type"] != "image":
            run.append(child)
            continue
        if _trimmed(run):
            yield _textblock(node, _trimmed(run))
        yield child
        run = []
    if _trimmed(run):
        yield _textblock(node, _trimmed(run))


def _textblock(node: Node, inline: list[Node]) -> Node:
    block = {key: value for key, value in node.items() if key != "content"}
    if inline:
        block["content"] = inline
    return block


def _trimmed(inline: list[Node]) -> list[Node]:
    """Inline content without the white space and line breaks at its two ends, as Markdown
    reads a paragraph."""
    nodes = merge_text_nodes(inline)
    while nodes and nodes[0]["type"] == "hardBreak":
        nodes = nodes[1:]
    while nodes and nodes[-1]["type"] == "hardBreak":
        nodes = nodes[:-1]
    if nodes and nodes[0]["type"] == "text":
        nodes[0] = {**nodes[0], "text": nodes[0]["text"].lstrip(" ")}
    if nodes and nodes[-1]["type"] == "text":
        nodes[-1] = {**nodes[-1], "text": nodes[-1]["text"].rstrip(" ")}
    return merge_text_nodes(nodes)
