"""The JSON shapes of the presences API."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from rightstrack.core.api.schemas import TermOut, partial_schema


class PresenceFiltersIn(Schema):
    q: str | None = Field(None, description="Words in the title or the country's name.")
    engagement_type: str | None = Field(None, description="e.g. human-rights-adviser")
    region: str | None = Field(None, description="e.g. europe-central-asia")
    pillar: str | None = Field(None, description="Code of a thematic pillar, e.g. mechanisms")
    population: str | None = Field(None, description="Code of a spotlight population")
    active_in: int | None = Field(None, description="Deployed in this year (no end = ongoing)")
    sort: str | None = Field(
        None, description="title, country, start_year or budget; prefix - for descending"
    )


class PresenceSummaryOut(Schema):
    slug: str
    title: str
    country: TermOut | None
    engagement_type: str
    engagement_type_label: str
    region: str | None
    region_label: str | None
    deployment_start_year: int | None
    deployment_end_year: int | None
    budget_amount: Decimal | None
    budget_currency: str
    thematic_pillars: list[TermOut]
    spotlight_populations: list[TermOut]
    is_published: bool

    @staticmethod
    def resolve_engagement_type_label(presence):
        return str(presence.get_engagement_type_display())

    @staticmethod
    def resolve_region(presence):
        return presence.region or None

    @staticmethod
    def resolve_region_label(presence):
        return str(presence.get_region_display()) if presence.region else None


class FeatureStoryOut(Schema):
    id: int
    title: str
    url: str | None
    summary: str
    published_on: date | None

    @staticmethod
    def resolve_url(story):
        return story.url or None


class PresenceOut(PresenceSummaryOut):
    role_summary: str
    field_offices: str | None = Field(description="null: not reported")
    staff_count: int | None = Field(description="null: not reported")
    areas_of_focus: str = Field(description="Sanitised HTML")
    partners: str
    donors: str
    shifts: list[TermOut]
    last_reviewed: str | None = Field(description="Month and year, YYYY-MM")
    contact_division: str
    contact_section: str
    contact_location: str
    contact_email: str | None
    feature_stories: list[FeatureStoryOut]

    @staticmethod
    def resolve_field_offices(presence):
        return presence.field_offices or None

    @staticmethod
    def resolve_last_reviewed(presence):
        return presence.last_reviewed.strftime("%Y-%m") if presence.last_reviewed else None

    @staticmethod
    def resolve_contact_email(presence):
        return presence.contact_email or None


class PresenceWriteFields(Schema):
    title: str
    country: str | None = Field(None, description="ISO 3166 alpha-3 code of the state, e.g. BLR")
    role_summary: str = ""
    engagement_type: str = Field(
        description="country-office, regional-office, peace-mission, human-rights-adviser or other"
    )
    region: str = Field("", description="e.g. europe-central-asia")
    deployment_start_year: int | None = None
    deployment_end_year: int | None = None
    field_offices: str = Field("", description="Blank: not reported")
    staff_count: int | None = Field(None, description="null: not reported")
    budget_amount: Decimal | None = None
    budget_currency: str = "USD"
    areas_of_focus: str = Field(
        "",
        description="HTML; anything but p, ul, ol, li, strong, em, "
        "a[href], h3, h4 and br is removed",
    )
    partners: str = ""
    donors: str = ""
    thematic_pillars: list[str] = Field([], description="Codes of thematic pillars")
    shifts: list[str] = Field([], description="Codes of shifts")
    spotlight_populations: list[str] = Field([], description="Codes of spotlight populations")
    last_reviewed: str | None = Field(None, description="Month and year, YYYY-MM")
    contact_division: str = ""
    contact_section: str = ""
    contact_location: str = ""
    contact_email: str = ""


class PresenceCreateIn(PresenceWriteFields):
    slug: str = Field(description="The last part of the page address, e.g. belarus")
    is_published: bool = False


class PresenceUpdateIn(partial_schema(PresenceCreateIn)):
    """Every field optional: only those sent are changed."""
