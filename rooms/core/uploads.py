"""File uploads over REST: how large a multipart request says its file is, so a view can
refuse one past its limit from the headers, before Django reads the body."""

from __future__ import annotations

from typing import Any

# Multipart framing around the file (boundaries, part headers, other small fields).
UPLOAD_OVERHEAD_BYTES = 64 * 1024


def declared_file_bytes(request: Any) -> int:
    """At least how many bytes the request's file has: its ``Content-Length`` less the
    framing allowance (0 when it declares none)."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    return max(0, int(declared) - UPLOAD_OVERHEAD_BYTES) if declared.isdigit() else 0
