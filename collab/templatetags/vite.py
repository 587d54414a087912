"""``{% vite_entry "src/room.ts" %}``: the script, preloads and styles of a built entry."""

from __future__ import annotations

import logging

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from collab.vite import AppNotBuilt, entry_urls

logger = logging.getLogger(__name__)
register = template.Library()


@register.simple_tag
def vite_entry(entry: str) -> SafeString:
    """The tags that load ``entry``; if the app is not built, a visible notice instead (the
    server-rendered page still works), and an error in the log."""
    try:
        urls = entry_urls(entry)
    except AppNotBuilt as error:
        logger.error("%s", error)
        return format_html('<p class="app-not-built" role="alert">{}</p>', str(error))
    return format_html(
        "{}{}{}",
        format_html_join("", '<link rel="stylesheet" href="{}">', ((url,) for url in urls.styles)),
        format_html_join("", '<link rel="modulepreload" href="{}">', ((u,) for u in urls.imports)),
        format_html('<script type="module" src="{}"></script>', urls.script),
    )
