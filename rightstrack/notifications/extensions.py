"""What waits for a user, as the apps above this one count it, through the hook declared here.

Each app that holds work for people registers a ``WorkKind`` from its ``AppConfig.ready()``:

- progress: reports due or overdue and reports returned (focal points), reports to review and
  independent assessments to moderate (coordinators and administrators);
- intelligence: tag suggestions to review;
- recommendations (``MERGE_CANDIDATES``): recommendations that may be duplicates, to review
  (recommendations/work.py).

The home page, the menu (with counts) and the daily digest read them all from here, so an item
is counted one way everywhere. Without a registration the item is simply not shown.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Keys of the kinds the apps register (for tests and for ordering the menu).
REPORTS_DUE = "reports_due"
REPORTS_RETURNED = "reports_returned"
REPORTS_TO_REVIEW = "reports_to_review"
ASSESSMENTS_TO_MODERATE = "assessments_to_moderate"
SUGGESTIONS_TO_REVIEW = "suggestions_to_review"
MERGE_CANDIDATES = "merge_candidates"


@dataclass(frozen=True)
class WorkKind:
    key: str
    # What the count counts, as a menu item says it ("Reports to review"); a lazy string.
    label: Any
    # The page that lists the items, for this user.
    url: Callable[[Any], str]
    # Whether the user is one who does this work (a focal point, a coordinator...).
    applies: Callable[[Any], bool]
    # How many items wait for the user today: a number, or better the queryset of the items
    # (the counts of all kinds are then made in one query); never one query per item.
    count: Callable[[Any, datetime.date], Any]
    # Place in the menu and on the home page, smallest first.
    order: int = 100


class WorkKinds:
    def __init__(self) -> None:
        self.kinds: dict[str, WorkKind] = {}

    def add(self, kind: WorkKind) -> None:
        self.kinds[kind.key] = kind

    def remove(self, key: str) -> None:
        self.kinds.pop(key, None)

    def for_user(self, user: Any) -> list[WorkKind]:
        kinds = [kind for kind in self.kinds.values() if kind.applies(user)]
        return sorted(kinds, key=lambda kind: (kind.order, kind.key))


# The one registry, filled by the higher apps' AppConfig.ready().
work = WorkKinds()


# ---- The daily digest ------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestPart:
    """One section of a user's daily e-mail: what is due, say."""

    title: str
    text: str  # the section's lines, as plain text
    count: int  # how many items it lists
    # Records that the items were sent (so that the next run does not repeat them); run in the
    # transaction that sends the e-mail.
    record: Callable[[], None]


@dataclass(frozen=True)
class DigestSection:
    key: str
    # The notification category (models.Category) a user turns it off with.
    category: str
    # Called once per digest run with the day; returns the function giving a user's part (or
    # None when there is nothing for them), which may keep what it read for the next user.
    start: Callable[[datetime.date], Callable[[Any], DigestPart | None]]


class DigestSections:
    def __init__(self) -> None:
        self.sections: dict[str, DigestSection] = {}

    def add(self, section: DigestSection) -> None:
        self.sections[section.key] = section


# Sections of the digest, registered by the apps above (progress: the reports due).
digest = DigestSections()
