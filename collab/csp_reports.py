"""``POST /csp-report``: where browsers report what the Content-Security-Policy refused.

Each violation becomes one WARNING line on the ``collab.csp`` logger, so a page that breaks
under the policy shows in the server's log. Browsers send reports without credentials or a
CSRF token, so the endpoint takes them from anyone: it only logs, with each field cut short.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("collab.csp")

MAX_REPORT_BYTES = 64 * 1024
MAX_FIELD_CHARS = 300
# The fields worth a log line, as report-uri's "csp-report" names them and as the Reporting
# API's "csp-violation" body does.
FIELDS = (
    ("document", ("document-uri", "documentURL")),
    ("directive", ("effective-directive", "effectiveDirective", "violated-directive")),
    ("blocked", ("blocked-uri", "blockedURL")),
    ("source", ("source-file", "sourceFile")),
    ("line", ("line-number", "lineNumber")),
    ("sample", ("script-sample", "sample")),
)


def _error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


def violations(payload: Any) -> list[dict[str, str]]:
    """The violations in a report body: report-uri's ``{"csp-report": {...}}`` or the
    Reporting API's list of ``{"type": "csp-violation", "body": {...}}``. Raises
    ``ValueError`` for anything else."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        bodies = [payload["csp-report"]]
    elif isinstance(payload, list) and all(isinstance(item, dict) for item in payload):
        bodies = [
            item["body"]
            for item in payload
            if item.get("type") == "csp-violation" and isinstance(item.get("body"), dict)
        ]
    else:
        raise ValueError("not a CSP report")
    found = []
    for body in bodies:
        violation = {}
        for name, keys in FIELDS:
            value = next((body[key] for key in keys if body.get(key) not in (None, "")), "")
            violation[name] = str(value)[:MAX_FIELD_CHARS]
        found.append(violation)
    return found


def describe(violation: dict[str, str]) -> str:
    """One violation in a line: what was refused where, and the code that asked for it."""
    line = f"{violation['directive']} refused {violation['blocked']} on {violation['document']}"
    if violation["source"]:
        line += f" ({violation['source']} line {violation['line'] or '?'})"
    if violation["sample"]:
        line += f": {violation['sample']}"
    return line


@csrf_exempt
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log the violations of one report; 204. 405 ``method_not_allowed`` for anything but a
    POST, 413 ``report_too_large`` past 64 KiB, 400 ``invalid_report`` for a body that is not
    a CSP report."""
    if request.method != "POST":
        response = _error(405, "method_not_allowed", "Send CSP reports with POST.")
        response["Allow"] = "POST"
        return response
    length = request.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_REPORT_BYTES:
        return _error(413, "report_too_large", "A CSP report may be 64 KiB at most.")
    body = request.read(MAX_REPORT_BYTES + 1)
    if len(body) > MAX_REPORT_BYTES:
        return _error(413, "report_too_large", "A CSP report may be 64 KiB at most.")
    try:
        found = violations(json.loads(body))
    except ValueError:
        return _error(400, "invalid_report", "The body is not a CSP violation report.")
    for violation in found:
        logger.warning("CSP violation: %s", describe(violation))
    return HttpResponse(status=204)
