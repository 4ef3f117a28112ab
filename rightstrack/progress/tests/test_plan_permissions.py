"""Who gets which page: every view of the plans and progress apps, for every role.

"outsider" is a focal point of another agency than the one responsible for ``measure``.
"""

import pytest
from django.urls import reverse

from rightstrack.accounts.tests.fixtures import ALL_ROLES
from rightstrack.plans.tests.factories import IndicatorFactory

from .factories import ReportFactory

MANAGERS = {"administrator", "coordinator"}
OK = 200


def expected(allowed, *, anonymous=302, others=403, ok=OK):
    def status(role):
        if role in allowed:
            return ok
        return anonymous if role == "anonymous" else others

    return status


def everyone(role):
    return OK


@pytest.fixture
def objects(plan, unpublished_plan, measure, hidden_measure, agency, users):
    indicator = IndicatorFactory(measure=measure)
    draft = ReportFactory(measure=measure, agency=agency, author=users["focal_point"])
    return {
        "plan": plan.slug,
        "hidden_plan": unpublished_plan.slug,
        "measure": measure.pk,
        "indicator": indicator.pk,
        "draft": draft.pk,
    }


PAGES = [
    ("plans:list", {}, everyone),
    ("plans:create", {}, expected(MANAGERS)),
    ("plans:mine", {}, expected({"focal_point", "outsider"})),
    ("plans:detail", {"slug": "plan"}, everyone),
    (
        "plans:detail",
        {"slug": "hidden_plan"},
        expected(MANAGERS | {"viewer", "focal_point"}, anonymous=404, others=404),
    ),
    ("plans:edit", {"slug": "plan"}, expected(MANAGERS)),
    ("plans:uncovered", {"slug": "plan"}, everyone),
    ("plans:measure-create", {"slug": "plan"}, expected(MANAGERS)),
    ("plans:measure", {"pk": "measure"}, everyone),
    (
        "plans:measure-edit",
        {"pk": "measure"},
        lambda role: {"focal_point": 302, **dict.fromkeys(MANAGERS, OK)}.get(
            role, 302 if role == "anonymous" else 403
        ),
    ),
    ("plans:indicator-values", {"pk": "measure"}, expected(MANAGERS | {"focal_point"})),
    ("plans:measure-link", {"pk": "measure"}, expected(MANAGERS)),
    ("plans:indicator-create", {"pk": "measure"}, expected(MANAGERS)),
    ("plans:indicator-edit", {"pk": "indicator"}, expected(MANAGERS)),
    ("progress:list", {}, everyone),
    ("progress:review", {}, expected(MANAGERS)),
    ("progress:moderation", {}, expected(MANAGERS)),
    ("progress:report-create", {"measure_pk": "measure"}, expected(MANAGERS | {"focal_point"})),
    (
        "progress:report",
        {"pk": "draft"},
        expected(MANAGERS | {"viewer", "focal_point"}, anonymous=404, others=404),
    ),
    (
        "progress:report-edit",
        {"pk": "draft"},
        lambda role: {
            "administrator": OK,
            "focal_point": OK,
            "coordinator": 403,
            "viewer": 403,
            "anonymous": 302,
        }.get(role, 404),
    ),
    ("progress:assess-measure", {"pk": "measure"}, expected({"administrator", "civil_society"})),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("name", "kwargs", "status"), PAGES, ids=[page[0] for page in PAGES])
def test_it_answers_each_page_as_the_role_may(client_for, objects, role, name, kwargs, status):
    url = reverse(name, kwargs={key: objects[value] for key, value in kwargs.items()})
    assert client_for(role).get(url).status_code == status(role)


POSTS = [
    ("plans:publish", {"slug": "plan"}, {"published": "0"}, MANAGERS, 302),
    ("plans:measure-delete", {"pk": "measure"}, {}, MANAGERS, 302),
    ("plans:measure-unlink", {"pk": "measure"}, {}, MANAGERS, 302),
    ("plans:indicator-delete", {"pk": "indicator"}, {}, MANAGERS, 302),
    ("progress:report-submit", {"pk": "draft"}, {}, {"focal_point", "administrator"}, 302),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "data", "allowed", "ok"), POSTS, ids=[post[0] for post in POSTS]
)
def test_it_refuses_each_change_to_those_who_may_not_make_it(
    client_for, objects, role, name, kwargs, data, allowed, ok
):
    url = reverse(name, kwargs={key: objects[value] for key, value in kwargs.items()})
    status = client_for(role).post(url, data).status_code
    if role in allowed:
        assert status == ok
    elif role == "anonymous":
        assert status == 302
    else:
        assert status in (403, 404)
