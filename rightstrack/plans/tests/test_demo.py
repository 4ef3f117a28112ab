import io

import pytest

from rightstrack.accounts.tests.factories import AgencyFactory, UserFactory
from rightstrack.audit.models import AuditEntry
from rightstrack.core.roles import Role
from rightstrack.plans.demo import load_demo_plans
from rightstrack.plans.models import ActionPlan, Measure
from rightstrack.recommendations.models import Document, SourceRecord

from .factories import RecommendationFactory, belarus


@pytest.fixture
def demo_accounts(db):
    belarus()
    agency = AgencyFactory(code="mfa-by", name_en="Ministry of Foreign Affairs (demo)")
    return {
        "admin": UserFactory(username="demo-admin", role=Role.ADMINISTRATOR),
        "coordinator": UserFactory(username="demo-coordinator", role=Role.COORDINATOR),
        "focal": UserFactory(username="demo-focal-point", role=Role.FOCAL_POINT, agency=agency),
        "civil": UserFactory(username="demo-civil-society", role=Role.CIVIL_SOCIETY),
    }


@pytest.mark.django_db
def test_it_loads_the_two_seed_plans_with_example_measures_once(demo_accounts):
    document = Document.objects.create(symbol="A/HRC/15/16")
    death_penalty = RecommendationFactory(
        document=document,
        number="98.16",
        text="Declare a moratorium on executions",
        wordings=[{"text": "Declare a moratorium on executions", "states": ["Brazil"]}],
    )
    # A copy held separately (before imports joined sources) is not linked: the demo's imports
    # join UPR Info's rows to the report's recommendations (issue 14).
    held_copy = RecommendationFactory(
        source_key="upr-info:s8:abc", text="Declare a moratorium on executions."
    )
    unrelated = RecommendationFactory(document=document, number="97.99")

    plans = load_demo_plans(stdout=io.StringIO())
    assert [plan.name for plan in plans] == [
        "Interagency Human Rights Plan",
        "Second National Human Rights Action Plan of Belarus",
    ]
    assert all(plan.is_published and not plan.is_example for plan in plans)
    assert all(plan.period == "" and plan.adoption_date is None for plan in plans)
    measures = Measure.objects.all()
    assert measures.count() == 7
    assert not measures.filter(is_example=False).exists()
    linked = Measure.objects.get(plan=plans[0], number="4").recommendations.all()
    assert set(linked) == {death_penalty}
    assert not held_copy.measures.exists()
    assert not unrelated.measures.exists()

    entries = AuditEntry.objects.count()
    output = io.StringIO()
    load_demo_plans(stdout=output)
    assert AuditEntry.objects.count() == entries
    assert ActionPlan.objects.count() == 2
    assert "already there" in output.getvalue()


@pytest.mark.django_db
def test_it_loads_without_recommendations_and_labels_examples_on_screen(demo_accounts, client):
    load_demo_plans()
    assert not Measure.recommendations.through.objects.exists()
    measure = Measure.objects.first()
    text = client.get(measure.get_absolute_url()).text
    assert "badge-example" in text and "not real measures" in text
    plan_page = client.get(measure.plan.get_absolute_url()).text
    assert "Example data" in plan_page


@pytest.mark.django_db
def test_it_loads_nothing_without_an_administrator():
    output = io.StringIO()
    assert load_demo_plans(stdout=output) == []
    assert "none loaded" in output.getvalue()


@pytest.mark.django_db
def test_it_links_the_example_measures_to_belarus_real_recommendations(
    demo_accounts, shared_data_dir
):
    from rightstrack.recommendations.demo import load_demo_recommendations
    from rightstrack.taxonomy.services import vocabularies_load

    vocabularies_load(data_dir=shared_data_dir)
    load_demo_recommendations()
    load_demo_plans()
    death_penalty = Measure.objects.get(plan__slug="interagency-human-rights-plan", number="4")
    linked = death_penalty.recommendations.all()
    numbers = set(linked.filter(document__symbol="A/HRC/15/16").values_list("number", flat=True))
    assert numbers == {"98.16", "98.17"}
    # UPR Info's rows of these recommendations are their sources, not recommendations of their
    # own (one record per recommendation, issue 14): the measure links the two, once each.
    assert linked.count() == 2
    from_upr_info = SourceRecord.objects.filter(
        recommendation__in=linked, source_key__startswith="upr-info:"
    )
    assert from_upr_info.exists()
    assert all(
        "death penalty" in source.text.lower() or "capital" in source.text.lower()
        for source in from_upr_info
    )
