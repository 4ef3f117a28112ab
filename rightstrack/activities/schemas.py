"""The JSON shapes of the activities and organizations API."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from rightstrack.core.api.inputs import IdList
from rightstrack.core.api.schemas import TermOut, partial_schema


class ActivityFiltersIn(Schema):
    q: str | None = Field(None, description="Words in the title, description, place or results.")
    presence: str | None = Field(None, description="Slug of a field presence, e.g. belarus")
    type: str | None = Field(
        None,
        description="training, technical-advice, dialogue, assessment, advocacy or other",
    )
    pillar: str | None = Field(None, description="Code of a thematic pillar, e.g. mechanisms")
    population: str | None = Field(None, description="Code of a spotlight population")
    affected: str | None = Field(None, description="Code of a group of affected persons")
    partner: int | None = Field(None, description="Id of an organization taking part as partner")
    donor: int | None = Field(None, description="Id of an organization taking part as donor")
    year: int | None = Field(None, description="Under way at some time in this year")
    published: str | None = Field(None, description="yes or no (internal readers)")
    sort: str | None = Field(
        None,
        description="start, title, presence, participants or cost; prefix - for descending "
        "(default -start)",
    )


class OrganizationRefOut(Schema):
    id: int
    name: str
    kind: str


class PresenceRefOut(Schema):
    slug: str
    title: str


class RecommendationRefOut(Schema):
    id: int
    document: str | None
    number: str
    text: str

    @staticmethod
    def resolve_document(recommendation):
        return recommendation.document.symbol if recommendation.document_id else None


class MeasureRefOut(Schema):
    id: int
    plan: str
    number: str
    title: str

    @staticmethod
    def resolve_plan(measure):
        return measure.plan.name


class ActivityOut(Schema):
    id: int
    presence: PresenceRefOut
    type: str
    type_label: str
    title: str
    description: str
    start_date: date | None = Field(description="null: not known")
    end_date: date | None = Field(description="null: not known")
    place: str
    partners: list[OrganizationRefOut]
    donors: list[OrganizationRefOut]
    target_populations: list[TermOut]
    target_affected_persons: list[TermOut]
    thematic_pillars: list[TermOut]
    participants_total: int | None = Field(description="null: not reported (never 0)")
    participants_women: int | None = Field(description="null: not reported")
    participants_men: int | None = Field(description="null: not reported")
    participants_with_disabilities: int | None = Field(description="null: not reported")
    outputs: str
    outcomes: str
    cost_amount: Decimal | None = Field(description="null: not known")
    cost_currency: str
    recommendations: list[RecommendationRefOut]
    measures: list[MeasureRefOut]
    is_published: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_type_label(activity):
        return str(activity.get_type_display())


class ActivityWriteFields(Schema):
    presence: str = Field(description="Slug of the field presence")
    type: str = Field(
        description="training, technical-advice, dialogue, assessment, advocacy or other"
    )
    title: str
    description: str = ""
    start_date: date | None = None
    end_date: date | None = None
    place: str = ""
    partners: IdList = Field([], description="Ids of organizations")
    donors: IdList = Field([], description="Ids of organizations")
    target_populations: list[str] = Field([], description="Codes of spotlight populations")
    target_affected_persons: list[str] = Field([], description="Codes of affected persons")
    thematic_pillars: list[str] = Field([], description="Codes of thematic pillars")
    participants_total: int | None = Field(None, description="null: not reported")
    participants_women: int | None = Field(None, description="null: not reported")
    participants_men: int | None = Field(None, description="null: not reported")
    participants_with_disabilities: int | None = Field(None, description="null: not reported")
    outputs: str = ""
    outcomes: str = ""
    cost_amount: Decimal | None = Field(None, description="null: not known")
    cost_currency: str = "USD"
    recommendations: IdList = Field([], description="Ids of recommendations")
    measures: IdList = Field([], description="Ids of plan measures")


class ActivityCreateIn(ActivityWriteFields):
    is_published: bool = False


class ActivityUpdateIn(partial_schema(ActivityCreateIn)):
    """Every field optional: only those sent are changed (null makes a number unknown)."""


class OrganizationFiltersIn(Schema):
    q: str | None = Field(None, description="Words in the name")
    kind: str | None = Field(
        None,
        description="un-agency, government, international-organization, ngo, bar-association, "
        "nhri or donor-fund",
    )
    sort: str | None = Field(None, description="name or kind; prefix - for descending")


class OrganizationFieldsOut(Schema):
    """What the list and the page of an organization both show."""

    id: int
    name: str
    kind: str
    kind_label: str
    country: TermOut | None
    website: str | None


class OrganizationOut(OrganizationFieldsOut):
    activities_as_partner: int = Field(description="Visible activities it took part in as partner")
    activities_as_donor: int = Field(description="Visible activities it took part in as donor")

    @staticmethod
    def resolve_kind_label(organization):
        return str(organization.get_kind_display())

    @staticmethod
    def resolve_website(organization):
        return organization.website or None

    @staticmethod
    def resolve_activities_as_partner(organization):
        return organization.partner_count

    @staticmethod
    def resolve_activities_as_donor(organization):
        return organization.donor_count


class ActivityRefOut(Schema):
    id: int
    title: str
    presence: str

    @staticmethod
    def resolve_presence(activity):
        return activity.presence.slug


class OrganizationDetailOut(OrganizationFieldsOut):
    activities_as_partner: list[ActivityRefOut]
    activities_as_donor: list[ActivityRefOut]


class OrganizationIn(Schema):
    name: str
    kind: str
    country: str | None = Field(None, description="ISO 3166 alpha-3 code of the state, e.g. BLR")
    website: str = ""


class OrganizationUpdateIn(Schema):
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    website: str | None = None
