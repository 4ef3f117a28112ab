"""The tagging schemes a tagger can be trained for, and where each finds its labels.

A scheme's name is what the command line takes (``--scheme upr-info-issues``); its
``term_scheme`` is the vocabulary its labels come from, so a predicted label becomes a
``RecommendationTag`` of that vocabulary's term.
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rightstrack.taxonomy.models import Scheme

_SDG_TARGET_CODE = re.compile(r"^\s*(\d{1,2})\.(\w{1,2})\b")


def sdg_target_code(value):
    """ "16.2" for "16.2", "16.2 - Protect children…" or "SDG 16.2"; "" for anything else."""
    match = _SDG_TARGET_CODE.match(str(value).upper().removeprefix("SDG").strip())
    return f"{match[1]}.{match[2].lower()}" if match else ""


@dataclass(frozen=True)
class TaggingScheme:
    name: str
    label: str | Promise
    term_scheme: str
    multi_label: bool
    # The tag scheme name importers give these labels in RecordDraft.tags.
    draft_tag_scheme: str = ""

    def labels_of_draft(self, draft):
        """The labels a parsed record carries for this scheme (strings, in file order)."""
        if not self.multi_label:
            value = getattr(draft, "action_category", "") or ""
            return [value] if value else []
        labels = []
        for scheme, value in draft.tags:
            if scheme != self.draft_tag_scheme:
                continue
            label = sdg_target_code(value) if self.term_scheme == Scheme.SDG_TARGET else value
            if label and label not in labels:
                labels.append(label)
        return labels


SCHEMES = {
    scheme.name: scheme
    for scheme in (
        TaggingScheme(
            "upr-info-issues",
            _("UPR Info issues"),
            Scheme.UPR_INFO_ISSUE,
            multi_label=True,
            draft_tag_scheme="upr-info-issue",
        ),
        TaggingScheme(
            "action-category", _("Action category"), Scheme.ACTION_CATEGORY, multi_label=False
        ),
        TaggingScheme(
            "uhri-themes",
            _("UHRI themes"),
            Scheme.UHRI_THEME,
            multi_label=True,
            draft_tag_scheme="uhri-theme",
        ),
        TaggingScheme(
            "affected-persons",
            _("Affected persons"),
            Scheme.AFFECTED_PERSONS,
            multi_label=True,
            draft_tag_scheme="affected-persons",
        ),
        TaggingScheme(
            "sdg-targets",
            _("SDG targets"),
            Scheme.SDG_TARGET,
            multi_label=True,
            draft_tag_scheme="sdg-target",
        ),
    )
}
SCHEME_BY_TERM_SCHEME = {scheme.term_scheme: scheme for scheme in SCHEMES.values()}


def get_scheme(name):
    try:
        return SCHEMES[name]
    except KeyError:
        known = ", ".join(SCHEMES)
        raise ValueError(f"unknown tagging scheme “{name}” (known: {known})") from None
