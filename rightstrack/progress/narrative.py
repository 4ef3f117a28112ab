"""What a narrative (of a progress report or an independent assessment) may contain.

Text typed without markup keeps its paragraphs and line breaks; markup is reduced to a few safe
tags. The result is stored, so pages can show it as is.
"""

import html
import re

import nh3
from django.utils.html import linebreaks

ALLOWED_TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": frozenset({"href"})}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LOOKS_LIKE_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>\n]*)?/?>")
TAG_NAME = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")
BLOCK_TAG = re.compile(r"<\s*(p|ul|ol|blockquote)[\s>]", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"\s*</p>\s*<p>\s*")


def clean_narrative(text):
    text = (text or "").strip()
    if not text:
        return ""
    if not LOOKS_LIKE_MARKUP.search(text):
        text = linebreaks(text, autoescape=True)
    elif not BLOCK_TAG.search(text):
        # Inline markup only: the typed paragraphs and line breaks still count.
        text = linebreaks(text, autoescape=False)
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    ).strip()


def narrative_as_text(stored):
    """The text to put back in an edit form: a narrative made of paragraphs and line breaks only
    becomes the plain text it came from; one with other markup stays as it is."""
    stored = stored or ""
    tag_names = {name.lower() for name in TAG_NAME.findall(stored)}
    if not tag_names <= {"p", "br"}:
        return stored
    text = PARAGRAPH_BREAK.sub("\n\n", stored)
    text = re.sub(r"</?p>", "", text)
    text = re.sub(r"<br\s*/?>", "\n", text)
    return html.unescape(text).strip()
