"""Which addresses a document may link to or show an image from. Pure Python."""

from __future__ import annotations

import re
from typing import Any

_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_IMAGE_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def _scheme(address: str) -> str | None:
    """The scheme a browser would read (``""`` for a relative address, ``None`` for none it
    could ever read safely)."""
    # Browsers skip control characters and whitespace when they read a scheme.
    squeezed = "".join(ch for ch in address if ord(ch) > 0x20).lower()
    match = _SCHEME.match(squeezed)
    if match is None:
        return "" if ":" not in squeezed.split("/", 1)[0] else None
    return match.group(1)


def safe_href(href: Any) -> str | None:
    """The address if a browser would not run or embed it, else ``None``: http(s), mailto, tel
    and relative addresses."""
    if not isinstance(href, str) or not href.strip():
        return None
    scheme = _scheme(href)
    return href.strip() if scheme == "" or scheme in _SAFE_SCHEMES else None


def safe_image_src(src: Any) -> str | None:
    """The address of an image a page may show: http(s) or a path on this site (a stored room
    image), never ``data:`` or ``javascript:``; else ``None``."""
    if not isinstance(src, str) or not src.strip():
        return None
    scheme = _scheme(src)
    return src.strip() if scheme == "" or scheme in _IMAGE_SCHEMES else None
