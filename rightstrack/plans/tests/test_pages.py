import datetime

import pytest
from django.urls import reverse

from rightstrack.core.tests.htmx import results_fragment
from rightstrack.plans.models import Measure
from rightstrack.recommendations.models import Cluster

from .factories import MeasureFactory, PlanFactory, RecommendationFactory, TermFactory


@pytest.mark.django_db
def test_it_lists_published_plans_for_everyone_and_drafts_for_internal_readers(
    client_for, plan, unpublished_plan, measure
):
    anonymous = client_for("anonymous").get(reverse("plans:list"))
    assert plan.name in anonymous.text and unpublished_plan.name not in anonymous.text
    viewer = client_for("viewer").get(reverse("plans:list"))
    assert unpublished_plan.name in viewer.text and "Not published" in viewer.text


@pytest.mark.django_db
def test_it_filters_sorts_and_pages_plans_with_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    for number in range(30):
        PlanFactory(name=f"Plan {number:02d}", slug=f"plan-{number:02d}")
    with django_assert_max_num_queries(4):
        response = client.get(reverse("plans:list"), {"sort": "-name", "page": 2})
    assert response.status_code == 200
    assert "Plan 04" in response.text and "Plan 29" not in response.text
    fragment = results_fragment(client, reverse("plans:list"), {"q": "Plan 07"})
    assert "Plan 07" in fragment
    assert "1 action plan" in fragment


@pytest.mark.django_db
def test_it_shows_a_plan_with_its_dashboard_and_measures(client, plan, measure, other_measure):
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert measure.title in text and other_measure.title in text
    assert 'role="img"' in text and "<caption>Data: Measures by status</caption>" in text
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.django_db
def test_it_hides_unpublished_plans_and_their_measures_from_the_public(
    client_for, unpublished_plan, hidden_measure
):
    anonymous = client_for("anonymous")
    assert anonymous.get(unpublished_plan.get_absolute_url()).status_code == 404
    assert anonymous.get(hidden_measure.get_absolute_url()).status_code == 404
    assert client_for("civil_society").get(hidden_measure.get_absolute_url()).status_code == 404
    assert client_for("outsider").get(hidden_measure.get_absolute_url()).status_code == 404
    focal = client_for("focal_point")
    assert focal.get(hidden_measure.get_absolute_url()).status_code == 200
    assert focal.get(unpublished_plan.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_it_creates_and_edits_a_plan_from_the_pages(client_for, plan):
    coordinator = client_for("coordinator")
    response = coordinator.post(
        reverse("plans:create"),
        {"name": "Action Plan on Disability", "state": plan.state.pk, "status": "draft"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/plans/action-plan-on-disability/"
    response = coordinator.post(
        reverse("plans:create"),
        {"name": "Bad", "state": plan.state.pk, "status": "draft", "adoption_date": "2021-01-01"},
    )
    assert response.status_code == 200
    assert "Only an adopted plan has an adoption date." in response.text
    response = coordinator.post(
        reverse("plans:edit", kwargs={"slug": plan.slug}),
        {"name": "Renamed plan", "slug": plan.slug, "state": plan.state.pk, "status": "adopted"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "Renamed plan"


@pytest.mark.django_db
def test_it_publishes_a_plan_from_its_page(client_for, unpublished_plan):
    client_for("coordinator").post(
        reverse("plans:publish", kwargs={"slug": unpublished_plan.slug}), {"published": "1"}
    )
    unpublished_plan.refresh_from_db()
    assert unpublished_plan.is_published


def measure_form_data(measure, **changes):
    data = {
        "number": measure.number,
        "title": measure.title,
        "description": measure.description,
        "responsible_agencies": [agency.pk for agency in measure.responsible_agencies.all()],
        "partners": measure.partners,
        "start_date": "2021-01-01",
        "due_date": "2025-12-31",
        "budget_amount": "",
        "budget_currency": "",
        "budget_source": "",
        "version": measure.version,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_it_shows_the_second_editor_a_conflict_with_what_changed(client_for, measure):
    url = reverse("plans:measure-edit", kwargs={"pk": measure.pk})
    loaded_by_both = measure_form_data(measure)
    first = client_for("coordinator").post(url, {**loaded_by_both, "title": "Train all judges"})
    assert first.status_code == 302
    second = client_for("administrator").post(url, {**loaded_by_both, "partners": "OHCHR"})
    assert second.status_code == 409
    text = second.text
    assert "Your changes were not saved" in text
    assert "Changed by coordinator" in text
    assert "Train judges" in text and "Train all judges" in text
    assert 'name="version" value="2"' in text
    measure.refresh_from_db()
    assert (measure.title, measure.partners, measure.version) == ("Train all judges", "", 2)
    again = client_for("administrator").post(
        url, {**loaded_by_both, "partners": "OHCHR", "version": 2}
    )
    assert again.status_code == 302
    measure.refresh_from_db()
    assert measure.partners == "OHCHR"


@pytest.mark.django_db
def test_it_sends_a_focal_point_from_the_measure_edit_page_to_the_indicator_values(
    client_for, measure, indicator
):
    focal = client_for("focal_point")
    response = focal.get(reverse("plans:measure-edit", kwargs={"pk": measure.pk}))
    assert response["Location"] == reverse("plans:indicator-values", kwargs={"pk": measure.pk})
    response = focal.post(
        reverse("plans:indicator-values", kwargs={"pk": measure.pk}),
        {"version": 1, f"value_{indicator.pk}": "12"},
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.current_value == "12"


@pytest.mark.django_db
def test_it_links_recommendations_by_searching_and_by_cluster(client_for, measure):
    death_penalty = RecommendationFactory(number="98.16", text="Abolish the death penalty")
    torture = RecommendationFactory(number="98.22", text="Criminalise torture")
    coordinator = client_for("coordinator")
    url = reverse("plans:measure-link", kwargs={"pk": measure.pk})
    found = coordinator.get(url, {"q": "death"}, headers={"HX-Request": "true"})
    assert "Abolish the death penalty" in found.text and "Criminalise torture" not in found.text
    assert "<html" not in found.text
    by_number = coordinator.get(url, {"q": "98.22"})
    assert "Criminalise torture" in by_number.text
    coordinator.post(url, {"recommendations": [death_penalty.pk]})
    assert list(measure.recommendations.all()) == [death_penalty]
    cluster = Cluster.objects.create(name="Torture", slug="torture")
    cluster.recommendations.add(torture)
    coordinator.post(url, {"cluster": cluster.pk})
    assert set(measure.recommendations.all()) == {death_penalty, torture}
    coordinator.post(
        reverse("plans:measure-unlink", kwargs={"pk": measure.pk}),
        {"recommendations": [torture.pk]},
    )
    assert list(measure.recommendations.all()) == [death_penalty]


@pytest.mark.django_db
def test_it_lists_supported_recommendations_no_measure_addresses(client, plan, measure):
    addressed = RecommendationFactory(text="Addressed one")
    RecommendationFactory(text="Forgotten one")
    RecommendationFactory(text="Noted one", position="noted")
    measure.recommendations.add(addressed)
    text = client.get(reverse("plans:uncovered", kwargs={"slug": plan.slug})).text
    assert "Forgotten one" in text
    assert "Addressed one" not in text and "Noted one" not in text


@pytest.mark.django_db
def test_it_shows_a_focal_point_their_measures_and_what_is_due(
    client_for, measure, other_measure, hidden_measure, indicator, django_assert_max_num_queries
):
    focal = client_for("focal_point")
    with django_assert_max_num_queries(14):
        response = focal.get(reverse("plans:mine"))
    text = response.text
    assert measure.title in text and hidden_measure.title in text
    assert other_measure.title not in text
    assert "overdue by" in text
    assert client_for("coordinator").get(reverse("plans:mine")).status_code == 403


@pytest.mark.django_db
def test_it_adds_a_measure_and_an_indicator_from_the_pages(client_for, plan, agency):
    coordinator = client_for("coordinator")
    response = coordinator.post(
        reverse("plans:measure-create", kwargs={"slug": plan.slug}),
        {"number": "3.1", "title": "Open a shelter", "responsible_agencies": [agency.pk]},
    )
    measure = Measure.objects.get(number="3.1")
    assert response["Location"] == measure.get_absolute_url()
    response = coordinator.post(
        reverse("plans:indicator-create", kwargs={"pk": measure.pk}),
        {"name": "Shelters open", "reporting_frequency": "annual", "first_due_date": "2025-01-31"},
    )
    assert response.status_code == 302
    assert measure.indicators.get().name == "Shelters open"


@pytest.mark.django_db
def test_it_tells_apart_recommendations_not_addressed_by_this_plan_or_by_any(client, plan, measure):
    other_plan_measure = MeasureFactory(plan=PlanFactory(slug="other-plan"))
    elsewhere = RecommendationFactory(text="Addressed by another plan")
    other_plan_measure.recommendations.add(elsewhere)
    RecommendationFactory(text="Addressed by nobody", date=datetime.date(2010, 1, 1))
    url = reverse("plans:uncovered", kwargs={"slug": plan.slug})
    this_plan = client.get(url, {"sort": "-date"}).text
    assert "Addressed by another plan" in this_plan and "Addressed by nobody" in this_plan
    assert "status-not-started" in this_plan and "status-not-addressed" in this_plan
    any_plan = client.get(url, {"scope": "all"}, headers={"HX-Request": "true"}).text
    assert "Addressed by nobody" in any_plan and "Addressed by another plan" not in any_plan


@pytest.mark.django_db
def test_it_filters_the_link_search_by_position_in_a_labelled_box(client_for, measure):
    RecommendationFactory(number="98.16", text="Abolish the death penalty", position="noted")
    RecommendationFactory(number="98.17", text="Commute death sentences", position="supported")
    coordinator = client_for("coordinator")
    url = reverse("plans:measure-link", kwargs={"pk": measure.pk})
    page = coordinator.get(url).text
    assert '<label for="link-q">' in page and '<label for="link-position">' in page
    # No example that could be taken for a value already typed in.
    assert "placeholder" not in page.split('id="link-q"', 1)[1].split(">", 1)[0]
    noted = coordinator.get(url, {"q": "death", "position": "noted"}).text
    assert "Abolish the death penalty" in noted and "Commute death sentences" not in noted
    # The position alone is a search too.
    supported = coordinator.get(url, {"position": "supported"}).text
    assert "Commute death sentences" in supported and "Abolish" not in supported
    # An unknown position is no filter, not an error.
    assert "Abolish" in coordinator.get(url, {"q": "death", "position": "bogus"}).text


@pytest.mark.django_db
def test_it_links_the_ticked_recommendations_to_a_measure_chosen_after(
    client_for, measure, other_measure
):
    death = RecommendationFactory(number="98.16", text="Abolish the death penalty")
    torture = RecommendationFactory(number="98.22", text="Criminalise torture")
    coordinator = client_for("coordinator")
    url = reverse("plans:link-to-measure")
    # The list posts the ticked ones (with the cluster form's other fields).
    chooser = coordinator.post(
        url, {"recommendation": [death.pk, torture.pk], "cluster": "", "new_name": ""}
    )
    assert chooser.status_code == 200
    assert "2 recommendations to link" in chooser.text
    assert measure.title in chooser.text and other_measure.title in chooser.text
    found = coordinator.get(url, {"recommendation": [death.pk, torture.pk], "q": "judges"})
    assert measure.title in found.text and other_measure.title not in found.text
    done = coordinator.post(url, {"recommendation": [death.pk, torture.pk], "measure": measure.pk})
    assert done.status_code == 302
    assert done["Location"] == reverse("plans:measure-link", kwargs={"pk": measure.pk})
    assert set(measure.recommendations.all()) == {death, torture}


@pytest.mark.django_db
def test_it_links_a_recommendation_from_its_page(client_for, measure):
    death = RecommendationFactory(number="98.16", text="Abolish the death penalty")
    coordinator = client_for("coordinator")
    page = coordinator.get(death.get_absolute_url()).text
    link = f"{reverse('plans:link-to-measure')}?recommendation={death.pk}"
    assert link in page
    assert link not in client_for("viewer").get(death.get_absolute_url()).text
    assert measure.title in coordinator.get(link).text


@pytest.mark.django_db
def test_it_refuses_a_link_without_a_measure_or_to_another_states_measure(client_for, measure):
    other_state = RecommendationFactory(state=TermFactory(code="UKR", label_en="Ukraine"))
    death = RecommendationFactory(number="98.16")
    coordinator = client_for("coordinator")
    url = reverse("plans:link-to-measure")
    missing = coordinator.post(url, {"recommendation": [death.pk], "measure": "x"})
    assert missing.status_code == 400 and "Choose the measure" in missing.text
    wrong = coordinator.post(url, {"recommendation": [other_state.pk], "measure": measure.pk})
    assert wrong.status_code == 400
    assert not measure.recommendations.exists()
    mixed = coordinator.get(url, {"recommendation": [other_state.pk, death.pk]})
    assert "made to different States" in mixed.text
    assert client_for("focal_point").get(url).status_code == 403
    assert client_for("viewer").post(url, {"recommendation": [death.pk]}).status_code == 403
