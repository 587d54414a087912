"""A text block's inline content as flat runs of text with their marks: what a page-layout
writer (DOCX, PDF) lays out, one run at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rooms.documents.content.tree import Node
from rooms.documents.formats.text_formats import safe_link


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    href: str | None = None  # a safe link address, or None


def attr(node: Node, name: str, default: Any = None) -> Any:
    value = (node.get("attrs") or {}).get(name)
    return default if value is None else value


def children(node: Node) -> list[Node]:
    content = node.get("content")
    return content if isinstance(content, list) else []


def runs_of(block: Node) -> list[Run]:
    """The runs of a textblock (paragraph, heading, code block). A hard break is a run of
    ``"\\n"``; a mention is its ``@label`` (a file cannot mention anyone)."""
    runs: list[Run] = []
    for node in children(block):
        kind = node.get("type")
        if kind == "text":
            runs.append(_text_run(node))
        elif kind == "hardBreak":
            runs.append(Run("\n"))
        elif kind == "mention":
            runs.append(Run(f"@{attr(node, 'label', attr(node, 'id', ''))}"))
    return runs


def plain_text(block: Node) -> str:
    return "".join(run.text for run in runs_of(block))


def _text_run(node: Node) -> Run:
    kinds = {mark.get("type"): mark for mark in node.get("marks") or []}
    link = kinds.get("link")
    return Run(
        text=str(node.get("text", "")),
        bold="bold" in kinds,
        italic="italic" in kinds,
        strike="strike" in kinds,
        code="code" in kinds,
        href=safe_link(attr(link, "href")) if link is not None else None,
    )
