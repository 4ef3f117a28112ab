"""The published datasets and their columns (the data dictionary)."""

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
    TagSource,
    TagStatus,
)
from rightstrack.recommendations.selectors import visible_recommendations
from rightstrack.taxonomy.models import Agency, Scheme, Term

from ..portal_selectors import PUBLIC
from .schema import (
    BOOLEAN,
    CODE,
    CODE_LIST,
    DATE,
    DATETIME,
    DECIMAL,
    INTEGER,
    INTEGER_LIST,
    TEXT,
    TEXT_LIST,
    URL,
    Column,
    Dataset,
    Link,
    Many,
)


def _choices(enum):
    return tuple(enum.choices)


def _is_published_recommendation():
    return Q(recommendation__in=visible_recommendations(PUBLIC).values("pk"))


def _is_public_measure():
    return Q(measure__in=visible_measures(PUBLIC).values("pk"))


def _accepted_tags():
    return Q(status=TagStatus.ACCEPTED)


def _tag_column(name, scheme, description):
    return Column(
        name,
        CODE_LIST,
        description,
        many=Many(
            RecommendationTag,
            "recommendation_id",
            "term__code",
            _accepted_tags,
            ("term__position", "term__code"),
            split_by="term__scheme",
            split_value=scheme,
        ),
    )


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


ID = Column("id", INTEGER, _("Identifier of the row, stable across downloads."))
UPDATED = Column("updated_at", DATETIME, _("When the row last changed."))


DATASETS = (
    Dataset(
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
                _('Key of the record in its source, e.g. "uhri:<id>" or "doc:A/HRC/15/16#98.16".'),
            ),
            Column(
                "state",
                CODE,
                _("The State under review (code of the States vocabulary, ISO 3166-1 alpha-3)."),
                source="state__code",
            ),
            Column(
                "mechanism",
                CODE,
                _("The mechanism or body that made it (code of the mechanisms vocabulary)."),
                source="mechanism__code",
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
            Column(
                "position",
                CODE,
                _("The State's position; empty when not stated."),
                choices=_choices(Position),
            ),
            Column("position_source", TEXT, _("Where the position was read.")),
            Column(
                "action_category",
                CODE,
                _("Action category (code of the action categories vocabulary)."),
                source="action_category__code",
            ),
            Column(
                "recommending_states",
                CODE_LIST,
                _("The States that made the recommendation (UPR), as codes."),
                many=Many(
                    Recommendation.recommending_states.through,
                    "recommendation_id",
                    "term__code",
                    order=("term__code",),
                ),
            ),
            _tag_column("themes", Scheme.UHRI_THEME, _("Accepted UHRI themes (codes; see terms).")),
            _tag_column(
                "affected_persons",
                Scheme.AFFECTED_PERSONS,
                _("Accepted groups of affected persons (codes; see terms)."),
            ),
            _tag_column(
                "sdg_targets", Scheme.SDG_TARGET, _("Accepted SDG targets (codes, e.g. 16.2).")
            ),
            _tag_column(
                "upr_info_issues",
                Scheme.UPR_INFO_ISSUE,
                _("Accepted UPR Info issues (codes; see terms)."),
            ),
            Column("text", TEXT, _("The text of the recommendation, as the source gives it.")),
            Column("url", URL, _("Its page on this site."), link=Link("recommendations:detail")),
            UPDATED,
        ),
    ),
    Dataset(
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
                "recommendation_id",
                INTEGER,
                _("The recommendation tagged (id in recommendations)."),
            ),
            Column(
                "vocabulary",
                CODE,
                _("The vocabulary of the term."),
                source="term__scheme",
                choices=_choices(Scheme),
            ),
            Column("term", CODE, _("Code of the term (see terms)."), source="term__code"),
            Column(
                "source",
                CODE,
                _(
                    "Where the tag came from; a machine suggestion appears here only once a "
                    "person accepted it."
                ),
                choices=_choices(TagSource),
            ),
            Column("decided_at", DATETIME, _("When a person accepted it; empty when imported.")),
            Column("created_at", DATETIME, _("When the tag was recorded.")),
        ),
        updated_fields=("created_at", "decided_at"),
    ),
    Dataset(
        slug="documents",
        title=_("Source documents"),
        description=_(
            "The UN documents and database exports the published recommendations come from."
        ),
        source=_("UN documents (OHCHR, UN Human Rights Council, Treaty Bodies)."),
        rows=_documents,
        columns=(
            ID,
            Column("symbol", CODE, _("Document symbol, e.g. A/HRC/15/16.")),
            Column("title", TEXT, _("Title.")),
            Column("kind", CODE, _("Kind of document."), choices=_choices(DocumentKind)),
            Column(
                "mechanism",
                CODE,
                _("Mechanism or body (code; see terms)."),
                source="mechanism__code",
            ),
            Column("state", CODE, _("State under review (code; see terms)."), source="state__code"),
            Column("date", DATE, _("Date of the document.")),
            Column("link", URL, _("Where the document is published."), source="url"),
        ),
        # Documents have no dates of their own: they change with their recommendations.
        updated_fields=(
            Max("recommendations__updated_at", filter=Q(recommendations__is_published=True)),
        ),
    ),
    Dataset(
        slug="action-plans",
        title=_("Action plans"),
        description=_("Published national plans whose measures answer recommendations."),
        source=_("This project's own data."),
        rows=lambda: visible_plans(PUBLIC),
        columns=(
            ID,
            Column("slug", CODE, _("Short name of the plan in addresses.")),
            Column("name", TEXT, _("Name of the plan.")),
            Column("state", CODE, _("The State (code; see terms)."), source="state__code"),
            Column("period_start_year", INTEGER, _("First year of the plan's period.")),
            Column("period_end_year", INTEGER, _("Last year of the plan's period.")),
            Column("status", CODE, _("Status of the plan."), choices=_choices(PlanStatus)),
            Column("adoption_date", DATE, _("Date of adoption.")),
            Column("description", TEXT, _("Description.")),
            Column("is_example", BOOLEAN, _("Invented for demonstration, not real data.")),
            Column(
                "url",
                URL,
                _("Its page on this site."),
                link=Link("plans:detail", "slug", "slug"),
            ),
            UPDATED,
        ),
    ),
    Dataset(
        slug="measures",
        title=_("Measures"),
        description=_(
            "The measures of published action plans: who does what by when, with what budget, "
            "answering which recommendations, and their status."
        ),
        source=_("This project's own data."),
        rows=lambda: visible_measures(PUBLIC),
        columns=(
            ID,
            Column("plan", CODE, _("The plan (slug in action-plans)."), source="plan__slug"),
            Column("number", TEXT, _("Number of the measure in its plan.")),
            Column("title", TEXT, _("Title.")),
            Column("description", TEXT, _("Description.")),
            Column(
                "responsible_agencies",
                CODE_LIST,
                _("The agencies responsible (codes in agencies)."),
                many=Many(
                    Measure.responsible_agencies.through,
                    "measure_id",
                    "agency__code",
                    order=("agency__code",),
                ),
            ),
            Column("partners", TEXT, _("Partners, as written in the plan.")),
            Column("start_date", DATE, _("Start date.")),
            Column("due_date", DATE, _("Due date.")),
            Column("budget_amount", DECIMAL, _("Budget amount; empty when not reported.")),
            Column("budget_currency", CODE, _("Currency of the budget (ISO 4217).")),
            Column("budget_source", TEXT, _("Source of the budget.")),
            Column(
                "recommendation_ids",
                INTEGER_LIST,
                _("The published recommendations the measure answers (ids in recommendations)."),
                many=Many(
                    Measure.recommendations.through,
                    "measure_id",
                    "recommendation_id",
                    _is_published_recommendation,
                    ("recommendation_id",),
                ),
            ),
            Column(
                "status",
                CODE,
                _("The status assessment of the measure's latest approved progress report."),
                choices=_choices(MeasureStatus),
            ),
            Column("is_example", BOOLEAN, _("Invented for demonstration, not real data.")),
            Column("url", URL, _("Its page on this site."), link=Link("plans:measure")),
            UPDATED,
        ),
    ),
    Dataset(
        slug="indicators",
        title=_("Indicators"),
        description=_(
            "How the progress of each published measure is measured and how often "
            "it is reported on."
        ),
        source=_("This project's own data."),
        rows=lambda: Indicator.objects.filter(_is_public_measure()),
        columns=(
            ID,
            Column("measure_id", INTEGER, _("The measure (id in measures).")),
            Column("name", TEXT, _("Name.")),
            Column("baseline", TEXT, _("Value at the start.")),
            Column("target", TEXT, _("Value aimed at.")),
            Column("current_value", TEXT, _("Latest value recorded.")),
            Column("unit", TEXT, _("Unit.")),
            Column(
                "reporting_frequency",
                CODE,
                _("How often progress is reported."),
                choices=_choices(ReportingFrequency),
            ),
            Column("first_due_date", DATE, _("When the first report is due.")),
            Column("position", INTEGER, _("Order of the indicator within its measure.")),
        ),
        updated_fields=(),
        audited=True,
    ),
    Dataset(
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
            Column("measure_id", INTEGER, _("The measure (id in measures).")),
            Column(
                "plan", CODE, _("The plan (slug in action-plans)."), source="measure__plan__slug"
            ),
            Column(
                "agency",
                CODE,
                _("The reporting agency (code in agencies)."),
                source="agency__code",
            ),
            Column("period_start", DATE, _("First day of the period reported on.")),
            Column("period_end", DATE, _("Last day of the period reported on.")),
            Column(
                "status_assessment",
                CODE,
                _("How far the measure is implemented, as the report assesses it."),
                choices=_choices(StatusAssessment),
            ),
            Column("narrative", TEXT, _("The report's narrative (sanitised HTML).")),
            Column("approved_at", DATETIME, _("When it was approved."), source="reviewed_at"),
            Column("is_example", BOOLEAN, _("Invented for demonstration, not real data.")),
            Column("url", URL, _("Its page on this site."), link=Link("progress:report")),
            UPDATED,
        ),
    ),
    Dataset(
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
            Column(
                "status_assessment",
                CODE,
                _("How far it is implemented, in the organisation's view."),
                choices=_choices(StatusAssessment),
            ),
            Column("narrative", TEXT, _("The assessment.")),
            Column("created_at", DATETIME, _("When it was written.")),
            Column("published_at", DATETIME, _("When it was published."), source="moderated_at"),
        ),
        updated_fields=("created_at", "moderated_at"),
    ),
    Dataset(
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
            Column("recommendation_id", INTEGER, _("The recommendation (id in recommendations).")),
            Column(
                "mechanism",
                CODE,
                _("The mechanism or body (code; see terms)."),
                source="mechanism__code",
            ),
            Column("document_symbol", CODE, _("Symbol of the document with the assessment.")),
            Column("year", INTEGER, _("Year assessed.")),
            Column("part", TEXT, _("The sub-paragraphs graded; empty for the whole.")),
            Column("grade", CODE, _("The grade."), choices=_choices(FollowUpGrade)),
            UPDATED,
        ),
    ),
    Dataset(
        slug="activities",
        title=_("Activities"),
        description=_(
            "The published work of published UN human rights field presences: trainings, "
            "advice, dialogues, assessments, advocacy."
        ),
        source=_("This project's own data."),
        rows=lambda: visible_activities(user=PUBLIC),
        columns=(
            ID,
            Column(
                "presence", CODE, _("The field presence (slug in presences)."), "presence__slug"
            ),
            Column("type", CODE, _("Type of activity."), choices=_choices(ActivityType)),
            Column("title", TEXT, _("Title.")),
            Column("description", TEXT, _("Description.")),
            Column("start_date", DATE, _("Start date; empty when unknown.")),
            Column("end_date", DATE, _("End date; empty when unknown.")),
            Column("place", TEXT, _("Place.")),
            Column(
                "partner_ids",
                INTEGER_LIST,
                _("Partner organizations (ids in organizations)."),
                many=Many(Activity.partners.through, "activity_id", "organization_id"),
            ),
            Column(
                "donor_ids",
                INTEGER_LIST,
                _("Donor organizations (ids in organizations)."),
                many=Many(Activity.donors.through, "activity_id", "organization_id"),
            ),
            Column(
                "target_populations",
                CODE_LIST,
                _("Spotlight populations aimed at (codes; see terms)."),
                many=Many(Activity.target_populations.through, "activity_id", "term__code"),
            ),
            Column(
                "target_affected_persons",
                CODE_LIST,
                _("Affected persons aimed at (codes; see terms)."),
                many=Many(Activity.target_affected_persons.through, "activity_id", "term__code"),
            ),
            Column(
                "thematic_pillars",
                CODE_LIST,
                _("Thematic pillars (codes; see terms)."),
                many=Many(Activity.thematic_pillars.through, "activity_id", "term__code"),
            ),
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
            Column("cost_amount", DECIMAL, _("Cost; empty when not reported.")),
            Column("cost_currency", CODE, _("Currency of the cost (ISO 4217).")),
            Column(
                "recommendation_ids",
                INTEGER_LIST,
                _("Published recommendations it supports (ids in recommendations)."),
                many=Many(
                    Activity.recommendations.through,
                    "activity_id",
                    "recommendation_id",
                    _is_published_recommendation,
                    ("recommendation_id",),
                ),
            ),
            Column(
                "measure_ids",
                INTEGER_LIST,
                _("Measures of published plans it supports (ids in measures)."),
                many=Many(
                    Activity.measures.through,
                    "activity_id",
                    "measure_id",
                    _is_public_measure,
                    ("measure_id",),
                ),
            ),
            Column("url", URL, _("Its page on this site."), link=Link("activities:detail")),
            UPDATED,
        ),
    ),
    Dataset(
        slug="organizations",
        title=_("Organizations"),
        description=_("The partners and donors of published activities."),
        source=_("This project's own data."),
        rows=lambda: visible_organizations(user=PUBLIC),
        columns=(
            ID,
            Column("name", TEXT, _("Name.")),
            Column("kind", CODE, _("Kind of organization."), choices=_choices(OrganizationKind)),
            Column("country", CODE, _("Country (code; see terms)."), source="country__code"),
            Column("website", URL, _("Website.")),
            Column(
                "url",
                URL,
                _("Its page on this site."),
                link=Link("activities:organization"),
            ),
            UPDATED,
        ),
    ),
    Dataset(
        slug="presences",
        title=_("Field presences"),
        description=_("Published profiles of UN Human Rights field presences."),
        source=_("OHCHR's country pages and this project's own data."),
        rows=lambda: visible_presences(user=PUBLIC),
        columns=(
            ID,
            Column("slug", CODE, _("Short name of the presence in addresses.")),
            Column("country", CODE, _("Country (code; see terms)."), source="country__code"),
            Column("title", TEXT, _("Title.")),
            Column("role_summary", TEXT, _("Summary of its role.")),
            Column(
                "engagement_type",
                CODE,
                _("Type of engagement."),
                choices=_choices(EngagementType),
            ),
            Column("region", CODE, _("OHCHR region."), choices=_choices(Region)),
            Column("deployment_start_year", INTEGER, _("Deployed from (year).")),
            Column("deployment_end_year", INTEGER, _("Deployed until (year).")),
            Column("field_offices", TEXT, _("Field offices; empty when not reported.")),
            Column("staff_count", INTEGER, _("Number of staff; empty when not reported.")),
            Column("budget_amount", DECIMAL, _("Annual budget needs; empty when not reported.")),
            Column("budget_currency", CODE, _("Currency of the budget (ISO 4217).")),
            Column("areas_of_focus", TEXT, _("Areas of focus (sanitised HTML).")),
            Column("partners", TEXT, _("Partners, as written in the profile.")),
            Column("donors", TEXT, _("Donors, as written in the profile.")),
            Column(
                "thematic_pillars",
                CODE_LIST,
                _("Thematic pillars (codes; see terms)."),
                many=Many(Presence.thematic_pillars.through, "presence_id", "term__code"),
            ),
            Column(
                "shifts",
                CODE_LIST,
                _("Shifts (codes; see terms)."),
                many=Many(Presence.shifts.through, "presence_id", "term__code"),
            ),
            Column(
                "spotlight_populations",
                CODE_LIST,
                _("Spotlight populations (codes; see terms)."),
                many=Many(Presence.spotlight_populations.through, "presence_id", "term__code"),
            ),
            Column("last_reviewed", DATE, _("When the profile was last reviewed.")),
            Column("contact_division", TEXT, _("Contact: division.")),
            Column("contact_section", TEXT, _("Contact: section.")),
            Column("contact_location", TEXT, _("Contact: location.")),
            Column("contact_email", TEXT, _("Contact: e-mail address.")),
            Column(
                "url",
                URL,
                _("Its page on this site."),
                link=Link("presences:detail", "slug", "slug"),
            ),
            UPDATED,
        ),
    ),
    Dataset(
        slug="agencies",
        title=_("Agencies"),
        description=_(
            "The government agencies responsible for measures of published plans or reporting "
            "on them."
        ),
        source=_("This project's own data."),
        rows=_agencies,
        columns=(
            ID,
            Column("code", CODE, _("Code of the agency.")),
            Column("name_en", TEXT, _("Name in English."), translatable=True),
            Column("name_ru", TEXT, _("Name in Russian."), translatable=True),
            Column("state", CODE, _("The State (code; see terms)."), source="state__code"),
        ),
        updated_fields=(),
        audited=True,
    ),
    Dataset(
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
            Column(
                "vocabulary",
                CODE,
                _("The vocabulary."),
                source="scheme",
                choices=_choices(Scheme),
            ),
            Column("code", CODE, _("Code of the term, unique within its vocabulary.")),
            Column("label_en", TEXT, _("Label in English."), translatable=True),
            Column("label_ru", TEXT, _("Label in Russian."), translatable=True),
            Column("short_label_en", TEXT, _("Short label in English."), translatable=True),
            Column("short_label_ru", TEXT, _("Short label in Russian."), translatable=True),
            Column("description_en", TEXT, _("Description in English."), translatable=True),
            Column("description_ru", TEXT, _("Description in Russian."), translatable=True),
            Column(
                "parent_vocabulary",
                CODE,
                _("Vocabulary of the parent term (e.g. an SDG target's goal)."),
                source="parent__scheme",
            ),
            Column("parent", CODE, _("Code of the parent term."), source="parent__code"),
            Column("aliases", TEXT_LIST, _("Other spellings met in imported data.")),
            Column("position", INTEGER, _("Order within the vocabulary.")),
            Column("is_active", BOOLEAN, _("Still offered for new records.")),
        ),
        updated_fields=(),
        audited=True,
    ),
)
DATASETS_BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}


def dataset_get(slug):
    """The dataset with this slug, or None."""
    return DATASETS_BY_SLUG.get(slug)
