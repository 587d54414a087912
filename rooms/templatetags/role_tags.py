"""Roles in sentences: "an editor", "a viewer"."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def indefinite_article(noun: str) -> str:
    """The article that goes before ``noun``: "an" before a vowel ("an editor", "an owner"),
    else "a" ("a viewer", "a commenter"). Every role's name follows the spelling rule."""
    return "an" if noun[:1].lower() in "aeiou" and noun else "a"
