"""Markdown read into Tiptap's ProseMirror JSON (rooms.documents.content.markdown and
markdown_inline),
and documents written as Markdown, as Yjs and back again unchanged."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc

from rooms.documents.content import tree as content
from rooms.documents.content.markdown import MAX_DEPTH, MarkdownTooDeep, parse, parse_inline
from rooms.documents.content.render import document_markdown
from tests.rooms.document_nodes import cell, image, link, paragraph, row, text


@pytest.mark.parametrize(
    ("source", "inline"),
    [
        ("plain", [text("plain")]),
        (
            "**b** *i* _j_ ~~s~~ `c`",
            [
                text("b", "bold"),
                text(" "),
                text("i", "italic"),
                text(" "),
                text("j", "italic"),
                text(" "),
                text("s", "strike"),
                text(" "),
                text("c", "code"),
            ],
        ),
        ("***both***", [text("both", "bold", "italic")]),
        ("**a*", [text("*"), text("a", "italic")]),
        ("***a** b*", [text("a", "bold", "italic"), text(" b", "italic")]),
        ("in**ner**word", [text("in"), text("ner", "bold"), text("word")]),
        ("snake_case_name", [text("snake_case_name")]),
        ("a * b * c", [text("a * b * c")]),
        ("\\*not\\* \\_em\\_", [text("*not* _em_")]),
        ("``a ` b``", [text("a ` b", "code")]),
        ("`` `x` ``", [text("`x`", "code")]),
        ("`open", [text("`open")]),
        (
            "[site](https://example.com/a_(b)) x",
            [
                text("site", link("https://example.com/a_(b)")),
                text(" x"),
            ],
        ),
        (
            '[**bold** link](</a b> "title")',
            [
                text("bold", link("/a%20b"), "bold"),
                text(" link", link("/a%20b")),
            ],
        ),
        ("[not a link] [x]", [text("[not a link] [x]")]),
        ("<https://example.com/x>", [text("https://example.com/x", link("https://example.com/x"))]),
        ("[run](javascript:alert(1))", [text("run")]),
        ("&amp; &copy; &nope;", [text("& © &nope;")]),
        ("soft\nbreak", [text("soft break")]),
        (
            "hard  \nbreak\\\nagain",
            [
                text("hard"),
                {"type": "hardBreak"},
                text("break"),
                {"type": "hardBreak"},
                text("again"),
            ],
        ),
        ("<b>raw html</b>", [text("<b>raw html</b>")]),
    ],
)
def test_inline_markdown(source, inline):
    assert parse_inline(source) == inline


@pytest.mark.parametrize(
    ("source", "blocks"),
    [
        ("", []),
        (
            "# One\n## Two ##\n###### Six",
            [
                {"type": "heading", "attrs": {"level": 1}, "content": [text("One")]},
                {"type": "heading", "attrs": {"level": 2}, "content": [text("Two")]},
                {"type": "heading", "attrs": {"level": 6}, "content": [text("Six")]},
            ],
        ),
        (
            "Setext\n===\n\nTwo\n---",
            [
                {"type": "heading", "attrs": {"level": 1}, "content": [text("Setext")]},
                {"type": "heading", "attrs": {"level": 2}, "content": [text("Two")]},
            ],
        ),
        (
            "a\n\n---\n\n***",
            [
                paragraph(text("a")),
                {"type": "horizontalRule"},
                {"type": "horizontalRule"},
            ],
        ),
        (
            "- one\n- two\n  - nested\n\n  more",
            [
                {
                    "type": "bulletList",
                    "content": [
                        {"type": "listItem", "content": [paragraph(text("one"))]},
                        {
                            "type": "listItem",
                            "content": [
                                paragraph(text("two")),
                                {
                                    "type": "bulletList",
                                    "content": [
                                        {
                                            "type": "listItem",
                                            "content": [paragraph(text("nested"))],
                                        },
                                    ],
                                },
                                paragraph(text("more")),
                            ],
                        },
                    ],
                },
            ],
        ),
        (
            "7. seven\n8) other list",
            [
                {
                    "type": "orderedList",
                    "attrs": {"start": 7},
                    "content": [
                        {"type": "listItem", "content": [paragraph(text("seven"))]},
                    ],
                },
                {
                    "type": "orderedList",
                    "attrs": {"start": 8},
                    "content": [
                        {"type": "listItem", "content": [paragraph(text("other list"))]},
                    ],
                },
            ],
        ),
        (
            "- [ ] todo\n- [X] done",
            [
                {
                    "type": "taskList",
                    "content": [
                        {
                            "type": "taskItem",
                            "attrs": {"checked": False},
                            "content": [paragraph(text("todo"))],
                        },
                        {
                            "type": "taskItem",
                            "attrs": {"checked": True},
                            "content": [paragraph(text("done"))],
                        },
                    ],
                },
            ],
        ),
        (
            "- [ ] task\n- plain",
            [
                {
                    "type": "bulletList",
                    "content": [
                        {"type": "listItem", "content": [paragraph(text("[ ] task"))]},
                        {"type": "listItem", "content": [paragraph(text("plain"))]},
                    ],
                },
            ],
        ),
        (
            "> quoted\nlazy\n> > deeper",
            [
                {
                    "type": "blockquote",
                    "content": [
                        paragraph(text("quoted lazy")),
                        {"type": "blockquote", "content": [paragraph(text("deeper"))]},
                    ],
                },
            ],
        ),
        (
            "```py extra\nx = 1\n\n```\n~~~\nno close",
            [
                {"type": "codeBlock", "attrs": {"language": "py"}, "content": [text("x = 1\n")]},
                {"type": "codeBlock", "content": [text("no close")]},
            ],
        ),
        (
            "    indented\n    code\n\nafter",
            [
                {"type": "codeBlock", "content": [text("indented\ncode")]},
                paragraph(text("after")),
            ],
        ),
        (
            "para\n# heading\n- list",
            [
                paragraph(text("para")),
                {"type": "heading", "attrs": {"level": 1}, "content": [text("heading")]},
                {
                    "type": "bulletList",
                    "content": [
                        {"type": "listItem", "content": [paragraph(text("list"))]},
                    ],
                },
            ],
        ),
        (
            "in\n2019. a year\n\n#hashtag",
            [paragraph(text("in 2019. a year")), paragraph(text("#hashtag"))],
        ),
        (
            "-\n- b",
            [
                {
                    "type": "bulletList",
                    "content": [
                        {"type": "listItem", "content": [{"type": "paragraph"}]},
                        {"type": "listItem", "content": [paragraph(text("b"))]},
                    ],
                },
            ],
        ),
        (
            "| a | *b* |\n|:-|-:|\n| 1 | `x\\|y` |\n| only |",
            [
                {
                    "type": "table",
                    "content": [
                        row(
                            cell("tableHeader", paragraph(text("a"))),
                            cell("tableHeader", paragraph(text("b", "italic"))),
                        ),
                        row(
                            cell("tableCell", paragraph(text("1"))),
                            cell("tableCell", paragraph(text("x|y", "code"))),
                        ),
                        row(
                            cell("tableCell", paragraph(text("only"))),
                            cell("tableCell", {"type": "paragraph"}),
                        ),
                    ],
                },
            ],
        ),
        (
            'See ![a *diagram*](https://example.com/d.png "The plan") here\n\n![](/x.png)',
            [
                paragraph(text("See")),
                image("https://example.com/d.png", alt="a diagram", title="The plan"),
                paragraph(text("here")),
                image("/x.png"),
            ],
        ),
        (
            "# Plan ![p](/p.png) v2",
            [
                {"type": "heading", "attrs": {"level": 1}, "content": [text("Plan  v2")]},
                image("/p.png", alt="p"),
            ],
        ),
        (
            "![run](javascript:alert(1)) ![data](data:image/png;base64,AAAA)",
            [paragraph(text("run data"))],
        ),
        (
            "[![logo](/l.png)](https://example.com)",
            [image("/l.png", alt="logo")],
        ),
        (
            "1. [x] done\n2. [ ] open",
            [
                {
                    "type": "orderedList",
                    "attrs": {"start": 1},
                    "content": [
                        {"type": "listItem", "content": [paragraph(text("[x] done"))]},
                        {"type": "listItem", "content": [paragraph(text("[ ] open"))]},
                    ],
                },
            ],
        ),
        (
            "- [ ] \n- [x] nested\n  - [ ] inner",
            [
                {
                    "type": "taskList",
                    "content": [
                        {
                            "type": "taskItem",
                            "attrs": {"checked": False},
                            "content": [{"type": "paragraph"}],
                        },
                        {
                            "type": "taskItem",
                            "attrs": {"checked": True},
                            "content": [
                                paragraph(text("nested")),
                                {
                                    "type": "taskList",
                                    "content": [
                                        {
                                            "type": "taskItem",
                                            "attrs": {"checked": False},
                                            "content": [paragraph(text("inner"))],
                                        }
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        ),
        (
            "<div>\n*hi*\n</div>\n\n<!-- note -->",
            [
                paragraph(text("<div> "), text("hi", "italic"), text(" </div>")),
                paragraph(text("<!-- note -->")),
            ],
        ),
        (
            "see https://example.com/a. and www.example.com or bob@example.com",
            [
                paragraph(
                    text("see "),
                    text("https://example.com/a", link("https://example.com/a")),
                    text(". and www.example.com or bob@example.com"),
                ),
            ],
        ),
        (
            "[ref][1]\n\n[1]: https://example.com/r 'title'",
            [paragraph(text("ref", link("https://example.com/r")))],
        ),
    ],
)
def test_block_markdown(source, blocks):
    assert parse(source) == blocks


@pytest.mark.parametrize(
    "deep",
    [">" * (MAX_DEPTH + 1) + " deep", "- " * MAX_DEPTH + "deep", "> - " * MAX_DEPTH + "deep"],
    ids=["quotes", "lists", "quotes-and-lists"],
)
def test_nesting_deeper_than_the_limit_is_refused_not_cut_short(deep):
    with pytest.raises(MarkdownTooDeep):
        parse(deep)


def test_nesting_up_to_the_limit_keeps_every_word():
    blocks = parse(">" * (MAX_DEPTH - 1) + " deep")
    depth = 0
    node = blocks[0]
    while node["type"] == "blockquote":
        depth += 1
        node = node["content"][0]

    assert depth == MAX_DEPTH - 1
    assert node == paragraph(text("deep"))


@pytest.mark.parametrize(
    "hostile",
    [
        "*a " * 10_000,
        "[" * 10_000 + "]" * 10_000,
        "**_" * 10_000,
        "`" * 3000 + "x",
        "| a " * 3000 + "\n" + "|-" * 3000 + "\n" + "| b " * 3000,
    ],
    ids=["openers", "brackets", "mixed-delimiters", "backtick-runs", "wide-table"],
)
def test_hostile_markdown_reads_back_the_same(hostile):
    # Their reading and writing time is measured by bench/markdown_hostile.py, not here.
    blocks = parse(hostile)
    assert blocks
    assert parse(document_markdown({"type": "doc", "content": blocks})) == blocks


# --- round trips ---------------------------------------------------------------------------

WORD = st.text(alphabet="abcxyzäßé", min_size=1, max_size=6)
# Words that need escaping somewhere, or a spelling of their marks that is not the first one
# (emphasis that starts or ends with punctuation next to a letter), or that would become links.
SYMBOL = st.sampled_from(
    [
        "*",
        "_",
        "**",
        "`",
        "[",
        "]",
        "#",
        "\\",
        "<b>",
        "&amp;",
        "~~",
        "1.",
        "2)",
        "-",
        "+",
        ">",
        "!",
        "(x)",
        "a*b",
        "snake_case",
        "=",
        "|",
        "https://example.com/x",
        "mailto:a@example.com",
        "//example.com",
        "&#32;",
    ]
)
HREF = st.sampled_from(
    ["https://example.com/a", "https://example.com/p(1)", "/a%20b", "mailto:x@example.com", "#top"]
)


def words(alphabet) -> st.SearchStrategy[str]:
    return st.lists(alphabet, min_size=1, max_size=4).map(" ".join)


@st.composite
def runs(draw, *, breaks: bool) -> list[dict]:
    """Inline content: text runs with marks, spaces between some, hard breaks between some."""
    pieces: list[dict] = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["plain", "marked", "code", "link"]))
        if kind == "plain":
            run = text(draw(words(st.one_of(WORD, SYMBOL))))
        elif kind == "code":
            code = draw(st.text(alphabet="ab`*_ <", min_size=1, max_size=6).filter(str.strip))
            marks = [link(draw(HREF))] if draw(st.booleans()) else []
            run = text(code.strip(), *marks, "code")
        else:
            marks = draw(
                st.lists(
                    st.sampled_from(["bold", "italic", "strike"]),
                    unique=True,
                    min_size=0 if kind == "link" else 1,
                )
            )
            if kind == "link":
                marks = [link(draw(HREF)), *marks]
            run = text(draw(words(st.one_of(WORD, SYMBOL))), *marks)
        run = {**run, "marks": content.sort_marks(run["marks"])} if "marks" in run else run
        if pieces:
            choices = ["space", "break", "none"] if breaks else ["space", "none"]
            separator = draw(st.sampled_from(choices))
            if separator == "space":
                pieces.append(text(" "))
            elif separator == "break":
                pieces.append({"type": "hardBreak"})
        pieces.append(run)
    return content.merge_text_nodes(pieces)


@st.composite
def blocks(draw, depth: int = 0) -> list[dict]:
    kinds = ["paragraph", "heading", "code", "rule"]
    if depth < 2:
        kinds += ["bullets", "ordered", "tasks", "quote"]
    result: list[dict] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(kinds))
        if kind == "paragraph":
            result.append(paragraph(*draw(runs(breaks=True))))
        elif kind == "heading":
            level = draw(st.integers(1, 6))
            result.append(
                {"type": "heading", "attrs": {"level": level}, "content": draw(runs(breaks=False))}
            )
        elif kind == "code":
            lines = draw(st.lists(st.text(alphabet="ab `~#*-", max_size=8), min_size=1, max_size=3))
            node = {"type": "codeBlock"}
            if draw(st.booleans()):
                node["attrs"] = {"language": draw(st.sampled_from(["python", "js", "c++"]))}
            if "\n".join(lines):
                node["content"] = [text("\n".join(lines))]
            result.append(node)
        elif kind == "rule":
            result.append({"type": "horizontalRule"})
        elif kind == "quote":
            result.append({"type": "blockquote", "content": draw(blocks(depth + 1))})
        else:
            items = []
            for _ in range(draw(st.integers(1, 3))):
                body = [paragraph(*draw(runs(breaks=True)))]
                if draw(st.booleans()):
                    body += draw(blocks(depth + 1))
                if kind == "tasks":
                    items.append(
                        {
                            "type": "taskItem",
                            "attrs": {"checked": draw(st.booleans())},
                            "content": body,
                        }
                    )
                else:
                    items.append({"type": "listItem", "content": body})
            node = {
                "type": {"bullets": "bulletList", "ordered": "orderedList", "tasks": "taskList"}[
                    kind
                ]
            }
            if kind == "ordered":
                node["attrs"] = {"start": draw(st.integers(0, 12))}
            node["content"] = items
            result.append(node)
    return result


# Derandomized so that a CI run cannot fail by chance; a random search of 3,000 examples found
# nothing when this was written.
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(blocks())
def test_a_document_written_as_markdown_reads_back_the_same(document_blocks):
    markdown = document_markdown({"type": "doc", "content": document_blocks})

    assert parse(markdown) == document_blocks, markdown


def test_adjacent_emphasis_runs_read_back_the_same():
    heading = {
        "type": "heading",
        "attrs": {"level": 1},
        "content": [
            {"type": "text", "text": "a", "marks": [{"type": "italic"}]},
            {"type": "text", "text": "a", "marks": [{"type": "bold"}]},
            {"type": "text", "text": "a", "marks": [{"type": "bold"}, {"type": "italic"}]},
        ],
    }
    markdown = document_markdown({"type": "doc", "content": [heading]})

    assert parse(markdown) == [heading], markdown


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks())
def test_a_document_written_to_yjs_reads_back_the_same(document_blocks):
    doc = Doc()
    update = content.replace_blocks(doc, document_blocks)
    copy = Doc()
    copy.apply_update(update)

    assert content.text_document_json(copy) == {"type": "doc", "content": document_blocks}


@pytest.mark.parametrize(
    ("inline", "written"),
    [
        (
            [text("see "), text("https://example.com/a", link("https://example.com/a")), text(".")],
            "see https://example.com/a.\n",
        ),
        (
            [text("https://example.com/a", link("https://example.com/a")), text("bc")],
            "<https://example.com/a>bc\n",
        ),
        (
            [text("/rooms/1", link("/rooms/1"))],
            "[/rooms/1](/rooms/1)\n",
        ),
        (
            [text("https://example.com/a", link("https://example.com/a"), "bold")],
            "[**https://example.com/a**](https://example.com/a)\n",
        ),
        (
            [text("https://example.com/a")],
            "https\\:/\\/example.com/a\n",
        ),
    ],
    ids=["bare", "autolink", "relative", "marked", "not-a-link"],
)
def test_a_link_whose_words_are_its_address_is_written_as_the_address(inline, written):
    document = {"type": "doc", "content": [paragraph(*inline)]}

    assert document_markdown(document) == written
    assert parse(written) == document["content"]
