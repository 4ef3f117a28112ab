"""How names of terms are compared: one folding for the resolver, the search box and the loader.

Imported data spells the same thing many ways ("Antigua & Barbuda", "Antigua and Barbuda",
"Côte d'Ivoire", "Cote d’Ivoire", "- CRC", "Non discrimination"), so comparison ignores case,
accents, punctuation, "&" versus "and", and runs of whitespace.
"""

import html
import re
import unicodedata

from django.utils.text import slugify

_AMPERSAND = re.compile(r"\s*&\s*")
_NOT_WORD = re.compile(r"[\W_]+")
_APOSTROPHE = re.compile(r"['’ʼ`´]")
# Separators that slugify would drop silently, gluing words ("persons/groups" → "personsgroups").
_SEPARATOR = re.compile(r"[^\w\s'’-]+")


def name_key(value):
    """The folded form of a name or code: "Côte d’Ivoire" → "cote divoire", "- CRC" → "crc"."""
    if value is None:
        return ""
    text = html.unescape(str(value))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _APOSTROPHE.sub("", text.casefold())
    text = _AMPERSAND.sub(" and ", text)
    return _NOT_WORD.sub(" ", text).strip()


def search_key(*values):
    """Every name of a term folded into one string, each between spaces, for substring search."""
    keys = []
    for value in values:
        key = name_key(value)
        if key and key not in keys:
            keys.append(key)
    return f" {' | '.join(keys)} " if keys else ""


def code_slug(value):
    """A stable code made from a name: "Women's rights" → "womens-rights"."""
    text = html.unescape(str(value)).replace("&", " and ")
    return slugify(_SEPARATOR.sub(" ", text))
