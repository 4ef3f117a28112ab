"""The one definition of what rich text (a presence's areas of focus) may contain."""

import nh3

ALLOWED_TAGS = frozenset({"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "br"})
ALLOWED_ATTRIBUTES = {"a": frozenset({"href"})}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_rich_text(html):
    """Keep only the allowed tags and safe links; idempotent, so stored text compares equal."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
    ).strip()
