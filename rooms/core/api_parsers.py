"""The API's JSON parser: DRF's, but a body nested deeper than ``COLLAB_API_JSON_MAX_DEPTH``
is a 400 ``nesting_too_deep`` (and a malformed one a 400 ``parse_error``), never a
``RecursionError``."""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Mapping
from itertools import accumulate
from typing import IO, Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

# A JSON string, escapes included; applied only to text that parsed, so every match ends at
# its string's closing quote and the scan stays linear.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_DEPTH_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 and -1 as signed bytes


def nests_deeper_than(text: str, limit: int) -> bool:
    """Whether the valid JSON ``text`` nests arrays and objects more than ``limit`` levels
    deep (``[]`` is one level). Linear in the text, at C speed but for the brackets."""
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _STRING.sub(b"", text.encode()).translate(None, _NOT_BRACKETS)
    return max(accumulate(array("b", brackets.translate(_DEPTH_STEPS))), default=0) > limit


def too_deep(limit: int) -> ParseError:
    return ParseError(f"JSON nested more than {limit} levels deep.", code="nesting_too_deep")


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        """The body's JSON; raises ``ParseError`` (``parse_error``, ``nesting_too_deep``)."""
        limit = int(settings.COLLAB_API_JSON_MAX_DEPTH)
        # DRF's own check of the charset (text codecs only: no bz2_codec bomb); not in its stubs.
        encoding = parsers.get_encoding(parser_context or {})  # type: ignore[attr-defined]
        try:
            text = stream.read().decode(encoding)
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except RecursionError:  # far deeper than any limit: json gave up before we could look
            raise too_deep(limit) from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if nests_deeper_than(text, limit):
            raise too_deep(limit)
        return data
