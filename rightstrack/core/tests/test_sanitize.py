"""The one allow-list: XSS vectors go, allowed formatting stays, typed text keeps paragraphs."""

import pytest
from django.template import Context, Template

from rightstrack.core.sanitize import (
    html_to_lines,
    rich_text_for_editing,
    rich_text_from_input,
    sanitize_html,
)

XSS_VECTORS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">link</a>',
    '<p onclick="alert(1)">text</p>',
    '<p style="background:url(javascript:alert(1))">text</p>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"></svg>',
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    '<form action="https://evil.example"><input name="a"></form>',
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_it_strips_xss_vectors(vector):
    cleaned = sanitize_html(vector).lower()

    for dangerous in ("<script", "onerror", "onclick", "onload", "javascript:", "data:", "style"):
        assert dangerous not in cleaned
    for tag in ("<img", "<iframe", "<svg", "<math", "<form", "<input"):
        assert tag not in cleaned


def test_it_keeps_allowed_formatting():
    html = (
        "<h3>Focus</h3><h4>Sub</h4><p>One <strong>bold</strong> <em>word</em>, <b>b</b> "
        "<i>i</i><br></p><ul><li>a</li></ul><ol><li>b</li></ol><blockquote>quoted</blockquote>"
    )

    assert sanitize_html(html) == html


def test_it_keeps_safe_links_and_marks_them_noopener():
    cleaned = sanitize_html('<a href="https://ohchr.org" target="_blank" rel="opener">OHCHR</a>')

    assert cleaned == '<a href="https://ohchr.org" rel="noopener noreferrer nofollow">OHCHR</a>'
    assert 'href="mailto:a@b.org"' in sanitize_html('<a href="mailto:a@b.org">mail</a>')


def test_it_never_lets_h2_break_the_page_outline():
    assert sanitize_html("<h2>Title</h2>") == "Title"


def test_it_is_idempotent_so_stored_text_compares_equal():
    once = sanitize_html('<p>A <a href="http://x.org">link</a><script>x</script></p>')

    assert sanitize_html(once) == once


def test_it_turns_typed_text_into_paragraphs_and_escapes_it():
    assert rich_text_from_input("One & two\nthree\n\nFour") == (
        "<p>One &amp; two<br>three</p>\n\n<p>Four</p>"
    )


def test_it_keeps_typed_paragraphs_around_inline_markup():
    assert rich_text_from_input("A <strong>b</strong>\n\nC") == (
        "<p>A <strong>b</strong></p>\n\n<p>C</p>"
    )


def test_it_cleans_markup_typed_with_blocks_as_it_is():
    assert rich_text_from_input("<p>A</p><script>x</script><ul><li>b</li></ul>") == (
        "<p>A</p><ul><li>b</li></ul>"
    )


def test_it_gives_back_the_typed_text_for_editing():
    typed = "One & two\nthree\n\nFour"

    assert rich_text_for_editing(rich_text_from_input(typed)) == typed
    assert rich_text_for_editing("<ul><li>a</li></ul>") == "<ul><li>a</li></ul>"


def test_it_turns_rich_text_into_plain_lines():
    stored = '<p>A &amp; B</p><ul><li>one</li><li><a href="https://x.org">site</a></li></ul>'

    assert html_to_lines(stored) == ["A & B", "• one", "• site (https://x.org)"]
    assert html_to_lines("") == []


def test_it_sanitises_again_when_a_page_shows_rich_text():
    template = Template("{% load rightstrack %}{{ value|rich_text }}")

    rendered = template.render(Context({"value": "<p>ok</p><script>alert(1)</script>"}))

    assert rendered == "<p>ok</p>"
