"""What the progress app adds to the pages of plans and measures, through hooks declared here.

A lower app never imports a higher one (the import-linter contracts in pyproject.toml): the
progress app, which builds on plans, registers these from its ``AppConfig.ready()``. Without it
the plan pages still work, with no progress reports, assessments or due reports on them.
"""

import datetime
from dataclasses import dataclass
from typing import Any, Protocol


class MeasurePageContext(Protocol):
    """More context for a measure's page, for what the user may see (``reports``,
    ``assessments``, ``can_assess``)."""

    def __call__(self, *, user: Any, measure: Any) -> dict[str, Any]: ...


class DueForUser(Protocol):
    """The reports the focal point's agency must write soon or is late with."""

    def __call__(self, *, user: Any, today: datetime.date) -> list[Any]: ...


class DueForPlan(Protocol):
    """The plan's overdue reports among the measures the user may see."""

    def __call__(self, *, user: Any, plan: Any, today: datetime.date) -> list[Any]: ...


@dataclass(frozen=True)
class FollowUpHooks:
    measure_page_context: MeasurePageContext
    due_for_user: DueForUser
    due_for_plan: DueForPlan


@dataclass
class Extensions:
    follow_up: FollowUpHooks | None = None


# The one registry, filled by ProgressConfig.ready().
registered = Extensions()
