"""The UPR Info issues: the distinct values of the ``Issue`` column of the UPR Info exports.

Each recommendation lists its issues comma-separated ("International instruments,Justice"); the
exports use 54 fixed issues. The files are Mac Roman with CR line endings as exported (UTF-8 is
accepted too). Codes are slugs of the issue names ("Women's rights" → "womens-rights").
"""

import html
from collections import Counter

from ..models import Scheme
from ..normalize import code_slug, name_key
from .errors import VocabularyFileError
from .files import read_csv
from .records import TermRecord

FILES = "upr-info/upr-info-sessions-*.csv"
LEGACY_ENCODING = "mac_roman"


def upr_info_files(data_dir):
    paths = sorted(data_dir.glob(FILES))
    if not paths:
        raise VocabularyFileError(data_dir / FILES, None, "no file matches")
    return paths


def split_issues(value):
    """The issue names of one ``Issue`` cell ("Justice,Women's rights" → two names)."""
    return [issue.strip() for issue in html.unescape(value).split(",") if issue.strip()]


def read_upr_info_issues(data_dir):
    # Counted as written first: 33,000 rows repeat the same few spellings.
    counts = Counter()
    first_seen = {}
    for path in upr_info_files(data_dir):
        for line, row in read_csv(path, columns=("Issue",), legacy_encoding=LEGACY_ENCODING):
            for issue in split_issues(row["Issue"]):
                counts[issue] += 1
                first_seen.setdefault(issue, (path, line))
    spellings = {}
    for issue, count in counts.items():
        key = name_key(issue)
        if not key:
            path, line = first_seen[issue]
            raise VocabularyFileError(path, line, f"issue {issue!r} has no letters")
        spellings.setdefault(key, Counter())[issue] = count
    records = {}
    for variants in spellings.values():
        # Where one issue is spelled several ways, the most frequent spelling is its label.
        label = variants.most_common(1)[0][0]
        code = code_slug(label)
        path, line = min(first_seen[issue] for issue in variants)
        if code in records:
            raise VocabularyFileError(
                path, line, f"issues {records[code].label_en!r} and {label!r} have the same code"
            )
        records[code] = TermRecord(
            scheme=Scheme.UPR_INFO_ISSUE,
            code=code,
            label_en=label,
            path=path,
            line=line,
        )
        records[code].add_aliases(sorted(variants))
    ordered = sorted(records.values(), key=lambda record: name_key(record.label_en))
    for position, record in enumerate(ordered, start=1):
        record.position = position
    return ordered
