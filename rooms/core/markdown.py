"""The one Markdown dialect of Collab, for documents and chat alike: markdown-it-py's CommonMark
with GitHub's tables, strikethrough, task lists and autolinks (linkify-it-py).

Raw HTML is never interpreted: with ``html`` off, markdown-it reads a tag as the text it is.
Autolinks are only addresses written with their scheme (``https://…``, ``mailto:…``): a bare
``example.com`` or ``bob@example.com`` stays text. Each caller adds what is its own on top
(chat: line breaks as breaks, mentions, its sanitizer; documents: the mapping to the editor's
schema), and see docs/markdown.md for the whole dialect.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt


def markdown_parser(
    *,
    breaks: bool = False,
    task_lists: bool = True,
    validate_link: Callable[[str], bool] | None = None,
) -> MarkdownIt:
    """A new parser of Collab's Markdown. ``breaks`` reads a single line break as a hard
    break; ``task_lists`` reads ``- [ ]`` items as tasks (else the brackets stay text);
    ``validate_link`` decides which link addresses become links (markdown-it's own check,
    which refuses ``javascript:`` and the like, when not given)."""
    parser = MarkdownIt(
        "commonmark",
        {"html": False, "breaks": breaks, "linkify": True, "tasklists": task_lists},
    )
    parser.enable(["table", "strikethrough", "linkify"])
    if parser.linkify is None:  # markdown-it leaves it out when linkify-it-py is missing
        raise RuntimeError("Collab's Markdown needs linkify-it-py.")
    parser.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
    if validate_link is not None:
        parser.validateLink = validate_link  # type: ignore[method-assign,assignment]
    return parser
