"""The Belarus presence's work as the seed page describes it, loaded through the services.

One activity (or focus area) per stream of work in the page's "Areas of Focus". Each description
quotes the page word for word (its typos included). The page gives no dates, places, numbers of
participants or costs for any of them, so they stay unknown: nothing here is invented.

Target groups and pillars are those the page names for the stream; affected persons are linked
only when that vocabulary (read from ../shared/data) is loaded. Partners are linked only where
the page names them for the stream; every partner and donor the page lists is recorded as an
organization. Loading is idempotent: a second run changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction

from rightstrack.core.demo_loading import create_or_update
from rightstrack.presences.models import Presence
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.normalize import code_slug

from .models import Activity, ActivityType, Organization, OrganizationKind
from .services import (
    activity_create,
    activity_set_published,
    activity_update,
    organization_create,
    organization_update,
)

PRESENCE_SLUG = "belarus"

# "Partners and Donors" of the page; the groups it names in the areas of focus are added as
# the organizations of Belarus they are there.
ORGANIZATIONS = (
    {"name": "UN agencies", "kind": OrganizationKind.UN_AGENCY, "country": None},
    {
        "name": "International and regional organizations",
        "kind": OrganizationKind.INTERNATIONAL_ORGANIZATION,
        "country": None,
    },
    {"name": "Government of Belarus", "kind": OrganizationKind.GOVERNMENT, "country": "BLR"},
    {"name": "Civil society of Belarus", "kind": OrganizationKind.NGO, "country": "BLR"},
    {"name": "NGOs of Belarus", "kind": OrganizationKind.NGO, "country": "BLR"},
    {
        "name": "Bar associations of Belarus",
        "kind": OrganizationKind.BAR_ASSOCIATION,
        "country": "BLR",
    },
    {
        "name": "UNDG Human Rights Mainstreaming Fund",
        "kind": OrganizationKind.DONOR_FUND,
        "country": None,
    },
)

_INTERAGENCY_PLAN = (
    "The Senior Human Rights Advisor has supported the Government of Belarus in implementing its "
    "Interagency Human Rights Plan, which includes measures to implement recommendations made to "
    "Belarus during the Universal Periodic Review (UPR) and by Treaty Bodies.. More broadly, the "
    "Advisor seeks to support national level cooperation with UN Human Rights Mechanisms."
)
_ACTION_PLAN = (
    "It is envisaged that the Senior Human Righs Adviser will provide support in the elaboration "
    "of the second National Human Rights Action Plan of Belarus, to be adopted in 2021."
)
_ANTI_DISCRIMINATION = (
    "Work has begun on supporting Belarus in anti-discrimination education for legal "
    "professionals, governmental authorities and businesses."
)
# One sentence of the page covers two streams; both quote it whole.
_ROMA_WOMEN_DISABILITIES = (
    "Support will be also provided on reducing stereotypes and improving local level dialogues "
    "with the Roma community and on issues of relevance for women victims of violence and persons "
    "with disabilities."
)
_LEGAL_AID = (
    "The Senior Human Rights Adviser provides support towards a comprehensive review of legal aid "
    "legislation in Belarus, and, through partnerships with NGOs and Bar associations, supports "
    "the provision of free legal aid services for vulnerable groups."
)
_DRUG_POLICY = (
    "The Senior Human Rights Adviser will continuie working on alternatives to detention for drug "
    "related offences, and is supporting a comprehensive assessment of the national drug policy, "
    "which will form the basis for further technical assistance in this area."
)
_DETENTION_OVERSIGHT = (
    "The Senior Human Rights Adviser will also work with partners and a range of stakeholders to "
    "promote increasingly effective oversight in places of detention and alternatives to "
    "detention, particularly for those who have not committed criminal offences."
)
_CIVIL_SOCIETY = (
    "Promoting dialogue with civil society, including human rights defenders and journalists, "
    "will also be a focus of UN human rights work in the country."
)

# Affected persons are named by their labels in the UHRI vocabulary (coded by code_slug).
STREAMS = (
    {
        "title": "Support to the implementation of the Interagency Human Rights Plan",
        "type": ActivityType.TECHNICAL_ADVICE,
        "description": _INTERAGENCY_PLAN,
        "thematic_pillars": ["mechanisms"],
        "partners": ["Government of Belarus"],
    },
    {
        "title": "Support to the elaboration of the second National Human Rights Action Plan",
        "type": ActivityType.TECHNICAL_ADVICE,
        "description": _ACTION_PLAN,
        "thematic_pillars": ["mechanisms"],
    },
    {
        "title": "Anti-discrimination education for legal professionals, governmental "
        "authorities and businesses",
        "type": ActivityType.TRAINING,
        "description": _ANTI_DISCRIMINATION,
        "thematic_pillars": ["non-discrimination"],
        "affected_persons": ["Judges, lawyers and prosecutors", "Public officials"],
    },
    {
        "title": "Reducing stereotypes and local level dialogues with the Roma community",
        "type": ActivityType.DIALOGUE,
        "description": _ROMA_WOMEN_DISABILITIES,
        "thematic_pillars": ["non-discrimination"],
        "affected_persons": [
            "Minorities / racial, ethnic, linguistic, religious or descent-based groups"
        ],
    },
    {
        "title": "Support on issues of relevance for women victims of violence and persons with "
        "disabilities",
        "type": ActivityType.OTHER,
        "description": _ROMA_WOMEN_DISABILITIES,
        "thematic_pillars": ["non-discrimination"],
        "target_populations": ["women", "persons-with-disabilities"],
        "affected_persons": ["Women", "Persons with disabilities"],
    },
    {
        "title": "Review of legal aid legislation and free legal aid for vulnerable groups",
        "type": ActivityType.TECHNICAL_ADVICE,
        "description": _LEGAL_AID,
        "thematic_pillars": ["accountability"],
        "affected_persons": ["Vulnerable persons/groups"],
        "partners": ["NGOs of Belarus", "Bar associations of Belarus"],
    },
    {
        "title": "Alternatives to detention for drug related offences and assessment of the "
        "national drug policy",
        "type": ActivityType.ASSESSMENT,
        "description": _DRUG_POLICY,
        "thematic_pillars": ["accountability"],
        "affected_persons": ["Persons deprived of their liberty"],
    },
    {
        "title": "Oversight of places of detention and alternatives to detention",
        "type": ActivityType.ADVOCACY,
        "description": _DETENTION_OVERSIGHT,
        "thematic_pillars": ["accountability"],
        "affected_persons": ["Persons deprived of their liberty"],
    },
    {
        "title": "Dialogue with civil society, human rights defenders and journalists",
        "type": ActivityType.DIALOGUE,
        "description": _CIVIL_SOCIETY,
        "thematic_pillars": ["participation"],
        "affected_persons": ["Human rights defenders", "Media"],
        "partners": ["Civil society of Belarus"],
    },
)


@dataclass(frozen=True)
class DemoActivitiesLoaded:
    created: int
    updated: int
    unchanged: int
    affected_persons_linked: bool


def _organizations(*, actor):
    by_name = {}
    for data in ORGANIZATIONS:
        existing = Organization.objects.filter(name__iexact=data["name"]).first()
        if existing is None:
            by_name[data["name"]] = organization_create(actor=actor, data=data)
        else:
            by_name[data["name"]] = organization_update(
                actor=actor, organization=existing, data=data
            )
    return by_name


def _affected_codes(labels, loaded_codes):
    codes = [code_slug(label) for label in labels]
    return [code for code in codes if code in loaded_codes]


def _activity_data(stream, *, presence, organizations, loaded_affected):
    return {
        "presence": presence,
        "type": stream["type"],
        "title": stream["title"],
        "description": stream["description"],
        "thematic_pillars": stream.get("thematic_pillars", []),
        "target_populations": stream.get("target_populations", []),
        "target_affected_persons": _affected_codes(
            stream.get("affected_persons", []), loaded_affected
        ),
        "partners": [organizations[name] for name in stream.get("partners", [])],
        # The page gives none of these for any stream: unknown, not zero.
        "start_date": None,
        "end_date": None,
        "place": "",
        "participants_total": None,
        "participants_women": None,
        "participants_men": None,
        "participants_with_disabilities": None,
        "cost_amount": None,
    }


def _load_activity(existing, *, actor, data):
    """Create or update one stream's activity, published; says what came of it."""
    activity, outcome = create_or_update(
        existing,
        create=lambda: activity_create(actor=actor, data=data),
        update=lambda activity: activity_update(actor=actor, activity=activity, data=data),
    )
    if not activity.is_published:
        activity_set_published(actor=actor, activity=activity, published=True)
        outcome = "updated" if outcome == "unchanged" else outcome
    return outcome


@transaction.atomic
def load_demo_activities(*, actor, stdout=None):
    """Record the Belarus presence's streams of work (the presence must be loaded first)."""
    presence = Presence.objects.filter(slug=PRESENCE_SLUG).first()
    if presence is None:
        raise LookupError(
            f"The demo field presence “{PRESENCE_SLUG}” is not loaded; load it first."
        )
    organizations = _organizations(actor=actor)
    loaded_affected = set(
        Term.objects.filter(scheme=Scheme.AFFECTED_PERSONS).values_list("code", flat=True)
    )
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for stream in STREAMS:
        data = _activity_data(
            stream, presence=presence, organizations=organizations, loaded_affected=loaded_affected
        )
        existing = Activity.objects.filter(presence=presence, title=stream["title"]).first()
        counts[_load_activity(existing, actor=actor, data=data)] += 1
    result = DemoActivitiesLoaded(**counts, affected_persons_linked=bool(loaded_affected))
    if stdout is not None:
        stdout.write(
            f"Activities of {PRESENCE_SLUG}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged (/presences/{PRESENCE_SLUG}/)\n"
        )
        if not result.affected_persons_linked:
            stdout.write(
                "  The affected persons vocabulary is not loaded: activities are linked to "
                "spotlight populations only.\n"
            )
    return result
