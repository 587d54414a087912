"""What changed between two contents of a document: a structural diff of a text document's
blocks (paragraphs, headings, list items, code blocks), word by word within a changed block,
and a whiteboard's shapes added, removed and changed. Pure functions of the contents' JSON."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any, Literal, TypedDict

from rooms.documents.content.tree import Node

Op = Literal["equal", "insert", "delete"]
BlockChange = Literal["equal", "inserted", "deleted", "changed"]
ShapeChange = Literal["added", "removed", "changed"]

_WORD = re.compile(r"\s+|\w+|[^\w\s]")
_INLINE = {"text", "hardBreak", "mention"}


class Part(TypedDict):
    op: Op
    text: str


class BlockDiff(TypedDict):
    type: str
    change: BlockChange
    parts: list[Part]


class ShapeDiff(TypedDict):
    id: str
    change: ShapeChange
    kind: str


def text_blocks(document: Node) -> list[tuple[str, str]]:
    """The document's text blocks in order, as (node type, text)."""
    blocks: list[tuple[str, str]] = []
    _collect(document, blocks)
    return blocks


def _collect(node: Node, blocks: list[tuple[str, str]]) -> None:
    children: list[Node] = node.get("content", [])
    if node.get("type") != "doc" and (
        not children or any(child.get("type") in _INLINE for child in children)
    ):
        text = "".join(
            str(child.get("text", "")) if child.get("type") == "text" else "\n"
            for child in children
            if child.get("type") in _INLINE
        )
        blocks.append((str(node.get("type", "paragraph")), text))
        return
    for child in children:
        _collect(child, blocks)


def _merge(parts: list[Part]) -> list[Part]:
    merged: list[Part] = []
    for part in parts:
        if not part["text"]:
            continue
        if merged and merged[-1]["op"] == part["op"]:
            merged[-1] = {"op": part["op"], "text": merged[-1]["text"] + part["text"]}
        else:
            merged.append(part)
    return merged


def word_diff(old: str, new: str) -> list[Part]:
    """``new`` against ``old`` word by word (runs of letters and digits, of spaces, and
    single punctuation marks): what stayed, what was inserted and deleted, in reading order
    (a deletion before the insertion that replaced it)."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    parts: list[Part] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append({"op": "equal", "text": "".join(a[i1:i2])})
            continue
        parts.append({"op": "delete", "text": "".join(a[i1:i2])})
        parts.append({"op": "insert", "text": "".join(b[j1:j2])})
    return _merge(parts)


def text_diff(old: Node, new: Node) -> list[BlockDiff]:
    """The blocks of ``new`` against those of ``old``: equal, inserted, deleted, or changed
    (paired in order within a replaced run) with a word diff."""
    a, b = text_blocks(old), text_blocks(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    blocks: list[BlockDiff] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks += [
                {"type": kind, "change": "equal", "parts": _merge([{"op": "equal", "text": text}])}
                for kind, text in a[i1:i2]
            ]
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for offset in range(paired):
            (_, before), (kind, after) = a[i1 + offset], b[j1 + offset]
            blocks.append({"type": kind, "change": "changed", "parts": word_diff(before, after)})
        blocks += [
            {"type": kind, "change": "deleted", "parts": _merge([{"op": "delete", "text": text}])}
            for kind, text in a[i1 + paired : i2]
        ]
        blocks += [
            {"type": kind, "change": "inserted", "parts": _merge([{"op": "insert", "text": text}])}
            for kind, text in b[j1 + paired : j2]
        ]
    return blocks


def shapes_diff(old: dict[str, Any], new: dict[str, Any]) -> list[ShapeDiff]:
    """The shapes of ``new`` against those of ``old`` (by id): added, removed or changed."""
    changes: list[ShapeDiff] = []
    for key in sorted(old.keys() | new.keys()):
        if key not in old:
            changes.append({"id": key, "change": "added", "kind": _shape_kind(new[key])})
        elif key not in new:
            changes.append({"id": key, "change": "removed", "kind": _shape_kind(old[key])})
        elif old[key] != new[key]:
            changes.append({"id": key, "change": "changed", "kind": _shape_kind(new[key])})
    return changes


def _shape_kind(shape: Any) -> str:
    kind = shape.get("type") if isinstance(shape, dict) else None
    return str(kind) if kind else "shape"
