"""The recommendations' work for people in the notifications "To do" registry: the possible
duplicates awaiting review (``/recommendations/duplicates/``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from rightstrack.core.roles import can_manage
from rightstrack.notifications import extensions as notifications


def _merge_candidates(user, today):
    from .selectors import match_candidates_waiting

    return match_candidates_waiting(user=user)


MERGE_CANDIDATES_WORK = notifications.WorkKind(
    key=notifications.MERGE_CANDIDATES,
    label=gettext_lazy("Possible duplicate recommendations to review"),
    url=lambda user: reverse("recommendations:duplicates"),
    applies=can_manage,
    count=_merge_candidates,
    order=55,
)
