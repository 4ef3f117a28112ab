"""The plan pages work on their own: what progress registers in extensions.py is shown when
present and left out when not."""

import datetime

import pytest
from django.urls import reverse

from rightstrack.plans import extensions
from rightstrack.plans.dashboard import plan_dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def nothing_registered(monkeypatch):
    monkeypatch.setattr(extensions.registered, "follow_up", None)


def test_it_registers_what_progress_adds():
    assert extensions.registered.follow_up is not None


def test_it_shows_plans_and_measures_without_progress(
    nothing_registered, client_for, users, plan, measure, indicator
):
    focal = client_for("focal_point")

    measure_page = focal.get(measure.get_absolute_url())
    mine = focal.get(reverse("plans:mine"))
    dashboard = plan_dashboard(user=users["coordinator"], plan=plan, today=datetime.date.today())

    assert measure_page.status_code == 200 and "reports" not in measure_page.context
    assert mine.status_code == 200 and "overdue by" not in mine.text
    assert dashboard["overdue"] == []
    assert client_for("coordinator").get(plan.get_absolute_url()).status_code == 200
