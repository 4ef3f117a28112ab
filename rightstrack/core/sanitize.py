"""The one definition of what rich text may contain, and the ways in and out of it.

Rich text is stored already cleaned (a presence's areas of focus, the narratives of progress
reports and independent assessments) and cleaned again when a page shows it, so a row written
around the services cannot inject markup.

The allow-list is the union of what those texts used before, minus nothing that was safe:
paragraphs, line breaks, lists, emphasis (``strong``/``em`` and their older ``b``/``i``),
block quotes, sub-headings ``h3``/``h4`` (pages own ``h1``/``h2``, so text cannot break their
outline) and links. Links keep only ``href`` with an http, https or mailto address and always
get ``rel="noopener noreferrer nofollow"``. Everything else goes: ``script`` and ``style`` with
their content, every other tag (its text stays), every ``on*``/``style`` attribute and
``javascript:``/``data:`` addresses.
"""

import html
import re

import nh3
from django.utils.html import linebreaks

ALLOWED_TAGS = frozenset(
    {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a", "blockquote", "h3", "h4"}
)
ALLOWED_ATTRIBUTES = {"a": frozenset({"href"})}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

_LOOKS_LIKE_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>\n]*)?/?>")
_TAG_NAME = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")
_BLOCK_TAG = re.compile(r"<\s*(p|ul|ol|blockquote|h3|h4)[\s>]", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\s*</p>\s*<p>\s*")
_BLOCK_END = re.compile(r"</(p|li|h3|h4|blockquote|ul|ol)\s*>|<br\s*/?>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)
_ANCHOR = re.compile(r"<a\s[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def looks_like_markup(text: str) -> bool:
    """Whether ``text`` holds a tag (rich text) rather than plain words."""
    return bool(_LOOKS_LIKE_MARKUP.search(text))


def sanitize_html(markup: str | None) -> str:
    """Keep only the allowed tags and safe links; idempotent, so stored text compares equal."""
    if not markup:
        return ""
    return nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
    ).strip()


def rich_text_from_input(typed: str | None) -> str:
    """Rich text from what a person typed: text without markup keeps its paragraphs and line
    breaks; markup is reduced to the allowed tags."""
    typed = (typed or "").strip()
    if not typed:
        return ""
    if not looks_like_markup(typed):
        typed = linebreaks(typed, autoescape=True)
    elif not _BLOCK_TAG.search(typed):
        # Inline markup only: the typed paragraphs and line breaks still count.
        typed = linebreaks(typed, autoescape=False)
    return sanitize_html(typed)


def rich_text_for_editing(stored: str | None) -> str:
    """The text to put back in an edit form: rich text made of paragraphs and line breaks only
    becomes the plain text it came from; one with other markup stays as it is."""
    stored = stored or ""
    tag_names = {name.lower() for name in _TAG_NAME.findall(stored)}
    if not tag_names <= {"p", "br"}:
        return stored
    typed = _PARAGRAPH_BREAK.sub("\n\n", stored)
    typed = re.sub(r"</?p>", "", typed)
    typed = re.sub(r"<br\s*/?>", "\n", typed)
    return html.unescape(typed).strip()


def html_to_lines(stored: str | None) -> list[str]:
    """Stored rich text as plain lines (for documents and plain-text exports): paragraphs and
    list items one per line, links as their text and address."""
    if not stored:
        return []
    plain = _ANCHOR.sub(
        lambda match: (
            f"{match[2]} ({match[1]})" if match[1] and match[1] not in match[2] else match[2]
        ),
        stored,
    )
    plain = _LIST_ITEM.sub("• ", plain)
    plain = _BLOCK_END.sub("\n", plain)
    plain = html.unescape(_ANY_TAG.sub("", plain))
    return [line.strip() for line in _BLANK_LINES.sub("\n", plain).split("\n") if line.strip()]
