"""The demo: the Belarus presence's streams of work as the seed page describes them."""

import io
import re

import pytest
from django.core.management import call_command

from rightstrack.activities.demo import STREAMS, load_demo_activities
from rightstrack.activities.models import Activity, Organization
from rightstrack.audit.models import AuditEntry
from rightstrack.core.tests.html_text import html_to_text
from rightstrack.presences.demo_content import demo_presences_load
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.normalize import code_slug

from .factories import TermFactory

pytestmark = pytest.mark.django_db

SEED_PAGE = "000_8de67b3fcfb00367.txt"
SEED_PARTNERS = {
    "UN agencies",
    "International and regional organizations",
    "Government of Belarus",
    "Civil society of Belarus",
    "NGOs of Belarus",
    "Bar associations of Belarus",
}
SEED_DONORS = {"UNDG Human Rights Mainstreaming Fund"}


def _plain(text):
    return " ".join(text.split())


@pytest.fixture
def demo(users, terms):
    """The Belarus presence and its activities, on vocabularies made here (loading the real ones
    is the job of the one test of the whole command below)."""
    for code in ("inequalities", "civic-space"):
        TermFactory(scheme=Scheme.SHIFT, code=code)
    for stream in STREAMS:
        for label in stream.get("affected_persons", []):
            TermFactory(scheme=Scheme.AFFECTED_PERSONS, code=code_slug(label), label_en=label)
    demo_presences_load(actor=users["administrator"])
    out = io.StringIO()
    load_demo_activities(actor=users["administrator"], stdout=out)
    return out.getvalue()


def _belarus_activities():
    return Activity.objects.filter(presence__slug="belarus").prefetch_related(
        "thematic_pillars", "target_populations", "target_affected_persons", "partners", "donors"
    )


def test_it_records_one_published_activity_per_stream_of_the_seed(demo):
    activities = list(_belarus_activities())

    assert len(STREAMS) == 9
    assert len(activities) == 9
    assert {a.title for a in activities} == {stream["title"] for stream in STREAMS}
    assert all(a.is_published for a in activities)
    assert "Activities of belarus: 9 created" in demo


def test_it_invents_no_figure_the_seed_does_not_give(demo):
    for activity in _belarus_activities():
        assert activity.start_date is None
        assert activity.end_date is None
        assert activity.place == ""
        assert activity.participants_total is None
        assert activity.participants_women is None
        assert activity.participants_men is None
        assert activity.participants_with_disabilities is None
        assert activity.cost_amount is None
        assert activity.outputs == ""
        assert activity.outcomes == ""


def test_every_description_quotes_the_seed_page_word_for_word(demo, shared_seed_dir):
    seed = _plain((shared_seed_dir / SEED_PAGE).read_text(encoding="utf-8"))

    for activity in _belarus_activities():
        assert _plain(activity.description) in seed, activity.title


def test_it_links_the_seed_s_pillars_and_populations_and_partners(demo):
    activities = list(_belarus_activities())
    presence_pillars = set(activities[0].presence.thematic_pillars.values_list("code", flat=True))

    used_pillars = {term.code for a in activities for term in a.thematic_pillars.all()}
    assert (
        used_pillars
        == presence_pillars
        == {
            "mechanisms",
            "accountability",
            "non-discrimination",
            "participation",
        }
    )
    by_title = {a.title: a for a in activities}
    women_and_disabilities = by_title[
        "Support on issues of relevance for women victims of violence and persons with disabilities"
    ]
    assert {t.code for t in women_and_disabilities.target_populations.all()} == {
        "women",
        "persons-with-disabilities",
    }
    legal_aid = by_title["Review of legal aid legislation and free legal aid for vulnerable groups"]
    assert {o.name for o in legal_aid.partners.all()} == {
        "NGOs of Belarus",
        "Bar associations of Belarus",
    }
    assert {o.name for o in Organization.objects.all()} == SEED_PARTNERS | SEED_DONORS
    # The page does not say which stream the donor funds, so no activity claims it.
    assert not any(a.donors.all() for a in activities)


def test_it_links_the_affected_persons_the_seed_names(demo):
    by_title = {a.title: a for a in _belarus_activities()}

    dialogue = by_title["Dialogue with civil society, human rights defenders and journalists"]
    assert {t.code for t in dialogue.target_affected_persons.all()} == {
        "human-rights-defenders",
        "media",
    }
    roma = by_title["Reducing stereotypes and local level dialogues with the Roma community"]
    assert [t.label_en for t in roma.target_affected_persons.all()] == [
        "Minorities / racial, ethnic, linguistic, religious or descent-based groups"
    ]


def test_it_loads_without_the_shared_data_linking_spotlight_populations_only(users, terms):
    # The built-in vocabularies only: what a deployment without ../shared/data has.
    for code in ("inequalities", "civic-space"):
        TermFactory(scheme=Scheme.SHIFT, code=code)
    Term.objects.filter(scheme=Scheme.AFFECTED_PERSONS).delete()
    demo_presences_load(actor=users["administrator"])
    out = io.StringIO()

    result = load_demo_activities(actor=users["administrator"], stdout=out)

    assert result.created == 9
    assert not Activity.objects.filter(target_affected_persons__isnull=False).exists()
    assert Activity.objects.filter(target_populations__code="women").count() == 1
    assert "linked to spotlight populations only" in out.getvalue()


def test_loading_twice_changes_nothing(demo, users):
    audit_entries = AuditEntry.objects.count()
    state = list(Activity.objects.order_by("pk").values())
    out = io.StringIO()

    load_demo_activities(actor=users["administrator"], stdout=out)

    assert AuditEntry.objects.count() == audit_entries
    assert list(Activity.objects.order_by("pk").values()) == state
    assert "Activities of belarus: 0 created, 0 updated, 9 unchanged" in out.getvalue()


def test_load_demo_records_the_work_with_the_real_vocabularies_once(shared_data_dir):
    first, second = io.StringIO(), io.StringIO()

    call_command("load-demo", "--no-progress", stdout=first)
    audit_entries = AuditEntry.objects.count()
    call_command("load-demo", "--no-progress", stdout=second)

    assert "Activities of belarus: 9 created" in first.getvalue()
    assert "Activities of belarus: 0 created, 0 updated, 9 unchanged" in second.getvalue()
    assert AuditEntry.objects.count() == audit_entries
    linked = Activity.objects.filter(target_affected_persons__isnull=False).distinct().count()
    assert linked == sum(1 for stream in STREAMS if stream.get("affected_persons"))


def test_the_belarus_page_shows_its_work_with_unknowns_as_not_reported(demo, client):
    text = html_to_text(client.get("/presences/belarus/").content.decode())

    assert "The presence’s work 9 recorded activities or focus areas." in text
    assert re.search(
        r"Thematic pillar Activities (Non.discrimination|Accountability) 3 "
        r"(Non.discrimination|Accountability) 3 Mechanisms 2 Participation 1",
        text,
    )
    assert "All participants not reported 0 9" in text
    assert "Annual budget needs US$ 823,000 Recorded cost of activities not known" in text
