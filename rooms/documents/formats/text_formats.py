"""The content package's Markdown, HTML and link check, reached from one place so a change of
their names is one line here."""

from __future__ import annotations

from rooms.core.errors import Invalid
from rooms.documents.content.links import safe_href
from rooms.documents.content.markdown import MarkdownTooDeep
from rooms.documents.content.markdown import parse as parse_markdown
from rooms.documents.content.render import document_html, document_markdown
from rooms.documents.content.tree import Node

__all__ = ["blocks_from_markdown", "html_of", "markdown_of", "safe_link"]


def markdown_of(document: Node) -> str:
    """A text document's JSON as Markdown."""
    return document_markdown(document)


def html_of(document: Node) -> str:
    """A text document's JSON as safe HTML (a fragment: no page around it)."""
    return document_html(document)


def blocks_from_markdown(source: str) -> list[Node]:
    """Markdown as the document's block nodes. Raises ``Invalid`` (``markdown_too_deep``) for
    blocks nested deeper than the content package takes."""
    try:
        return parse_markdown(source)
    except MarkdownTooDeep as error:
        raise Invalid(str(error), code="markdown_too_deep", field="file") from error


def safe_link(href: object) -> str | None:
    """The address if a browser would neither run nor embed it (http(s), mailto, tel,
    relative), else None."""
    return safe_href(href)
