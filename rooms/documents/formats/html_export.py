"""A text document as a standalone HTML file: the content package's safe HTML in a page with
its title and a small print-friendly style, no scripts and nothing loaded from elsewhere. The
document's stored images are embedded as ``data:`` URLs, so the file shows them offline and
without the reader's session; one that cannot be read keeps its path and its alt text."""

from __future__ import annotations

import base64
import html
import re

from rooms.documents.content.tree import Node
from rooms.documents.formats.images import ImageReader, picture_type
from rooms.documents.formats.text_formats import html_of

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5}pre{background:#f4f4f6;padding:.75rem;overflow:auto}"
    "blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem;color:#444}"
    "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.25rem .5rem}"
    "img{max-width:100%}"
)
# The renderer writes every image as ``<img src="...`` first; text is escaped, so this never
# matches inside a paragraph.
_STORED_IMG = re.compile(r'<img src="(/api/v1/documents/[\w-]+/images/[\w-]+)"')


def document_html_file(document: Node, *, title: str, read_image: ImageReader) -> str:
    """A complete HTML5 page holding the document."""
    body = _STORED_IMG.sub(lambda match: _embedded(match, read_image), html_of(document))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<h1>{html.escape(title)}</h1>\n{body}\n</body>\n</html>\n"
    )


def _embedded(match: re.Match[str], read_image: ImageReader) -> str:
    data = read_image(match.group(1))
    kind = picture_type(data) if data else None
    if data is None or kind is None:
        return match.group(0)
    return f'<img src="data:{kind};base64,{base64.b64encode(data).decode("ascii")}"'
