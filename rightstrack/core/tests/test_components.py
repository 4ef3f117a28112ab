"""The shared template components (templates/components/), rendered on their own."""

from datetime import datetime
from types import SimpleNamespace

from django import forms
from django.core.paginator import Paginator
from django.template import Context, RequestContext, Template
from django.test import RequestFactory


class ThingForm(forms.Form):
    name = forms.CharField(help_text="As printed.")
    notify = forms.BooleanField(required=False, label="Notify me")
    q = forms.CharField(required=False)
    sort = forms.CharField(required=False)


def _render(source, request=None, **context):
    request = request or RequestFactory().get("/things/", {"q": "x", "page": "2"})
    return Template(source).render(RequestContext(request, context))


def test_it_ties_a_fields_label_help_and_errors_together():
    form = ThingForm({})
    assert not form.is_valid()
    html = _render('{% include "components/field.html" with field=form.name only %}', form=form)
    assert '<label for="id_name">Name <span aria-hidden="true">*</span>' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert '<p class="help" id="id_name_helptext">As printed.</p>' in html
    assert '<ul class="errorlist" id="id_name_error"><li>This field is required.</li></ul>' in html


def test_it_puts_a_checkbox_before_its_label():
    html = _render(
        '{% include "components/field.html" with field=form.notify only %}', form=ThingForm()
    )
    assert html.index('type="checkbox"') < html.index('<label for="id_notify"')


def test_it_announces_form_errors_and_lists_those_of_no_field():
    form = ThingForm({"name": "x"})
    assert form.is_valid()
    form.add_error(None, "Closed today.")
    html = _render('{% include "components/form_errors.html" with form=form only %}', form=form)
    assert 'role="alert"' in html and "<li>Closed today.</li>" in html
    assert (
        _render(
            '{% include "components/form_errors.html" with form=form only %}', form=ThingForm()
        ).strip()
        == ""
    )


def test_it_pages_in_a_named_landmark_keeping_the_query():
    page = Paginator(range(30), 10).page(2)
    html = _render('{% include "components/pagination.html" with page=page only %}', page=page)
    assert '<nav class="pagination" aria-label="Pages">' in html
    assert 'href="?q=x&amp;page=1" rel="prev"' in html
    assert 'href="?q=x&amp;page=3" rel="next"' in html
    assert "hx-get" not in html


def test_it_pages_through_htmx_when_given_a_target():
    page = Paginator(range(30), 10).page(2)
    html = _render(
        '{% include "components/pagination.html" with page=page target="results" only %}',
        page=page,
    )
    assert 'hx-target="#results"' in html and 'hx-push-url="true"' in html


def test_it_draws_no_pagination_for_a_single_page():
    page = Paginator(range(3), 10).page(1)
    assert "<nav" not in _render(
        '{% include "components/pagination.html" with page=page only %}', page=page
    )


def test_it_marks_the_sorted_column_and_offers_the_other_direction():
    source = (
        '{% include "components/sort_header.html" with key="name" label="Name" sort=sort only %}'
    )
    ascending = _render(source, sort="name")
    assert 'aria-sort="ascending"' in ascending and "sort=-name" in ascending
    descending = _render(source, sort="-name")
    assert 'aria-sort="descending"' in descending and "sort=name" in descending
    assert "aria-sort" not in _render(source, sort="date")


def test_it_draws_a_filter_form_without_the_sort_and_the_fields_left_out():
    html = _render(
        '{% include "components/filter_form.html" with form=form action="/things/"'
        ' form_id="thing-filters" label="Filter things" exclude="notify" only %}',
        form=ThingForm(),
    )
    assert 'role="search" id="thing-filters"' in html and 'aria-label="Filter things"' in html
    assert 'id="id_q"' in html
    assert 'id="id_sort"' not in html and 'id="id_notify"' not in html


def test_it_builds_query_links_without_a_request_context_variable():
    request = RequestFactory().get("/things/", {"q": "x"})
    context = Context({"page": Paginator(range(30), 10).page(1)})
    context.request = request
    html = Template('{% include "components/pagination.html" with page=page only %}').render(
        context
    )
    assert 'href="?q=x&amp;page=2"' in html


AN_ASSESSMENT = {
    "is_example": False,
    "moderation": "pending",
    "get_moderation_display": "Awaiting moderation",
    "organisation": "Watch Group",
    "status_assessment": "partial",
    "get_status_assessment_display": "Partially implemented",
    "narrative": "<p>Half done.</p>",
    "created_at": datetime(2026, 12, 3, 10, 0),
}


def test_it_lists_independent_assessments_dated_on_request_and_offers_to_add_one():
    assessment = SimpleNamespace(**AN_ASSESSMENT)
    source = (
        '{% include "components/independent_assessments.html" '
        "with assessments=assessments dated=dated add_url=add_url only %}"
    )
    dated = _render(source, assessments=[assessment], dated=True, add_url="/assess/")
    plain = _render(source, assessments=[], dated=False, add_url="")

    assert "<strong>Watch Group</strong>" in dated and "Awaiting moderation" in dated
    assert '<time datetime="2026-12-03T10:00:00' in dated and 'href="/assess/"' in dated
    assert "No independent assessment yet." in plain
    assert "<time" not in plain and "/assess/" not in plain


class ChoiceForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, label="Decision"
    )


def test_it_draws_radio_buttons_as_a_fieldset_named_by_its_legend_with_the_errors_tied():
    form = ChoiceForm({})
    assert not form.is_valid()
    html = _render('{% include "components/field.html" with field=form.decision only %}', form=form)
    assert '<fieldset class="checkbox-group" aria-describedby="id_decision_error">' in html
    assert '<legend>Decision <span aria-hidden="true">*</span>' in html
    assert html.count('type="radio"') == 2
    assert '<ul class="errorlist" id="id_decision_error">' in html
