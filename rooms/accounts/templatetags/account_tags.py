from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def signup_open() -> bool:
    """Whether the pages should offer sign-up (``COLLAB_SIGNUP_OPEN``, and not
    ``COLLAB_SSO_ONLY``)."""
    return bool(settings.COLLAB_SIGNUP_OPEN) and not settings.COLLAB_SSO_ONLY


@register.simple_tag
def password_sign_in() -> bool:
    """Whether the pages should offer password sign-in and resets (not ``COLLAB_SSO_ONLY``)."""
    return not settings.COLLAB_SSO_ONLY
