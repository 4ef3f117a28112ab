"""The JSON shapes of plans and measures in the API."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from rightstrack.core.api.inputs import Id, IdList
from rightstrack.core.api.schemas import RowOut, partial_schema


class PlanOut(Schema):
    id: int
    slug: str
    name: str
    state: str = Field(..., alias="state.code")
    state_label: str = Field(..., alias="state.label_en")
    period_start_year: int | None
    period_end_year: int | None
    status: str
    adoption_date: date | None
    description: str
    is_published: bool
    is_example: bool
    measure_count: int | None = None


class PlanCreateIn(Schema):
    name: str
    slug: str | None = None
    state: str
    period_start_year: int | None = None
    period_end_year: int | None = None
    status: str = "draft"
    adoption_date: date | None = None
    description: str = ""
    is_published: bool = False


class PlanUpdateIn(partial_schema(PlanCreateIn)):
    pass


class PlanFiltersIn(Schema):
    q: str | None = None
    state: str | None = None
    status: str | None = None
    published: str | None = None
    sort: str | None = None


# A measure as selectors.measure_records and with_linked_records give it: a dict of these fields.
class IndicatorOut(RowOut):
    id: int
    name: str
    baseline: str
    target: str
    current_value: str
    unit: str
    reporting_frequency: str
    first_due_date: date | None


class MeasureOut(RowOut):
    id: int
    plan: str
    number: str
    title: str
    description: str
    responsible_agencies: list[str]
    partners: str
    start_date: date | None
    due_date: date | None
    budget_amount: Decimal | None
    budget_currency: str
    budget_source: str
    status: str
    recommendations: list[int]
    indicators: list[IndicatorOut]
    version: int
    is_example: bool


class MeasureCreateIn(Schema):
    plan: str
    number: str
    title: str
    description: str = ""
    responsible_agencies: list[str] = []
    partners: str = ""
    start_date: date | None = None
    due_date: date | None = None
    budget_amount: Decimal | None = None
    budget_currency: str = ""
    budget_source: str = ""


class MeasureUpdateIn(partial_schema(MeasureCreateIn, exclude={"plan"})):
    version: int = Field(..., description="The version the change was made from (see GET).")


class MeasureFiltersIn(Schema):
    q: str | None = None
    plan: str | None = None
    agency: str | None = None
    status: str | None = None
    theme: str | None = None
    mine: bool | None = None
    sort: str | None = None


class RecommendationLinksIn(Schema):
    add: IdList = []
    remove: IdList = []


class ConflictChangeOut(Schema):
    by: str
    at: str
    fields: list[dict]


class ConflictOut(Schema):
    detail: str
    current_version: int
    changes: list[ConflictChangeOut]


class IndicatorValuesIn(Schema):
    version: int
    values: dict[Id, str]
