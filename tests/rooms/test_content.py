"""Reading and writing document content as the editors store it (rooms.documents.content.tree
and rooms.documents.content.render), against documents written by the real yjs package the way
y-prosemirror writes a Tiptap editor's content (fixtures/prosemirror_docs.mjs)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pycrdt import Doc, Map, XmlElement, XmlFragment, XmlText

from rooms.documents.content import tree as content
from rooms.documents.content.links import safe_href, safe_image_src
from rooms.documents.content.render import document_html, document_markdown, document_text

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = json.loads((FIXTURES / "prosemirror_docs.json").read_text())
FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


def rich_doc() -> Doc:
    return content.load(bytes.fromhex(FIXTURE["rich"]["update"]))


def without_null_attrs(node: dict[str, Any]) -> dict[str, Any]:
    """A node as y-prosemirror stores it: null node attributes are never written."""
    node = dict(node)
    if "attrs" in node:
        node["attrs"] = {key: value for key, value in node["attrs"].items() if value is not None}
        if not node["attrs"]:
            del node["attrs"]
    if "content" in node:
        node["content"] = [without_null_attrs(child) for child in node["content"]]
    return node


def marks_sorted(node: dict[str, Any]) -> dict[str, Any]:
    """Marks are a set: Yjs lists them in the order it keeps the formatting attributes."""
    node = dict(node)
    if "marks" in node:
        node["marks"] = content.sort_marks(node["marks"])
    if "content" in node:
        node["content"] = [marks_sorted(child) for child in node["content"]]
    return node


def read_with_yjs(updates: list[bytes]) -> dict[str, Any]:
    """What the real yjs package (as y-prosemirror reads it) makes of these updates."""
    result = subprocess.run(
        ["node", str(FIXTURES / "yjs_reader.cjs")],
        input=json.dumps([update.hex() for update in updates]),
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "COLLAB_FRONTEND": str(FRONTEND)},
        check=True,
    )
    return json.loads(result.stdout)


def test_tiptap_document_reads_as_the_prosemirror_json_the_editor_had():
    assert content.text_document_json(rich_doc()) == without_null_attrs(FIXTURE["rich"]["json"])


def test_whiteboard_reads_as_json_with_whole_numbers_as_integers():
    board = content.load(bytes.fromhex(FIXTURE["whiteboard"]["update"]))

    assert content.whiteboard_json(board) == {
        "arrow-1": {"kind": "arrow", "locked": False, "points": [[0, 0], [5, 8]]},
        "rect-1": {"kind": "rect", "label": "Zoë", "x": 10, "y": 20.5},
    }
    assert content.whiteboard_json(board) == FIXTURE["whiteboard"]["json"]


def test_a_log_of_typing_edits_reads_as_the_final_text():
    doc = content.load(None, [bytes.fromhex(update) for update in FIXTURE["edited"]["log"]])

    assert content.text_document_json(doc) == {
        "type": "doc",
        "content": [
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "Jello "},
                    {"type": "text", "text": "wörld", "marks": [{"type": "bold"}]},
                ],
            },
            {"type": "paragraph", "content": [{"type": "text", "text": "Last"}]},
        ],
    }


def test_plain_text_has_one_entry_per_text_block():
    assert document_text(content.text_document_json(rich_doc())) == (
        "Grüße 🌍 plan\n\n"
        "Plain bold it both gone x < y and a link\nnext line\n\n"
        "one\n\ntwo\n\nnested\n\nthree\n\nfour\n\ndone\n\ntodo\n\n"
        "quoted *stars*\n\n"
        "def f():\n    return 1 < 2\n\n"
        "Unsafe <script>alert(1)</script> & [brackets] bad link"
    )


def test_markdown_of_every_tiptap_node_and_mark():
    assert document_markdown(content.text_document_json(rich_doc())) == (
        "# Grüße 🌍 plan\n\n"
        "Plain **bold** *it* ***both*** ~~gone~~ `x < y` and a "
        "[link](https://example.com/a?b=1&c=2)\\\nnext line\n\n"
        "- one\n- two\n\n  - nested\n\n"
        "3. three\n4. four\n\n"
        "- [x] done\n- [ ] todo\n\n"
        "> quoted \\*stars\\*\n\n"
        "```python\ndef f():\n    return 1 < 2\n```\n\n"
        "---\n\n"
        "Unsafe \\<script\\>alert(1)\\</script\\> & \\[brackets\\] bad link\n"
    )


def test_html_is_built_from_known_tags_with_text_escaped_and_unsafe_links_dropped():
    assert document_html(content.text_document_json(rich_doc())) == (
        "<h1>Grüße 🌍 plan</h1>"
        "<p>Plain <strong>bold</strong> <em>it</em> <strong><em>both</em></strong> "
        "<s>gone</s> <code>x &lt; y</code> and a "
        '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" '
        'rel="noopener noreferrer nofollow">link</a><br>next line</p>'
        "<ul><li><p>one</p></li><li><p>two</p><ul><li><p>nested</p></li></ul></li></ul>"
        '<ol start="3"><li><p>three</p></li><li><p>four</p></li></ol>'
        '<ul data-type="taskList">'
        '<li data-type="taskItem" data-checked="true"><label>'
        '<input type="checkbox" disabled checked></label><div><p>done</p></div></li>'
        '<li data-type="taskItem" data-checked="false"><label>'
        '<input type="checkbox" disabled></label><div><p>todo</p></div></li></ul>'
        "<blockquote><p>quoted *stars*</p></blockquote>"
        '<pre><code class="language-python">def f():\n    return 1 &lt; 2</code></pre>'
        "<hr>"
        "<p>Unsafe &lt;script&gt;alert(1)&lt;/script&gt; &amp; [brackets] bad link</p>"
        "<p></p>"
    )


def test_html_never_carries_attributes_from_the_document_unchecked():
    document = {
        "type": "doc",
        "content": [
            {"type": "heading", "attrs": {"level": '1 onclick="x"'}, "content": []},
            {"type": "codeBlock", "attrs": {"language": '"><script>'}},
            {"type": "orderedList", "attrs": {"start": '2" onload="x'}},
            {
                "type": "iframe",
                "attrs": {"src": "https://evil"},
                "content": [
                    {
                        "type": "text",
                        "text": "kept",
                        "marks": [{"type": "span", "attrs": {"style": "x"}}],
                    }
                ],
            },
        ],
    }

    assert document_html(document) == "<h1></h1><pre><code></code></pre><ol></ol>kept"


def test_html_of_tables_images_and_mentions_keeps_only_checked_attributes():
    document = {
        "type": "doc",
        "content": [
            {
                "type": "table",
                "content": [
                    {
                        "type": "tableRow",
                        "content": [
                            {
                                "type": "tableHeader",
                                "attrs": {"colspan": 2, "rowspan": 1, "colwidth": [100, 50]},
                                "content": [{"type": "paragraph", "content": [text("<h>")]}],
                            },
                            {
                                "type": "tableCell",
                                "attrs": {"colspan": '2" onclick="x', "rowspan": 3},
                                "content": [{"type": "paragraph"}],
                            },
                        ],
                    }
                ],
            },
            {
                "type": "image",
                "attrs": {"src": "/api/v1/documents/1/images/2", "alt": 'a "b"', "width": 320},
            },
            {"type": "image", "attrs": {"src": "https://example.com/i.png", "height": "1 x"}},
            {"type": "image", "attrs": {"src": "javascript:alert(1)", "alt": "gone"}},
            {"type": "image", "attrs": {"src": "data:image/svg+xml,<svg>", "alt": "gone"}},
            {
                "type": "paragraph",
                "content": [
                    text("hi "),
                    {"type": "mention", "attrs": {"id": '7"><script>', "label": "<bob>"}},
                ],
            },
        ],
    }

    assert document_html(document) == (
        '<table><tr><th colspan="2"><p>&lt;h&gt;</p></th><td rowspan="3"><p></p></td></tr></table>'
        '<img src="/api/v1/documents/1/images/2" alt="a &quot;b&quot;" width="320">'
        '<img src="https://example.com/i.png">'
        '<p>hi <span class="mention" data-type="mention" data-id="7&quot;&gt;&lt;script&gt;" '
        'data-label="&lt;bob&gt;">@&lt;bob&gt;</span></p>'
    )


@pytest.mark.parametrize(
    ("src", "safe"),
    [
        ("/api/v1/documents/1/images/2", "/api/v1/documents/1/images/2"),
        ("https://example.com/d.png", "https://example.com/d.png"),
        ("data:image/png;base64,AAAA", None),
        ("javascript:alert(1)", None),
        ("mailto:a@example.com", None),
        ("", None),
    ],
)
def test_safe_image_src_keeps_only_http_and_this_site(src, safe):
    assert safe_image_src(src) == safe


@pytest.mark.parametrize(
    ("href", "safe"),
    [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("http://example.com", "http://example.com"),
        ("mailto:someone@example.com", "mailto:someone@example.com"),
        ("/rooms/1", "/rooms/1"),
        ("#section", "#section"),
        ("relative/page", "relative/page"),
        ("javascript:alert(1)", None),
        (" JaVa\tScRiPt:alert(1)", None),
        ("java\x00script:alert(1)", None),
        ("data:text/html,<script>", None),
        ("vbscript:msgbox", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_href_keeps_only_addresses_a_browser_will_not_run(href, safe):
    assert safe_href(href) == safe


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("", []),
        ("\n\n", []),
        ("one", [{"type": "paragraph", "content": [{"type": "text", "text": "one"}]}]),
        (
            "one\r\n\r\n\n two",
            [
                {"type": "paragraph", "content": [{"type": "text", "text": "one"}]},
                {"type": "paragraph", "content": [{"type": "text", "text": " two"}]},
            ],
        ),
        (
            "line\nnext",
            [
                {
                    "type": "paragraph",
                    "content": [
                        {"type": "text", "text": "line"},
                        {"type": "hardBreak"},
                        {"type": "text", "text": "next"},
                    ],
                }
            ],
        ),
    ],
)
def test_plain_text_becomes_paragraphs_split_on_blank_lines(text, blocks):
    assert content.paragraphs_from_text(text) == blocks


def test_plain_text_written_reads_back_the_same():
    text = "Grüße 🌍\nsecond line\n\nnext paragraph"
    doc = Doc()
    content.replace_blocks(doc, content.paragraphs_from_text(text))

    assert document_text(content.text_document_json(doc)) == text


def test_appending_after_multibyte_text_keeps_every_character():
    doc = rich_doc()
    before = doc.get_state()
    update = content.append_blocks(doc, content.paragraphs_from_text("Ünïcödé 🎉 end"))
    copy = rich_doc()
    copy.apply_update(update)

    assert doc.get_update(before) == update
    assert content.text_document_json(copy)["content"][-1] == {
        "type": "paragraph",
        "content": [{"type": "text", "text": "Ünïcödé 🎉 end"}],
    }
    assert (
        content.text_document_json(copy)["content"][:-1]
        == without_null_attrs(FIXTURE["rich"]["json"])["content"]
    )


def test_replace_leaves_exactly_the_given_blocks():
    doc = rich_doc()
    blocks = [
        {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "New"}]}
    ]
    update = content.replace_blocks(doc, blocks)
    copy = rich_doc()
    copy.apply_update(update)

    assert content.text_document_json(copy) == {"type": "doc", "content": blocks}


def test_what_the_server_writes_reads_the_same_in_the_real_yjs():
    doc = Doc()
    expected = without_null_attrs(FIXTURE["rich"]["json"])
    first = content.replace_blocks(doc, expected["content"])
    second = content.append_blocks(doc, content.paragraphs_from_text("Grüße 🌍 after"))

    read = marks_sorted(read_with_yjs([first, second])["doc"])

    assert read == content.text_document_json(doc)
    assert read["content"][:-1] == expected["content"]
    assert read["content"][-1] == {
        "type": "paragraph",
        "content": [{"type": "text", "text": "Grüße 🌍 after"}],
    }


def test_whiteboard_shapes_replaced_from_another_document_read_the_same_in_yjs():
    source = content.load(bytes.fromhex(FIXTURE["whiteboard"]["update"]))
    doc = Doc()
    shapes = doc.get("shapes", type=Map)
    shapes["stale"] = {"kind": "circle"}
    shapes["rect-1"] = Map({"kind": "rect", "x": 1})
    base = doc.get_update()

    update = content.replace_shapes(doc, source)

    assert content.whiteboard_json(doc) == FIXTURE["whiteboard"]["json"]
    assert read_with_yjs([base, update])["shapes"] == FIXTURE["whiteboard"]["json"]
    assert isinstance(doc.get("shapes", type=Map)["rect-1"], Map)


def test_unknown_elements_and_hashed_mark_names_are_read_like_y_prosemirror_reads_them():
    doc = Doc()
    fragment = doc.get("default", type=XmlFragment)
    with doc.transaction():
        mention = fragment.children.append(XmlElement("callout", {"tone": "warn"}))
        text = mention.children.append(XmlText())
        text.insert(0, "note", {"comment--a1b2c3d4": {"id": 7}, "bold": None})
        fragment.children.append(XmlText("loose words"))

    assert content.text_document_json(doc) == {
        "type": "doc",
        "content": [
            {
                "type": "callout",
                "attrs": {"tone": "warn"},
                "content": [
                    {
                        "type": "text",
                        "text": "note",
                        "marks": [{"type": "comment", "attrs": {"id": 7}}],
                    }
                ],
            },
            {"type": "paragraph", "content": [{"type": "text", "text": "loose words"}]},
        ],
    }


def test_hostile_nesting_is_cut_off_where_it_is_read_not_a_crash():
    doc = Doc()
    fragment = doc.get("default", type=XmlFragment)
    shapes = doc.get("shapes", type=Map)
    with doc.transaction():
        parent = fragment.children.append(XmlElement("blockquote"))
        for _ in range(3000):
            parent = parent.children.append(XmlElement("blockquote"))
        inner = shapes["deep"] = Map({})
        for _ in range(3000):
            inner["next"] = Map({})
            inner = inner["next"]

    document = content.text_document_json(doc)
    depth, node = 0, document["content"][0]
    while "content" in node:
        depth, node = depth + 1, node["content"][0]
    shape, shape_depth = content.whiteboard_json(doc)["deep"], 0
    while isinstance(shape, dict):
        shape, shape_depth = shape["next"], shape_depth + 1

    assert depth == content.MAX_NESTING
    assert shape_depth == content.MAX_NESTING + 1  # maps at nesting 0 to MAX_NESTING
    assert document_html(document).count("<blockquote>") == content.MAX_NESTING + 1
    assert document_markdown(document).startswith("> > > ")
