"""Every kind of page in a real browser: no WCAG 2.2 AA violation that axe-core finds, nothing
wider than a 360px phone screen, no script error (the Content-Security-Policy included)."""

import pytest

from .conftest import DESKTOP, PHONE, axe_violations, overflow
from .world import browser_world, focal_point_pages, public_pages, staff_pages


@pytest.fixture
def world(transactional_db):
    return browser_world()


def _check_pages(session, pages, *, viewport):
    problems = {}
    for name, path in pages:
        response = session.go(path)
        assert response.status in (200, 403, 404), (name, response.status)
        if viewport is PHONE:
            wide = overflow(session.page)
            if wide["extra"] > 0:
                problems[name] = f"{wide['extra']}px too wide: {wide['offenders']}"
        else:
            violations = axe_violations(session.page)
            if violations:
                problems[name] = violations
    return problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["axe", "phone"])
def test_it_has_no_accessibility_violation_and_fits_a_phone_on_public_pages(
    open_session, world, viewport
):
    session = open_session(viewport)

    problems = _check_pages(session, public_pages(world), viewport=viewport)

    assert problems == {}
    assert session.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["axe", "phone"])
def test_it_has_no_accessibility_violation_and_fits_a_phone_on_staff_pages(
    open_session, world, viewport
):
    coordinator = open_session(viewport, user=world.people.coordinator)
    focal_point = open_session(viewport, user=world.people.focal_point)

    problems = _check_pages(coordinator, staff_pages(world), viewport=viewport)
    problems |= _check_pages(focal_point, focal_point_pages(world), viewport=viewport)

    assert problems == {}
    assert coordinator.errors == [] and focal_point.errors == []


def test_axe_finds_a_violation_when_there_is_one(open_session, world):
    # The check above can fail: an image without a text alternative is reported.
    session = open_session()
    session.go("/")
    session.page.evaluate(
        "document.querySelector('main').appendChild(document.createElement('img')).src = "
        "'/static/img/logo.svg'"
    )

    assert [violation["id"] for violation in axe_violations(session.page)] == ["image-alt"]
