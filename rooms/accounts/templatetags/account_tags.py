from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def signup_open() -> bool:
    """Whether the pages should offer sign-up (``COLLAB_SIGNUP_OPEN``)."""
    return bool(settings.COLLAB_SIGNUP_OPEN)
