"""The records and people the browser tests work with: the portal's small world (published and
unpublished records of Belarus), a focal point of its agency, a coordinator and an administrator."""

from types import SimpleNamespace

from django.urls import reverse

from rightstrack.accounts.tests.factories import UserFactory
from rightstrack.core.roles import Role
from rightstrack.reports.tests.portal_world import build_world


def browser_world():
    world = build_world()
    world.people = SimpleNamespace(
        focal_point=UserFactory(username="fp-justice", role=Role.FOCAL_POINT, agency=world.agency),
        coordinator=UserFactory(username="coordinator-1", role=Role.COORDINATOR),
        administrator=UserFactory(username="admin-1", role=Role.ADMINISTRATOR),
    )
    return world


def public_pages(world):
    """(name, path) of the pages anyone may open, one of each kind."""
    return [
        ("home", reverse("home")),
        ("recommendations", reverse("recommendations:list")),
        ("recommendation", world.recommendation.get_absolute_url()),
        ("states", reverse("portal:state_list")),
        ("state", reverse("portal:state_home", args=["blr"])),
        ("open data", reverse("portal:open_data")),
        ("plans", reverse("plans:list")),
        ("plan", world.plan.get_absolute_url()),
        ("measure", world.measure.get_absolute_url()),
        ("presences", reverse("presences:list")),
        ("presence", world.presence.get_absolute_url()),
        ("activities", reverse("activities:list")),
        ("activity", world.activity.get_absolute_url()),
        ("reports", reverse("reports:list")),
        ("vocabularies", reverse("taxonomy:list")),
        ("sign in", reverse("accounts:login")),
        ("not found", "/no/such/page/"),
    ]


def staff_pages(world):
    """(name, path) of the pages of signed-in staff (a coordinator)."""
    return [
        ("home", reverse("home")),
        ("recommendations", reverse("recommendations:list")),
        ("recommendation", world.recommendation.get_absolute_url()),
        (
            "link to a measure",
            f"{reverse('plans:link-to-measure')}?recommendation={world.recommendation.pk}",
        ),
        ("measure's recommendations", reverse("plans:measure-link", args=[world.measure.pk])),
        ("review queue", reverse("progress:review")),
        ("progress reports", reverse("progress:list")),
        ("report", world.report.get_absolute_url()),
        ("moderation", reverse("progress:moderation")),
        ("suggestions", reverse("intelligence:review")),
        ("import", reverse("recommendations:import")),
        ("imports", reverse("recommendations:import-batches")),
        ("jobs", reverse("jobs:list")),
        ("audit trail", reverse("audit:list")),
        ("my account", reverse("accounts:me")),
        ("forbidden", reverse("plans:mine")),
    ]


def focal_point_pages(world):
    return [
        ("home", reverse("home")),
        ("my measures", reverse("plans:mine")),
        ("new report", reverse("progress:report-create", args=[world.measure.pk])),
    ]
