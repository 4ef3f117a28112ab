"""Labelled recommendations to train and evaluate taggers on.

Three sources: export files read with the importers' parsers (the UPR Info CSV carries issues
and action categories; UHRI JSON and OHCHR Word lists carry themes, affected persons and SDG
targets), the tags that imports and people attached in the database, and the texts of the 169
SDG targets themselves (English and Russian), which stand in for labels that nobody has given.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Prefetch

from rightstrack.recommendations.imports.formats import FORMATS
from rightstrack.recommendations.imports.records import FileFormatError, RecordDraft
from rightstrack.recommendations.models import Recommendation, RecommendationTag, TagStatus
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.selectors import TermResolver

FORMAT_BY_SUFFIX = {
    ".csv": "upr-info",
    ".json": "uhri-json",
    ".docx": "ohchr-docx",
    ".txt": "un-wg-report",
}


class DataError(ValueError):
    """Labelled data cannot be read, or there is too little of it."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    labels: tuple[str, ...]
    session: int | None = None


def parse_sessions(value):
    """{1, …, 13} for "1-13", {1, 3, 5} for "1,3,5"; None for no value."""
    if not value:
        return None
    sessions = set()
    for part in str(value).split(","):
        part = part.strip()
        if not part:
            continue
        first, _dash, last = part.partition("-")
        try:
            low, high = int(first), int(last or first)
        except ValueError:
            raise DataError(f"“{value}” is not a list of sessions like 1-13 or 1,3,5") from None
        if low > high or low < 1:
            raise DataError(f"“{part}” is not a range of sessions")
        sessions.update(range(low, high + 1))
    return sessions


# "B31 Equality & non-discrimination": the older UHRI lists put the theme's code before its name.
_LEADING_CODE = re.compile(r"^[A-Z]\d{1,3}\s+(?=\S)")


class LabelNormalizer:
    """Labels as the vocabulary's term codes where the vocabulary knows them.

    Files name the same term differently ("B31 Equality & non-discrimination" in one list,
    "Equality & non-discrimination" in the next, "Women" and "women"); as codes they agree.
    A label the vocabulary does not know (or a vocabulary not loaded) stays as it is.
    """

    def __init__(self, scheme):
        self.resolver = TermResolver(scheme.term_scheme)
        self._cache = {}

    def __call__(self, label):
        if label not in self._cache:
            term = self.resolver.resolve(label) if len(self.resolver) else None
            if term is None and _LEADING_CODE.match(label):
                term = self.resolver.resolve(_LEADING_CODE.sub("", label))
            self._cache[label] = term.code if term is not None else label
        return self._cache[label]


def examples_from_files(scheme, paths, *, format=None, sessions=None):
    """The records of the files that carry labels of ``scheme``, in file order.

    Records without any label of the scheme are left out: an unlabelled record says nothing
    about which labels are wrong for it. Labels become term codes where the vocabulary is
    loaded (see LabelNormalizer).
    """
    normalize = LabelNormalizer(scheme)
    examples = []
    for raw_path in paths:
        path = Path(raw_path)
        name = format or FORMAT_BY_SUFFIX.get(path.suffix.lower())
        if name not in FORMATS:
            raise DataError(f"{path}: cannot tell the format; give --format ({', '.join(FORMATS)})")
        try:
            for item in FORMATS[name].parse(path, state=None, options={}):
                if not isinstance(item, RecordDraft):
                    continue
                if sessions is not None and item.session not in sessions:
                    continue
                labels = list(
                    dict.fromkeys(normalize(label) for label in scheme.labels_of_draft(item))
                )
                if labels and item.text:
                    examples.append(Example(item.text, tuple(labels), item.session))
        except FileFormatError as error:
            raise DataError(f"{path}: {error}") from None
    return examples


def examples_from_database(scheme, *, recommendations=None):
    """Recommendations with accepted tags of the scheme, each with all of them as labels."""
    recommendations = recommendations if recommendations is not None else Recommendation.objects
    accepted = RecommendationTag.objects.filter(
        status=TagStatus.ACCEPTED, term__scheme=scheme.term_scheme
    ).select_related("term")
    if scheme.term_scheme == Scheme.ACTION_CATEGORY:
        rows = (
            recommendations.filter(action_category__isnull=False)
            .values_list("text", "action_category__code", "session")
            .order_by("pk")
        )
        return [Example(text, (code,), session) for text, code, session in rows.iterator()]
    tagged = (
        recommendations.filter(tags__in=accepted)
        .distinct()
        .order_by("pk")
        .only("pk", "text", "session")
        .prefetch_related(Prefetch("tags", queryset=accepted, to_attr="scheme_tags"))
    )
    return [
        Example(
            recommendation.text,
            tuple(sorted({tag.term.code for tag in recommendation.scheme_tags})),
            recommendation.session,
        )
        for recommendation in tagged.iterator(chunk_size=2000)
    ]


def sdg_target_examples():
    """One example per SDG target text and language: the target's own words as its label."""
    examples = []
    for code, label_en, label_ru in Term.objects.filter(scheme=Scheme.SDG_TARGET).values_list(
        "code", "label_en", "label_ru"
    ):
        for text in (label_en, label_ru):
            if text:
                examples.append(Example(text, (code,)))
    return examples
