"""Chat Markdown: what renders, what is refused, and hostile input that must come out inert."""

from __future__ import annotations

import re

import pytest

from rooms.chat.markdown import Mentions, find_mentions, render, render_plain

LINK_ATTRIBUTES = 'target="_blank" rel="nofollow noopener noreferrer"'


def test_plain_text_is_one_paragraph():
    assert render("hello") == "<p>hello</p>"


def test_emphasis_code_and_strikethrough_render():
    assert render("**b** _i_ `c` ~~s~~") == (
        "<p><strong>b</strong> <em>i</em> <code>c</code> <s>s</s></p>"
    )


def test_single_newline_is_a_line_break():
    assert render("one\ntwo") == "<p>one<br>\ntwo</p>"


def test_fenced_code_keeps_its_language_class_and_escapes_its_content():
    assert render("```python\nif a < b: pass\n```") == (
        '<pre><code class="language-python">if a &lt; b: pass\n</code></pre>'
    )


def test_links_open_in_a_new_tab_without_referrer():
    assert render("[docs](https://example.com/a?b=1&c=2)") == (
        f'<p><a href="https://example.com/a?b=1&amp;c=2" {LINK_ATTRIBUTES}>docs</a></p>'
    )


def test_bare_urls_become_links_without_trailing_punctuation():
    assert render("see https://example.com/x.") == (
        f'<p>see <a href="https://example.com/x" {LINK_ATTRIBUTES}>https://example.com/x</a>.</p>'
    )


def test_mailto_links_are_kept():
    assert render("[mail](mailto:a@example.com)") == (
        f'<p><a href="mailto:a@example.com" {LINK_ATTRIBUTES}>mail</a></p>'
    )


def test_images_are_links_never_embedded():
    html = render("![a cat](https://example.com/cat.png)")
    assert html == f'<p><a href="https://example.com/cat.png" {LINK_ATTRIBUTES}>a cat</a></p>'
    assert "<img" not in html


@pytest.mark.parametrize(
    "body",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "[x](file:///etc/passwd)",
        "[x](/admin/)",
        "[x](//evil.example.com)",
        "<javascript:alert(1)>",
    ],
)
def test_links_other_than_http_https_mailto_stay_text(body):
    html = render(body)
    assert "href" not in html
    assert "<a" not in html


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="https://example.com" onclick="alert(1)">x</a>',
        '<div style="position:fixed">x</div>',
        "<iframe src=https://example.com></iframe>",
        "<svg onload=alert(1)>",
        "<!-- comment --><b>x</b>",
    ],
)
def test_raw_html_is_shown_as_text(body):
    html = render(body)
    assert re.search(r"<(script|img|iframe|svg|div|b)\b", html) is None
    assert "&lt;" in html


@pytest.mark.parametrize(
    "body",
    [
        '[x](https://example.com/" onmouseover="alert(1))',
        "[x](https://example.com \"t\" onmouseover='alert(1)')",
        '![x" onerror="alert(1)](https://example.com/i.png)',
        "**[x](javascript:alert(1))**",
        "> [x](javascript:alert(1))",
        "- [x](javascript:alert(1))",
        "[[x](javascript:alert(1))](https://example.com)",
        "[x](https://example.com)<img src=x onerror=alert(1)>",
        "`<script>`",
        '| a |\n|---|\n| <img src=x onerror="alert(1)"> |',
    ],
)
def test_hostile_markdown_yields_no_handler_script_or_style(body):
    html = render(body)
    assert re.search(r"<[^>]*\son\w+\s*=", html) is None
    assert re.search(r"<\s*(script|img|iframe|style)", html) is None
    assert "style=" not in html
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)


def test_deeply_nested_markdown_renders_without_error_and_stays_bounded():
    body = "> " * 5000 + "deep" + "\n" + "*" * 5000 + "[" * 5000
    html = render(body)
    assert html.count("<blockquote>") <= 20


def test_table_alignment_style_is_dropped():
    html = render("| a |\n|--:|\n| 1 |")
    assert "<td>1</td>" in html
    assert "style" not in html


def test_mentions_of_members_render_with_their_ids():
    html = render("hi @Bob and @room", members={"bob": 7})
    assert html == (
        '<p>hi <span class="mention" data-user-id="7">@Bob</span> and '
        '<span class="mention mention-room">@room</span></p>'
    )


def test_mention_of_a_non_member_stays_text():
    assert render("hi @carol", members={"bob": 7}) == "<p>hi @carol</p>"


def test_find_mentions_lowercases_names_and_notes_room():
    assert find_mentions("@Bob, @alice_b. and @room!") == Mentions(
        usernames=frozenset({"bob", "alice_b"}), room=True
    )


@pytest.mark.parametrize(
    "body",
    [
        "`@bob`",
        "```\n@bob\n```",
        "    @bob",
        "mail bob@example.com",
        "\\@bob",
        "[@bob](https://example.com)",
    ],
)
def test_mentions_are_not_found_in_code_addresses_escapes_or_link_text(body):
    assert find_mentions(body) == Mentions(usernames=frozenset(), room=False)
    assert "mention" not in render(body, members={"bob": 7})


def test_system_text_is_escaped_and_not_markdown():
    assert render_plain("**x** <b>y</b> & _z_") == "<p>**x** &lt;b&gt;y&lt;/b&gt; &amp; _z_</p>"
