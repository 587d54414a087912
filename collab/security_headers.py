"""The Content-Security-Policy and the other security headers every response carries.

The policy allows only this origin's own files: no inline script or style, no ``eval``, no
third-party host. Pages pass data to scripts as ``json_script`` blocks (not executed, so not
subject to the policy), the web app is built files under ``/static/``, and the API docs load
their script from a URL (``collab/urls.py``) and their styles from ``collab/static/``. Colours
people pick reach the page as ``data-color`` attributes, which scripts apply through the
CSSOM (``element.style``), which the policy does not restrict; a ``style="..."`` attribute in
markup is refused.

``SecurityMiddleware`` already sends ``X-Content-Type-Options``, ``Referrer-Policy`` and
``Cross-Origin-Opener-Policy``, and ``XFrameOptionsMiddleware`` ``X-Frame-Options``; this adds
the policy and a ``Permissions-Policy``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from rooms.accounts.sso import provider

CSP_HEADER = "Content-Security-Policy"
PERMISSIONS_POLICY_HEADER = "Permissions-Policy"

# Browser features the app never uses, off for its pages and anything they might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


def content_security_policy(report_uri: str = "", form_targets: Iterable[str] = ()) -> str:
    """The policy's header value; violations are reported to ``report_uri`` when given.
    ``form_targets`` are the other origins a form may lead to (after a redirect too)."""
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # data: for images inlined in stylesheets (the API docs' icons); blob: for SVG images
        # the page makes itself (a whiteboard version's preview, the PNG export's drawing).
        "img-src 'self' data: blob:",
        # 'self' covers ws: and wss: on the page's own host and port (CSP Level 3).
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        " ".join(["form-action 'self'", *form_targets]),
        "frame-ancestors 'none'",
    ]
    if report_uri:
        directives.append(f"report-uri {report_uri}")
    return "; ".join(directives)


class SecurityHeadersMiddleware:
    """Adds the policy and ``Permissions-Policy`` to every response that has none of its own.

    With ``DEBUG`` on, error pages go without the policy: Django's debug pages (the traceback,
    the URL list of a 404, the CSRF failure) are built with inline styles and scripts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Signing out posts a form that goes on to the identity provider's end-session.
        self.policy = content_security_policy(
            settings.COLLAB_CSP_REPORT_URI, form_targets=provider.sign_out_origins()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not (settings.DEBUG and response.status_code >= 400):
            response.headers.setdefault(CSP_HEADER, self.policy)
        response.headers.setdefault(PERMISSIONS_POLICY_HEADER, PERMISSIONS_POLICY)
        return response
