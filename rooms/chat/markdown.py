"""Chat message Markdown: the raw body rendered to HTML that is safe to insert into a page.

The dialect is Collab's one Markdown (``rooms.core.markdown``: CommonMark with GitHub's
strikethrough, tables and autolinks), with soft line breaks kept as breaks (chat is written
line by line), task list brackets kept as text, and mentions:

- ``@username`` of a room member renders as ``<span class="mention" data-user-id="…">``;
  a name that is not a member stays text. ``@room`` addresses everyone in the room.
  A mention starts after a space, punctuation or the start of a line (so ``bob@example.com``
  is not one), is made of letters, digits and ``_ . + -``, and does not end with ``.``.
- Mentions and URLs are looked for in text only: not in code spans, code blocks, link
  text, or after a backslash (``\\@bob`` stays text).

Raw HTML is shown as text. Images are never embedded: ``![alt](url)`` renders as a link to
the image. Links keep only ``http``, ``https`` and ``mailto`` URLs (anything else stays
text) and open in a new tab with ``rel="nofollow noopener noreferrer"``. Whatever
markdown-it produces then goes through nh3 with a short allow-list of tags and attributes,
so no script, event handler or ``style`` reaches the page even if the parser were fooled.
Nesting deeper than markdown-it's ``maxNesting`` is left as text, so no input exhausts the
stack.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from rooms.core.markdown import markdown_parser

ROOM_MENTION = "room"
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_MENTION = re.compile(r"(?<![\w@.+-])@(?P<name>[\w.+-]*[\w+-])")
_LANGUAGE_CLASS = re.compile(r"^language-[\w+#-]{1,40}$")

_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {
    "a": {"href"},
    "code": {"class"},
    "ol": {"start"},
    "span": {"class", "data-user-id"},
}


@dataclass(frozen=True)
class Mentions:
    """Who a body mentions: lower-cased usernames, and whether it mentions ``@room``."""

    usernames: frozenset[str]
    room: bool


def _safe_link(url: str) -> bool:
    scheme, colon, _ = url.partition(":")
    return bool(colon) and scheme.strip().lower() in SAFE_SCHEMES


def _text_token(content: str, level: int) -> Token:
    token = Token("text", "", 0)
    token.content = content
    token.level = level
    return token


def _mention_token(name: str, user_id: int | None, level: int) -> Token:
    token = Token("mention", "span", 0)
    token.content = f"@{name}"
    token.meta = {"user_id": user_id}
    token.level = level
    return token


def _split_text(token: Token, env: MutableMapping[str, Any]) -> list[Token]:
    """``token`` cut into text and mentions; records mentions in ``env``."""
    members: Mapping[str, int] = env.get("members", {})
    pieces: list[Token] = []
    text = token.content
    position = 0
    for match in _MENTION.finditer(text):
        name = match.group("name")
        key = name.lower()
        if key == ROOM_MENTION:
            env["mentions_room"] = True
            replacement = _mention_token(name, None, token.level)
        else:
            env["usernames"].add(key)
            if key not in members:
                continue
            replacement = _mention_token(name, members[key], token.level)
        if match.start() > position:
            pieces.append(_text_token(text[position : match.start()], token.level))
        pieces.append(replacement)
        position = match.end()
    if not pieces:
        return [token]
    if position < len(text):
        pieces.append(_text_token(text[position:], token.level))
    return pieces


def _chat_inline(state: StateCore) -> None:
    """Core rule: mentions in text outside links (bare URLs are linkify's). It runs before
    markdown-it joins escaped characters into the text around them, so ``\\@name`` is never a
    mention."""
    state.env.setdefault("usernames", set())
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        link_depth = 0
        for child in block.children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            if child.type == "text" and link_depth == 0:
                children.extend(_split_text(child, state.env))
            else:
                children.append(child)
        block.children = children


def _render_mention(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    user_id = token.meta.get("user_id")
    content = html.escape(token.content)
    if user_id is None:
        return f'<span class="mention mention-room">{content}</span>'
    return f'<span class="mention" data-user-id="{int(user_id)}">{content}</span>'


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """An image becomes a link to it, labelled with its alt text (or its URL)."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    label = self.renderInlineAsText(token.children or [], options, env) or src
    return f'<a href="{html.escape(src)}">{html.escape(label)}</a>'


def _build_parser() -> MarkdownIt:
    # Chat shows "[ ]" as written: its sanitizer keeps no checkboxes.
    parser = markdown_parser(breaks=True, task_lists=False, validate_link=_safe_link)
    parser.core.ruler.before("text_join", "chat_inline", _chat_inline)
    parser.add_render_rule("mention", _render_mention)
    parser.add_render_rule("image", _render_image)
    return parser


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "code" and attribute == "class":
        return value if _LANGUAGE_CLASS.match(value) else None
    if tag == "span" and attribute == "class":
        return value if value in {"mention", "mention mention-room"} else None
    if tag == "span" and attribute == "data-user-id":
        return value if value.isdigit() else None
    return value


_PARSER = _build_parser()
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    attribute_filter=_keep_attribute,
    url_schemes=set(SAFE_SCHEMES),
    url_relative="deny",
    link_rel="nofollow noopener noreferrer",
    set_tag_attribute_values={"a": {"target": "_blank"}},
    strip_comments=True,
)


def find_mentions(body: str) -> Mentions:
    """The usernames (lower-cased, members or not) and ``@room`` that ``body`` mentions."""
    env: dict[str, Any] = {"usernames": set(), "mentions_room": False}
    _PARSER.parse(body, env)
    return Mentions(usernames=frozenset(env["usernames"]), room=bool(env["mentions_room"]))


def render(body: str, *, members: Mapping[str, int] | None = None) -> str:
    """The sanitized HTML of a Markdown ``body``. ``members`` maps the lower-cased usernames
    that may be mentioned to their user ids; any other ``@name`` stays text."""
    env: dict[str, Any] = {"usernames": set(), "members": members or {}}
    return _CLEANER.clean(_PARSER.render(body, env)).strip()


def render_plain(text: str) -> str:
    """``text`` as one escaped paragraph, with no Markdown (for system messages, whose text
    holds names that must not be read as markup)."""
    return f"<p>{html.escape(text, quote=False)}</p>"
