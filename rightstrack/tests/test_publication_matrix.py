"""The permission matrix with records in it: every page and API read of the URL patterns, asked by
every role, with a published and an unpublished record of every kind behind its path parameters.

The routes come from the URL resolver (no hand-kept list). Every published record has the id
7001 and the slug ``matrix-published``, every unpublished one 7002 and ``matrix-unpublished``, so
one substitution of a route's parameters names the published (or unpublished) record of whatever
kind the route is about. Unpublished records, drafts and pending items carry a marker in their
text; a reader who may not see internal records must never receive it, on any page, file or API
answer, whatever the status. Published records' pages that the public can open must open for
every role.
"""

import datetime

import pytest
from django.urls import get_resolver

from rightstrack.accounts.tests.fixtures import ALL_ROLES
from rightstrack.activities.tests.factories import ActivityFactory, OrganizationFactory
from rightstrack.core.roles import can_read_internal
from rightstrack.plans.tests.factories import IndicatorFactory, MeasureFactory, PlanFactory
from rightstrack.presences.models import Presence
from rightstrack.presences.tests.factories import FeatureStoryFactory, PresenceFactory
from rightstrack.progress.models import ModerationStatus, ReportStatus
from rightstrack.progress.tests.factories import AssessmentFactory, ReportFactory
from rightstrack.recommendations.tests.factories import (
    ClusterFactory,
    RecommendationFactory,
    TagFactory,
)
from rightstrack.reports.opendata.datasets import DATASETS
from rightstrack.taxonomy.tests.factories import AgencyFactory

from .test_permission_matrix import PARAMETER, routes_of

MARKER = "UNPUBLISHED-MATRIX-MARKER"
PUBLISHED, UNPUBLISHED = "published", "unpublished"
IDS = {PUBLISHED: 7001, UNPUBLISHED: 7002}
# Parameters that name a fixed vocabulary rather than a record: each of its values is asked.
NAMED_VALUES = {
    "fmt": ("csv", "json"),
    "format": ("csv", "json"),
    "dataset": tuple(dataset.slug for dataset in DATASETS),
    "scheme": ("state",),
}
NOT_HERE = ("admin/",)
# Answers that change state or sign out; the permission matrix checks those with POST.
ACTIONS = ("logout/", "/delete/", "/publish/", "/revoke/", "/cancel/", "/retry/", "/reject/")


ROUTES = sorted(
    {
        route.removeprefix("^").removesuffix("$")
        for route in routes_of(get_resolver().url_patterns)
        if not route.startswith(NOT_HERE) and not any(action in route for action in ACTIONS)
    }
)
ROUTES_WITH_RECORDS = [route for route in ROUTES if PARAMETER.search(route)]


def _path(route, variant, named=None):
    def value(match):
        converter, name = match[1], match[0].strip("<>").split(":")[-1]
        if name in NAMED_VALUES:
            return (named or {}).get(name) or NAMED_VALUES[name][0]
        if converter in ("int", "path") or name.endswith(("id", "pk")):
            return str(IDS[variant])
        return f"matrix-{variant}"

    return "/" + PARAMETER.sub(value, route)


def _paths(route, variant):
    """The route's path for the variant, once for every value of its vocabulary parameters."""
    names = [name for name in NAMED_VALUES if f":{name}>" in route]
    combinations = [{}]
    for name in names:
        combinations = [
            {**done, name: value} for done in combinations for value in NAMED_VALUES[name]
        ]
    return [_path(route, variant, named) for named in combinations]


def _build(variant, agency):
    """One record of every kind, with the variant's id and slug; the unpublished variant (and
    the drafts and pending items of either) carry the marker."""
    pk, slug = IDS[variant], f"matrix-{variant}"
    hidden = variant == UNPUBLISHED
    label = f"{MARKER} {variant}" if hidden else f"Matrix {variant}"
    recommendation = RecommendationFactory(
        pk=pk, text=f"{label} recommendation", is_published=not hidden
    )
    TagFactory(pk=pk, recommendation=recommendation, machine_suggestion=True)
    ClusterFactory(pk=pk, name=f"Matrix cluster {variant}", slug=slug)
    plan = PlanFactory(pk=pk, slug=slug, name=f"{label} plan", is_published=not hidden)
    measure = MeasureFactory(
        pk=pk,
        plan=plan,
        title=f"{label} measure",
        agencies=[agency],
        recommendations=[recommendation],
    )
    IndicatorFactory(pk=pk, measure=measure, name=f"{label} indicator")
    report_status = ReportStatus.DRAFT if hidden else ReportStatus.APPROVED
    ReportFactory(pk=pk, measure=measure, status=report_status, narrative=f"<p>{label}</p>")
    AssessmentFactory(
        pk=pk,
        measure=measure,
        narrative=f"<p>{label} assessment</p>",
        moderation=ModerationStatus.PENDING if hidden else ModerationStatus.PUBLISHED,
    )
    presence = PresenceFactory(pk=pk, slug=slug, title=f"{label} presence", is_published=not hidden)
    FeatureStoryFactory(pk=pk, presence=presence, title=f"{label} story")
    OrganizationFactory(pk=pk, name=f"Matrix organization {variant}")
    ActivityFactory(
        pk=pk,
        presence=presence,
        title=f"{label} activity",
        start_date=datetime.date(2024, 5, 1),
        is_published=not hidden,
        recommendations=[recommendation],
        measures=[measure],
    )
    return measure


@pytest.fixture
def records(users, db):
    # Neither the focal point's agency nor the outsider's: the record is nobody's own work.
    agency = AgencyFactory(code="matrix-agency", name_en="Matrix agency")
    published_measure = _build(PUBLISHED, agency)
    _build(UNPUBLISHED, agency)
    ReportFactory(
        measure=published_measure,
        status=ReportStatus.SUBMITTED,
        narrative=f"<p>{MARKER} submitted, not yet approved</p>",
    )
    AssessmentFactory(
        measure=published_measure,
        narrative=f"<p>{MARKER} pending assessment</p>",
        moderation=ModerationStatus.PENDING,
    )
    ActivityFactory(
        presence=Presence.objects.get(pk=IDS[PUBLISHED]),
        title=f"{MARKER} unpublished activity of a published presence",
        is_published=False,
    )
    return users


def _content(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _get(client, path):
    response = client.get(path)
    return response.status_code, _content(response) if response.status_code == 200 else b""


def test_it_names_a_record_in_every_parametrised_route():
    assert len(ROUTES_WITH_RECORDS) > 40
    assert _path("recommendations/<int:pk>/", UNPUBLISHED) == "/recommendations/7002/"
    assert _path("presences/<slug:slug>/stories/<int:story_id>/edit/", PUBLISHED) == (
        "/presences/matrix-published/stories/7001/edit/"
    )
    assert _path("api/v1/activities/<int:activity_id>", PUBLISHED) == "/api/v1/activities/7001"
    downloads = _paths("open-data/<slug:dataset>.<str:fmt>", UNPUBLISHED)
    assert len(downloads) == 2 * len(DATASETS)
    assert "/open-data/measures.json" in downloads


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_never_shows_an_unpublished_record_to_a_reader_who_may_not_see_it(
    records, client_for, role
):
    client = client_for(role)
    may_see = can_read_internal(records[role])
    failures, cells, pages_with_marker = [], 0, 0
    for route in ROUTES:
        variants = (PUBLISHED, UNPUBLISHED) if route in ROUTES_WITH_RECORDS else (PUBLISHED,)
        for variant in variants:
            for path in _paths(route, variant):
                cells += 1
                status, body = _get(client, path)
                pages_with_marker += MARKER.encode() in body
                if status >= 500:
                    failures.append((path, status))
                elif not may_see and MARKER.encode() in body:
                    failures.append((path, "shows unpublished content"))
    assert cells > 150
    assert failures == []
    if may_see:
        # The marker is there to be found: the check above is not vacuous.
        assert pages_with_marker > 20


def test_it_opens_every_public_page_of_a_published_record_for_every_role(records, client_for):
    anonymous = client_for("anonymous")
    public = [
        route for route in ROUTES_WITH_RECORDS if _get(anonymous, _path(route, PUBLISHED))[0] == 200
    ]
    # The records' own pages at least: a recommendation, a plan, a measure, a presence, an
    # activity, a cluster, an organization, and the API reads of them.
    assert {
        "recommendations/<int:pk>/",
        "plans/<slug:slug>/",
        "plans/measures/<int:pk>/",
        "presences/<slug:slug>/",
        "activities/<int:pk>/",
    } <= set(public)
    assert sum(route.startswith("api/") for route in public) >= 5
    failures = [
        (route, role, status)
        for route in public
        for role in ALL_ROLES[1:]
        if (status := _get(client_for(role), _path(route, PUBLISHED))[0]) != 200
    ]
    assert failures == []
