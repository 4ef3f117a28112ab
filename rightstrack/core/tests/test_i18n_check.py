"""The translation check reads every entry of a catalog, long msgids included."""

from rightstrack.core.i18n_check import _msgids

UNTRANSLATED = """msgid ""
msgstr ""
"Language: ru\\n"

msgid "Short"
msgstr ""

msgid ""
"A long message that makemessages wraps "
"over two lines."
msgstr ""
"""


def test_it_counts_short_and_long_msgids_but_not_the_header():
    assert _msgids(UNTRANSLATED) == [
        'msgid "Short"',
        'msgid "A long message that makemessages wraps over two lines."',
    ]
