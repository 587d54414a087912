"""A text document as a standalone HTML file: the content package's safe HTML in a page with
its title and a small print-friendly style, no scripts and nothing loaded from elsewhere."""

from __future__ import annotations

import html

from rooms.documents.content.tree import Node
from rooms.documents.formats.text_formats import html_of

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5}pre{background:#f4f4f6;padding:.75rem;overflow:auto}"
    "blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem;color:#444}"
    "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.25rem .5rem}"
    "img{max-width:100%}"
)


def document_html_file(document: Node, *, title: str) -> str:
    """A complete HTML5 page holding the document."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<h1>{html.escape(title)}</h1>\n{html_of(document)}\n</body>\n</html>\n"
    )
