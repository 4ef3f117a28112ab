"""How a recommendation's tags are grouped for reading: by vocabulary, in a fixed order."""

from rightstrack.taxonomy.models import Scheme

TAG_SCHEME_ORDER = (
    Scheme.UHRI_THEME,
    Scheme.AFFECTED_PERSONS,
    Scheme.SDG_GOAL,
    Scheme.SDG_TARGET,
    Scheme.UPR_INFO_ISSUE,
)


def tag_groups(tags):
    """[(vocabulary label, [tags])] with the usual vocabularies first, then any other."""
    by_scheme = {}
    for tag in tags:
        by_scheme.setdefault(tag.term.scheme, []).append(tag)
    order = [scheme.value for scheme in TAG_SCHEME_ORDER]
    order += sorted(scheme for scheme in by_scheme if scheme not in order)
    labels = dict(Scheme.choices)
    return [
        (labels.get(scheme, scheme), by_scheme[scheme]) for scheme in order if scheme in by_scheme
    ]
