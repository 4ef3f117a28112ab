"""The published datasets and their columns (the data dictionary): one definition each, its
rows (published ones only) and its columns, built from the shared kinds in ``columns``."""

from django.db.models import Exists, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from rightstrack.activities.models import Activity, ActivityType, OrganizationKind
from rightstrack.activities.selectors import visible_activities, visible_organizations
from rightstrack.plans.access import visible_measures, visible_plans
from rightstrack.plans.models import (
    Indicator,
    Measure,
    MeasureStatus,
    PlanStatus,
    ReportingFrequency,
    StatusAssessment,
)
from rightstrack.presences.models import EngagementType, Presence, Region
from rightstrack.presences.selectors import visible_presences
from rightstrack.progress.access import visible_assessments, visible_reports
from rightstrack.progress.models import FollowUpGrade, MechanismAssessment
from rightstrack.recommendations.models import (
    Document,
    DocumentKind,
    Position,
    Recommendation,
    RecommendationTag,
    SourceKind,
    SourceRecord,
    TagSource,
    TagStatus,
)
from rightstrack.recommendations.selectors import visible_recommendations
from rightstrack.taxonomy.models import Agency, Scheme, Term

from ..portal_selectors import PUBLIC
from .columns import (
    COUNTRY,
    DESCRIPTION,
    ID,
    IS_EXAMPLE,
    MEASURE_ID,
    RECOMMENDATION_ID,
    STATE,
    TITLE,
    UPDATED,
    choice,
    code_of,
    codes,
    ids,
    in_english_and_russian,
    money,
    page,
    plan_slug,
    tag_codes,
    thematic_pillars,
)
from .schema import (
    BOOLEAN,
    CODE,
    DATE,
    DATETIME,
    INTEGER,
    TEXT,
    TEXT_LIST,
    URL,
    Column,
    Dataset,
)

OWN_DATA = _("This project's own data.")


def _is_published_recommendation():
    return Q(recommendation__in=visible_recommendations(PUBLIC).values("pk"))


def _is_public_measure():
    return Q(measure__in=visible_measures(PUBLIC).values("pk"))


def _documents():
    published = visible_recommendations(PUBLIC).filter(document=OuterRef("pk"))
    return Document.objects.filter(Exists(published))


def _agencies():
    measures = visible_measures(PUBLIC)
    responsible = Measure.responsible_agencies.through.objects.filter(
        agency_id=OuterRef("pk"), measure__in=measures.values("pk")
    )
    reporting = visible_reports(PUBLIC).filter(agency_id=OuterRef("pk"))
    return Agency.objects.filter(Exists(responsible) | Exists(reporting))


RECOMMENDATIONS = Dataset(
    slug="recommendations",
    title=_("Recommendations"),
    description=_(
        "Published recommendations and observations made to States by the UN human rights "
        "mechanisms (the Universal Periodic Review, the Treaty Bodies, the Special "
        "Procedures), with the State's position and their accepted themes."
    ),
    source=_("Texts: UN documents (OHCHR, UHRI). UPR positions and issues: UPR Info."),
    rows=lambda: visible_recommendations(PUBLIC),
    columns=(
        ID,
        Column(
            "source_key",
            CODE,
            _(
                'Key of its standing source, e.g. "uhri:<id>" or "doc:A/HRC/15/16#98.16"; every '
                "source that carries it is in recommendation-sources."
            ),
        ),
        code_of(
            "state",
            _("The State under review (code of the States vocabulary, ISO 3166-1 alpha-3)."),
        ),
        code_of(
            "mechanism",
            _("The mechanism or body that made it (code of the mechanisms vocabulary)."),
        ),
        Column(
            "document",
            CODE,
            _("Symbol of the source document, e.g. A/HRC/15/16."),
            source="document__symbol",
        ),
        Column("number", TEXT, _("Paragraph or number in the source document.")),
        Column("annotation_type", TEXT, _("Type of the text as the source names it.")),
        Column("date", DATE, _("Date of the source document.")),
        Column("cycle", INTEGER, _("UPR cycle (UPR recommendations only).")),
        Column("session", INTEGER, _("UPR session (UPR recommendations only).")),
        choice("position", Position, _("The State's position; empty when not stated.")),
        Column("position_source", TEXT, _("Where the position was read.")),
        code_of(
            "action_category", _("Action category (code of the action categories vocabulary).")
        ),
        codes(
            "recommending_states",
            Recommendation.recommending_states,
            _("The States that made the recommendation (UPR), as codes."),
        ),
        tag_codes("themes", Scheme.UHRI_THEME, _("Accepted UHRI themes (codes; see terms).")),
        tag_codes(
            "affected_persons",
            Scheme.AFFECTED_PERSONS,
            _("Accepted groups of affected persons (codes; see terms)."),
        ),
        tag_codes("sdg_targets", Scheme.SDG_TARGET, _("Accepted SDG targets (codes, e.g. 16.2).")),
        tag_codes(
            "upr_info_issues",
            Scheme.UPR_INFO_ISSUE,
            _("Accepted UPR Info issues (codes; see terms)."),
        ),
        Column("text", TEXT, _("The text of the recommendation, as the source gives it.")),
        page("recommendations:detail"),
        UPDATED,
    ),
)

RECOMMENDATION_SOURCES = Dataset(
    slug="recommendation-sources",
    title=_("Sources of recommendations"),
    description=_(
        "Each published recommendation as each of its sources gives it (the Working Group "
        "report, OHCHR's thematic list, UPR Info, UHRI): the wording, the position and the "
        "date that source states. The recommendations dataset holds each recommendation once, "
        "with the values that stand by precedence: a UN document over a thematic list over a "
        "database, a definite position over a pending one."
    ),
    source=_("UN documents (OHCHR), OHCHR thematic lists, UPR Info, UHRI."),
    rows=lambda: SourceRecord.objects.filter(_is_published_recommendation()),
    columns=(
        ID,
        Column("recommendation_id", INTEGER, _("The recommendation it is a source of (id).")),
        Column("source_key", CODE, _('Key of the record in its source, e.g. "upr-info:s8:…".')),
        choice("kind", SourceKind, _("Kind of source, which decides what stands.")),
        Column(
            "document",
            CODE,
            _("Symbol of the document it names, e.g. A/HRC/15/16."),
            source="document__symbol",
        ),
        Column("number", TEXT, _("Paragraph or number the source gives.")),
        Column("text", TEXT, _("The text as this source gives it.")),
        choice("position", Position, _("The position this source states; empty when none.")),
        Column("position_source", TEXT, _("Where this source read the position.")),
        Column("date", DATE, _("The date this source gives.")),
        UPDATED,
    ),
)

RECOMMENDATION_TAGS = Dataset(
    slug="recommendation-tags",
    title=_("Recommendation tags (accepted)"),
    description=_(
        "The accepted tags of published recommendations: themes, affected persons, SDG "
        "targets, UPR Info issues. Machine suggestions awaiting review are never included."
    ),
    source=_("Imported with the source (UHRI, UPR Info) or accepted by a person."),
    rows=lambda: RecommendationTag.objects.filter(
        _is_published_recommendation(), status=TagStatus.ACCEPTED
    ),
    columns=(
        ID,
        Column(
            "recommendation_id", INTEGER, _("The recommendation tagged (id in recommendations).")
        ),
        choice("vocabulary", Scheme, _("The vocabulary of the term."), source="term__scheme"),
        code_of("term", _("Code of the term (see terms).")),
        choice(
            "source",
            TagSource,
            _(
                "Where the tag came from; a machine suggestion appears here only once a "
                "person accepted it."
            ),
        ),
        Column("decided_at", DATETIME, _("When a person accepted it; empty when imported.")),
        Column("created_at", DATETIME, _("When the tag was recorded.")),
    ),
    updated_fields=("created_at", "decided_at"),
)

DOCUMENTS = Dataset(
    slug="documents",
    title=_("Source documents"),
    description=_("The UN documents and database exports the published recommendations come from."),
    source=_("UN documents (OHCHR, UN Human Rights Council, Treaty Bodies)."),
    rows=_documents,
    columns=(
        ID,
        Column("symbol", CODE, _("Document symbol, e.g. A/HRC/15/16.")),
        Column("title", TEXT, _("Title.")),
        choice("kind", DocumentKind, _("Kind of document.")),
        code_of("mechanism", _("Mechanism or body (code; see terms).")),
        code_of("state", _("State under review (code; see terms).")),
        Column("date", DATE, _("Date of the document.")),
        Column("link", URL, _("Where the document is published."), source="url"),
    ),
    # Documents have no dates of their own: they change with their recommendations.
    updated_fields=(
        Max("recommendations__updated_at", filter=Q(recommendations__is_published=True)),
    ),
)

ACTION_PLANS = Dataset(
    slug="action-plans",
    title=_("Action plans"),
    description=_("Published national plans whose measures answer recommendations."),
    source=OWN_DATA,
    rows=lambda: visible_plans(PUBLIC),
    columns=(
        ID,
        Column("slug", CODE, _("Short name of the plan in addresses.")),
        Column("name", TEXT, _("Name of the plan.")),
        STATE,
        Column("period_start_year", INTEGER, _("First year of the plan's period.")),
        Column("period_end_year", INTEGER, _("Last year of the plan's period.")),
        choice("status", PlanStatus, _("Status of the plan.")),
        Column("adoption_date", DATE, _("Date of adoption.")),
        DESCRIPTION,
        IS_EXAMPLE,
        page("plans:detail", by_slug=True),
        UPDATED,
    ),
)

MEASURES = Dataset(
    slug="measures",
    title=_("Measures"),
    description=_(
        "The measures of published action plans: who does what by when, with what budget, "
        "answering which recommendations, and their status."
    ),
    source=OWN_DATA,
    rows=lambda: visible_measures(PUBLIC),
    columns=(
        ID,
        plan_slug(),
        Column("number", TEXT, _("Number of the measure in its plan.")),
        TITLE,
        DESCRIPTION,
        codes(
            "responsible_agencies",
            Measure.responsible_agencies,
            _("The agencies responsible (codes in agencies)."),
        ),
        Column("partners", TEXT, _("Partners, as written in the plan.")),
        Column("start_date", DATE, _("Start date.")),
        Column("due_date", DATE, _("Due date.")),
        *money(
            "budget",
            _("Budget amount; empty when not reported."),
            _("Currency of the budget (ISO 4217)."),
        ),
        Column("budget_source", TEXT, _("Source of the budget.")),
        ids(
            "recommendation_ids",
            Measure.recommendations,
            _("The published recommendations the measure answers (ids in recommendations)."),
            public=_is_published_recommendation,
        ),
        choice(
            "status",
            MeasureStatus,
            _("The status assessment of the measure's latest approved progress report."),
        ),
        IS_EXAMPLE,
        page("plans:measure"),
        UPDATED,
    ),
)

INDICATORS = Dataset(
    slug="indicators",
    title=_("Indicators"),
    description=_(
        "How the progress of each published measure is measured and how often it is reported on."
    ),
    source=OWN_DATA,
    rows=lambda: Indicator.objects.filter(_is_public_measure()),
    columns=(
        ID,
        MEASURE_ID,
        Column("name", TEXT, _("Name.")),
        Column("baseline", TEXT, _("Value at the start.")),
        Column("target", TEXT, _("Value aimed at.")),
        Column("current_value", TEXT, _("Latest value recorded.")),
        Column("unit", TEXT, _("Unit.")),
        choice("reporting_frequency", ReportingFrequency, _("How often progress is reported.")),
        Column("first_due_date", DATE, _("When the first report is due.")),
        Column("position", INTEGER, _("Order of the indicator within its measure.")),
    ),
    updated_fields=(),
    audited=True,
)

PROGRESS_REPORTS = Dataset(
    slug="progress-reports",
    title=_("Approved progress reports"),
    description=_(
        "Progress reports on the measures of published plans that a coordinator approved. "
        "Drafts, submitted and returned reports are never included."
    ),
    source=_("This project's own data, written by the responsible agencies."),
    rows=lambda: visible_reports(PUBLIC),
    columns=(
        ID,
        MEASURE_ID,
        plan_slug(via="measure__"),
        code_of("agency", _("The reporting agency (code in agencies).")),
        Column("period_start", DATE, _("First day of the period reported on.")),
        Column("period_end", DATE, _("Last day of the period reported on.")),
        choice(
            "status_assessment",
            StatusAssessment,
            _("How far the measure is implemented, as the report assesses it."),
        ),
        Column("narrative", TEXT, _("The report's narrative (sanitised HTML).")),
        Column("approved_at", DATETIME, _("When it was approved."), source="reviewed_at"),
        IS_EXAMPLE,
        page("progress:report"),
        UPDATED,
    ),
)

INDEPENDENT_ASSESSMENTS = Dataset(
    slug="independent-assessments",
    title=_("Independent assessments"),
    description=_(
        "Civil society's published assessments of measures and recommendations, shown "
        "beside the official ones."
    ),
    source=_("The views of the organisations that wrote them."),
    rows=lambda: visible_assessments(PUBLIC),
    columns=(
        ID,
        Column(
            "measure_id",
            INTEGER,
            _("The measure assessed (id in measures); empty for a recommendation."),
        ),
        Column(
            "recommendation_id",
            INTEGER,
            _("The recommendation assessed (id in recommendations); empty for a measure."),
        ),
        Column("organisation", TEXT, _("The organisation that wrote it.")),
        choice(
            "status_assessment",
            StatusAssessment,
            _("How far it is implemented, in the organisation's view."),
        ),
        Column("narrative", TEXT, _("The assessment.")),
        Column("created_at", DATETIME, _("When it was written.")),
        Column("published_at", DATETIME, _("When it was published."), source="moderated_at"),
    ),
    updated_fields=("created_at", "moderated_at"),
)

MECHANISM_ASSESSMENTS = Dataset(
    slug="mechanism-assessments",
    title=_("Mechanism assessments"),
    description=_(
        "The grades a mechanism gave to a State's follow-up of its published recommendations "
        "(e.g. the Human Rights Committee's follow-up procedure)."
    ),
    source=_("UN documents (the mechanisms' follow-up reports)."),
    rows=lambda: MechanismAssessment.objects.filter(_is_published_recommendation()),
    columns=(
        ID,
        RECOMMENDATION_ID,
        code_of("mechanism", _("The mechanism or body (code; see terms).")),
        Column("document_symbol", CODE, _("Symbol of the document with the assessment.")),
        Column("year", INTEGER, _("Year assessed.")),
        Column("part", TEXT, _("The sub-paragraphs graded; empty for the whole.")),
        choice("grade", FollowUpGrade, _("The grade.")),
        UPDATED,
    ),
)

ACTIVITIES = Dataset(
    slug="activities",
    title=_("Activities"),
    description=_(
        "The published work of published UN human rights field presences: trainings, "
        "advice, dialogues, assessments, advocacy."
    ),
    source=OWN_DATA,
    rows=lambda: visible_activities(user=PUBLIC),
    columns=(
        ID,
        Column("presence", CODE, _("The field presence (slug in presences)."), "presence__slug"),
        choice("type", ActivityType, _("Type of activity.")),
        TITLE,
        DESCRIPTION,
        Column("start_date", DATE, _("Start date; empty when unknown.")),
        Column("end_date", DATE, _("End date; empty when unknown.")),
        Column("place", TEXT, _("Place.")),
        ids("partner_ids", Activity.partners, _("Partner organizations (ids in organizations).")),
        ids("donor_ids", Activity.donors, _("Donor organizations (ids in organizations).")),
        codes(
            "target_populations",
            Activity.target_populations,
            _("Spotlight populations aimed at (codes; see terms)."),
        ),
        codes(
            "target_affected_persons",
            Activity.target_affected_persons,
            _("Affected persons aimed at (codes; see terms)."),
        ),
        thematic_pillars(Activity.thematic_pillars),
        Column("participants_total", INTEGER, _("Participants; empty when not reported.")),
        Column("participants_women", INTEGER, _("Women among them; empty when not reported.")),
        Column("participants_men", INTEGER, _("Men among them; empty when not reported.")),
        Column(
            "participants_with_disabilities",
            INTEGER,
            _("Persons with disabilities among them; empty when not reported."),
        ),
        Column("outputs", TEXT, _("Outputs.")),
        Column("outcomes", TEXT, _("Outcomes.")),
        *money("cost", _("Cost; empty when not reported."), _("Currency of the cost (ISO 4217).")),
        ids(
            "recommendation_ids",
            Activity.recommendations,
            _("Published recommendations it supports (ids in recommendations)."),
            public=_is_published_recommendation,
        ),
        ids(
            "measure_ids",
            Activity.measures,
            _("Measures of published plans it supports (ids in measures)."),
            public=_is_public_measure,
        ),
        page("activities:detail"),
        UPDATED,
    ),
)

ORGANIZATIONS = Dataset(
    slug="organizations",
    title=_("Organizations"),
    description=_("The partners and donors of published activities."),
    source=OWN_DATA,
    rows=lambda: visible_organizations(user=PUBLIC),
    columns=(
        ID,
        Column("name", TEXT, _("Name.")),
        choice("kind", OrganizationKind, _("Kind of organization.")),
        COUNTRY,
        Column("website", URL, _("Website.")),
        page("activities:organization"),
        UPDATED,
    ),
)

PRESENCES = Dataset(
    slug="presences",
    title=_("Field presences"),
    description=_("Published profiles of UN Human Rights field presences."),
    source=_("OHCHR's country pages and this project's own data."),
    rows=lambda: visible_presences(user=PUBLIC),
    columns=(
        ID,
        Column("slug", CODE, _("Short name of the presence in addresses.")),
        COUNTRY,
        TITLE,
        Column("role_summary", TEXT, _("Summary of its role.")),
        choice("engagement_type", EngagementType, _("Type of engagement.")),
        choice("region", Region, _("OHCHR region.")),
        Column("deployment_start_year", INTEGER, _("Deployed from (year).")),
        Column("deployment_end_year", INTEGER, _("Deployed until (year).")),
        Column("field_offices", TEXT, _("Field offices; empty when not reported.")),
        Column("staff_count", INTEGER, _("Number of staff; empty when not reported.")),
        *money(
            "budget",
            _("Annual budget needs; empty when not reported."),
            _("Currency of the budget (ISO 4217)."),
        ),
        Column("areas_of_focus", TEXT, _("Areas of focus (sanitised HTML).")),
        Column("partners", TEXT, _("Partners, as written in the profile.")),
        Column("donors", TEXT, _("Donors, as written in the profile.")),
        thematic_pillars(Presence.thematic_pillars),
        codes("shifts", Presence.shifts, _("Shifts (codes; see terms).")),
        codes(
            "spotlight_populations",
            Presence.spotlight_populations,
            _("Spotlight populations (codes; see terms)."),
        ),
        Column("last_reviewed", DATE, _("When the profile was last reviewed.")),
        Column("contact_division", TEXT, _("Contact: division.")),
        Column("contact_section", TEXT, _("Contact: section.")),
        Column("contact_location", TEXT, _("Contact: location.")),
        Column("contact_email", TEXT, _("Contact: e-mail address.")),
        page("presences:detail", by_slug=True),
        UPDATED,
    ),
)

AGENCIES = Dataset(
    slug="agencies",
    title=_("Agencies"),
    description=_(
        "The government agencies responsible for measures of published plans or reporting on them."
    ),
    source=OWN_DATA,
    rows=_agencies,
    columns=(
        ID,
        Column("code", CODE, _("Code of the agency.")),
        *in_english_and_russian("name", _("Name in English."), _("Name in Russian.")),
        STATE,
    ),
    updated_fields=(),
    audited=True,
)

TERMS = Dataset(
    slug="terms",
    title=_("Vocabularies"),
    description=_(
        "Every term of the controlled vocabularies the other datasets use by code: States, "
        "mechanisms, themes, affected persons, SDG goals and targets, UPR Info issues, "
        "action categories, thematic pillars, shifts, spotlight populations, …"
    ),
    source=_(
        "UN vocabularies (OHCHR's UHRI, the UN's SDG list, the UN's names of States), "
        "UPR Info's issues, and this project's own."
    ),
    rows=lambda: Term.objects.all(),
    columns=(
        ID,
        choice("vocabulary", Scheme, _("The vocabulary."), source="scheme"),
        Column("code", CODE, _("Code of the term, unique within its vocabulary.")),
        *in_english_and_russian("label", _("Label in English."), _("Label in Russian.")),
        *in_english_and_russian(
            "short_label", _("Short label in English."), _("Short label in Russian.")
        ),
        *in_english_and_russian(
            "description", _("Description in English."), _("Description in Russian.")
        ),
        Column(
            "parent_vocabulary",
            CODE,
            _("Vocabulary of the parent term (e.g. an SDG target's goal)."),
            source="parent__scheme",
        ),
        code_of("parent", _("Code of the parent term.")),
        Column("aliases", TEXT_LIST, _("Other spellings met in imported data.")),
        Column("position", INTEGER, _("Order within the vocabulary.")),
        Column("is_active", BOOLEAN, _("Still offered for new records.")),
    ),
    updated_fields=(),
    audited=True,
)

DATASETS = (
    RECOMMENDATIONS,
    RECOMMENDATION_SOURCES,
    RECOMMENDATION_TAGS,
    DOCUMENTS,
    ACTION_PLANS,
    MEASURES,
    INDICATORS,
    PROGRESS_REPORTS,
    INDEPENDENT_ASSESSMENTS,
    MECHANISM_ASSESSMENTS,
    ACTIVITIES,
    ORGANIZATIONS,
    PRESENCES,
    AGENCIES,
    TERMS,
)
DATASETS_BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}


def dataset_get(slug):
    """The dataset with this slug, or None."""
    return DATASETS_BY_SLUG.get(slug)
