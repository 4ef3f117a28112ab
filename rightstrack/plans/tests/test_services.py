from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rightstrack.audit.models import AuditEntry
from rightstrack.plans import services
from rightstrack.plans.conflicts import EditConflict
from rightstrack.plans.models import ActionPlan, Measure
from rightstrack.recommendations.models import Cluster

from .factories import RecommendationFactory, TermFactory, belarus


def entries_for(obj):
    return AuditEntry.objects.filter(
        object_id=str(obj.pk), content_type__model=obj._meta.model_name
    )


@pytest.mark.django_db
def test_it_creates_an_unpublished_plan_with_a_slug_from_its_name(users):
    belarus()
    plan = services.plan_create(
        actor=users["coordinator"],
        data={
            "name": "National Human Rights Action Plan",
            "state": "BLR",
            "period_start_year": 2021,
            "period_end_year": 2025,
            "status": "adopted",
            "adoption_date": "2021-10-20",
        },
    )
    assert plan.slug == "national-human-rights-action-plan"
    assert plan.is_published is False
    entry = entries_for(plan).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["name"]["new"] == "National Human Rights Action Plan"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["focal_point", "civil_society", "viewer", "outsider"])
def test_it_lets_only_managers_create_plans(users, role):
    belarus()
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=users[role], data={"name": "Plan", "state": "BLR"})
    assert not ActionPlan.objects.exists()


@pytest.mark.django_db
def test_it_explains_every_invalid_plan_field_at_once(users):
    belarus()
    with pytest.raises(ValidationError) as raised:
        services.plan_create(
            actor=users["coordinator"],
            data={
                "name": "",
                "state": "XXX",
                "period_start_year": 2025,
                "period_end_year": 2021,
                "status": "draft",
                "adoption_date": "2021-01-01",
                "colour": "red",
            },
        )
    errors = raised.value.message_dict
    assert set(errors) == {"name", "state", "period_end_year", "adoption_date", "colour"}


@pytest.mark.django_db
def test_it_refuses_a_reserved_or_taken_slug(users, plan):
    with pytest.raises(ValidationError) as raised:
        services.plan_create(
            actor=users["coordinator"], data={"name": "X", "state": "BLR", "slug": "new"}
        )
    assert "slug" in raised.value.message_dict
    with pytest.raises(ValidationError):
        services.plan_create(
            actor=users["coordinator"], data={"name": "X", "state": "BLR", "slug": plan.slug}
        )


@pytest.mark.django_db
def test_it_publishes_and_withdraws_a_plan_with_an_audit_entry_each(users, unpublished_plan):
    services.plan_set_published(actor=users["coordinator"], plan=unpublished_plan, published=True)
    services.plan_set_published(actor=users["coordinator"], plan=unpublished_plan, published=False)
    actions = list(entries_for(unpublished_plan).values_list("action", flat=True))
    assert actions == [AuditEntry.Action.UNPUBLISH, AuditEntry.Action.PUBLISH]


@pytest.mark.django_db
def test_it_creates_a_measure_with_agencies_and_budget(users, plan, agency, other_agency):
    measure = services.measure_create(
        actor=users["coordinator"],
        plan=plan,
        data={
            "number": "2.1",
            "title": "Adopt a law on legal aid",
            "responsible_agencies": [agency.code, other_agency],
            "start_date": "2021-01-01",
            "due_date": "2022-12-31",
            "budget_amount": "150000",
            "budget_currency": "usd",
            "budget_source": "State budget",
        },
    )
    assert measure.version == 1
    assert measure.budget_amount == Decimal("150000.00")
    assert measure.budget_currency == "USD"
    assert set(measure.responsible_agencies.all()) == {agency, other_agency}
    changes = entries_for(measure).get().changes
    assert sorted(changes["responsible_agencies"]["new"]) == sorted(
        [agency.name, other_agency.name]
    )


@pytest.mark.django_db
def test_it_refuses_an_inconsistent_measure(users, plan, measure):
    with pytest.raises(ValidationError) as raised:
        services.measure_create(
            actor=users["coordinator"],
            plan=plan,
            data={
                "number": measure.number,
                "title": "",
                "start_date": "2022-01-01",
                "due_date": "2021-01-01",
                "budget_amount": "-5",
                "responsible_agencies": ["nobody"],
            },
        )
    assert set(raised.value.message_dict) == {
        "number",
        "title",
        "due_date",
        "budget_amount",
        "responsible_agencies",
    }
    with pytest.raises(ValidationError) as raised:
        services.measure_create(
            actor=users["coordinator"],
            plan=plan,
            data={"number": "9", "title": "T", "budget_amount": "10"},
        )
    assert "budget_currency" in raised.value.message_dict


@pytest.mark.django_db
def test_it_saves_a_measure_edit_made_from_the_current_version(users, measure):
    services.measure_update(
        actor=users["coordinator"], measure=measure, data={"title": "Train all judges"}, version=1
    )
    measure.refresh_from_db()
    assert (measure.title, measure.version) == ("Train all judges", 2)
    changes = entries_for(measure).get().changes
    assert changes["title"] == {"label": "title", "old": "Train judges", "new": "Train all judges"}
    assert changes["version"]["new"] == "2"


@pytest.mark.django_db
def test_it_refuses_the_second_of_two_edits_from_the_same_version_and_says_what_changed(
    users, measure
):
    first_copy = Measure.objects.get(pk=measure.pk)
    second_copy = Measure.objects.get(pk=measure.pk)
    services.measure_update(
        actor=users["coordinator"], measure=first_copy, data={"title": "First"}, version=1
    )
    with pytest.raises(EditConflict) as raised:
        services.measure_update(
            actor=users["administrator"], measure=second_copy, data={"title": "Second"}, version=1
        )
    conflict = raised.value
    assert conflict.current_version == 2
    [change] = conflict.changes
    assert change.actor_name == "coordinator"
    assert [(row.name, row.old, row.new) for row in change.rows] == [
        ("title", "Train judges", "First")
    ]
    measure.refresh_from_db()
    assert (measure.title, measure.version) == ("First", 2)
    assert entries_for(measure).count() == 1


@pytest.mark.django_db
def test_it_keeps_the_measure_untouched_when_an_edit_is_invalid(users, measure):
    with pytest.raises(ValidationError):
        services.measure_update(
            actor=users["coordinator"], measure=measure, data={"title": ""}, version=1
        )
    measure.refresh_from_db()
    assert measure.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["focal_point", "outsider", "civil_society", "viewer"])
def test_it_lets_only_managers_edit_measures(users, measure, role):
    with pytest.raises(PermissionDenied):
        services.measure_update(actor=users[role], measure=measure, data={"title": "X"}, version=1)


@pytest.mark.django_db
def test_it_lets_the_responsible_focal_point_update_indicator_values(users, measure, indicator):
    services.indicator_values_update(
        actor=users["focal_point"], measure=measure, values={indicator.pk: "4"}, version=1
    )
    indicator.refresh_from_db()
    measure.refresh_from_db()
    assert (indicator.current_value, measure.version) == ("4", 2)
    changes = entries_for(measure).get().changes
    assert changes[f"indicator-{indicator.pk}"]["new"] == "4"


@pytest.mark.django_db
def test_it_refuses_indicator_values_from_another_agency(users, measure, indicator):
    with pytest.raises(PermissionDenied):
        services.indicator_values_update(
            actor=users["outsider"], measure=measure, values={indicator.pk: "4"}, version=1
        )


@pytest.mark.django_db
def test_it_conflicts_indicator_values_with_a_measure_edit_made_meanwhile(
    users, measure, indicator
):
    services.measure_update(
        actor=users["coordinator"],
        measure=Measure.objects.get(pk=measure.pk),
        data={"partners": "UNDP"},
        version=1,
    )
    with pytest.raises(EditConflict):
        services.indicator_values_update(
            actor=users["focal_point"], measure=measure, values={indicator.pk: "4"}, version=1
        )
    indicator.refresh_from_db()
    assert indicator.current_value == ""


@pytest.mark.django_db
def test_it_links_recommendations_of_the_plans_state_only(users, measure):
    own = RecommendationFactory()
    foreign = RecommendationFactory(state=TermFactory(code="UKR", label_en="Ukraine"))
    added = services.measure_link_recommendations(
        actor=users["coordinator"], measure=measure, recommendation_ids=[own.pk]
    )
    assert added == 1
    assert (
        services.measure_link_recommendations(
            actor=users["coordinator"], measure=measure, recommendation_ids=[str(own.pk)]
        )
        == 0
    )
    with pytest.raises(ValidationError):
        services.measure_link_recommendations(
            actor=users["coordinator"], measure=measure, recommendation_ids=[foreign.pk]
        )
    with pytest.raises(ValidationError):
        services.measure_link_recommendations(
            actor=users["coordinator"], measure=measure, recommendation_ids=["x"]
        )
    assert list(measure.recommendations.all()) == [own]
    assert entries_for(measure).count() == 1


@pytest.mark.django_db
def test_it_links_a_whole_cluster_leaving_out_other_states(users, measure):
    first, second = RecommendationFactory(), RecommendationFactory()
    foreign = RecommendationFactory(state=TermFactory(code="UKR", label_en="Ukraine"))
    cluster = Cluster.objects.create(name="Death penalty", slug="death-penalty")
    cluster.recommendations.set([first, second, foreign])
    measure.recommendations.add(first)
    added = services.measure_link_cluster(
        actor=users["coordinator"], measure=measure, cluster=cluster
    )
    assert added == 1
    assert set(measure.recommendations.all()) == {first, second}
    assert "Death penalty" in entries_for(measure).get().note


@pytest.mark.django_db
def test_it_unlinks_recommendations(users, measure):
    recommendation = RecommendationFactory()
    measure.recommendations.add(recommendation)
    removed = services.measure_unlink_recommendations(
        actor=users["coordinator"], measure=measure, recommendation_ids=[recommendation.pk]
    )
    assert removed == 1
    assert not measure.recommendations.exists()
    assert entries_for(measure).get().changes["recommendations"]["new"] is None
