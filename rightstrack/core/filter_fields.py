"""Fields of the lists' filter forms that every list declares the same way."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .listing import SortOption


def sort_field(sorts: Sequence[SortOption]) -> forms.ChoiceField:
    """The list's "Sort by" choice, one option per sort order it offers."""
    return forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(option.key, option.label) for option in sorts],
    )


def any_of(choices: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """``choices`` after an "Any" choice (no filter)."""
    return [("", _("Any")), *choices]


def choice_filter(label: Any, choices: Iterable[tuple[Any, Any]]) -> forms.ChoiceField:
    """A filter on one of ``choices``, "Any" by default."""
    return forms.ChoiceField(label=label, required=False, choices=any_of(choices))
