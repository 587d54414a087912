"""Builders of the editor's document nodes (ProseMirror JSON) for the Markdown tests."""

from __future__ import annotations

from typing import Any

Node = dict[str, Any]
LINK = {"target": "_blank", "rel": "noopener noreferrer nofollow", "class": None}


def text(value: str, *marks: str | Node) -> Node:
    node: Node = {"type": "text", "text": value}
    if marks:
        node["marks"] = [{"type": mark} if isinstance(mark, str) else mark for mark in marks]
    return node


def paragraph(*inline: Node) -> Node:
    return {"type": "paragraph", "content": list(inline)} if inline else {"type": "paragraph"}


def link(href: str) -> Node:
    return {"type": "link", "attrs": {"href": href, **LINK}}


def cell(kind: str, *blocks: Node) -> Node:
    return {"type": kind, "attrs": {"colspan": 1, "rowspan": 1}, "content": list(blocks)}


def row(*cells: Node) -> Node:
    return {"type": "tableRow", "content": list(cells)}


def image(src: str, **attrs: str) -> Node:
    return {"type": "image", "attrs": {"src": src, **attrs}}


def item(*blocks: Node) -> Node:
    return {"type": "listItem", "content": list(blocks)}


def task(checked: bool, *blocks: Node) -> Node:
    return {"type": "taskItem", "attrs": {"checked": checked}, "content": list(blocks)}
