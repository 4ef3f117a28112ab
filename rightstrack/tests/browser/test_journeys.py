"""What each kind of user comes to do, done in a real browser from the first page to the result."""

import re

import pytest
from playwright.sync_api import expect

from rightstrack.accounts.tests.factories import UserFactory
from rightstrack.core.roles import Role
from rightstrack.progress.models import ProgressReport, ReportStatus
from rightstrack.recommendations.models import ImportBatch, Recommendation
from rightstrack.recommendations.tests.import_helpers import small_vocabulary, write_upr_info

from .conftest import DESKTOP, PHONE, overflow
from .world import browser_world


@pytest.fixture
def world(transactional_db):
    return browser_world()


def test_the_public_searches_filters_and_opens_a_recommendation(open_session, world):
    session = open_session()
    page = session.page
    session.go("/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Recommendations").click()
    page.get_by_label("Search the text").fill("ratify")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".result-count")).to_contain_text("1 recommendation")
    page.get_by_role("checkbox", name=re.compile("^Universal Periodic Review")).check()
    expect(page).to_have_url(re.compile(r"mechanism="))
    page.get_by_role("link", name=re.compile(r"98\.1")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("98.1")
    expect(page.locator("blockquote.recommendation-text")).to_contain_text("Ratify the Convention")
    assert "secret" not in page.content().lower()
    assert session.errors == []


def test_a_focal_point_writes_and_submits_a_progress_report(open_session, world):
    session = open_session(user=world.people.focal_point)
    page = session.page
    session.go(world.measure.get_absolute_url())

    page.get_by_role("link", name=re.compile("progress report", re.I)).first.click()
    page.get_by_label("Period from").fill("2025-01-01")
    page.get_by_label("Period until").fill("2025-06-30")
    page.get_by_label("In progress").check()
    # The narrative: no markup to write; the editor's buttons give bold text and a list.
    editor = page.get_by_role("textbox", name="Narrative")
    editor.click()
    page.keyboard.type("Judges were trained. ")
    page.get_by_role("button", name="Bold").click()
    page.keyboard.type("Eighty")
    page.get_by_role("button", name="Bold").click()
    page.keyboard.type(" of them.")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Bulleted list").click()
    page.keyboard.type("Minsk")
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("button", name="Submit for review").click()

    report = ProgressReport.objects.get(period_start="2025-01-01")
    assert report.status == ReportStatus.SUBMITTED
    assert report.author == world.people.focal_point
    assert "<b>Eighty</b>" in report.narrative or "<strong>Eighty</strong>" in report.narrative
    assert "<li>Minsk</li>" in report.narrative
    expect(page.locator(".narrative li")).to_have_text("Minsk")
    assert session.errors == []


def test_a_coordinator_reviews_a_submitted_report(open_session, world):
    submitted = ProgressReport.objects.filter(
        measure=world.measure, status=ReportStatus.SUBMITTED
    ).get()
    session = open_session(user=world.people.coordinator)
    page = session.page
    session.go("/progress/review/")

    page.get_by_role("link", name=re.compile("Train judges")).first.click()
    page.get_by_label("Return for changes").check()
    page.get_by_label("Comment").fill("Please add the number of judges trained.")
    page.get_by_role("button", name="Record the decision").click()

    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED
    assert submitted.review_comment == "Please add the number of judges trained."
    expect(page.locator(".review-comment")).to_contain_text("Please add the number")
    assert session.errors == []


def test_a_coordinator_imports_a_file_and_sees_what_it_brought(
    open_session, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    small_vocabulary()
    coordinator = UserFactory(username="importer", role=Role.COORDINATOR)
    upload = write_upr_info(tmp_path / "upr-info-export.csv")
    session = open_session(user=coordinator)
    page = session.page
    session.go("/recommendations/import/")

    page.get_by_label("Format").select_option("upr-info")
    page.get_by_label("File").set_input_files(upload)
    page.get_by_label("State under review").fill("Belarus")
    page.get_by_role("button", name=re.compile("Import", re.I)).click()

    expect(page.locator("main")).to_contain_text("Succeeded")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert Recommendation.objects.filter(import_batch=batch).count() == batch.created > 0
    assert session.errors == []


def test_on_a_phone_the_menu_and_filters_fold_away_and_charts_stay_legible(open_session, world):
    session = open_session(PHONE)
    page = session.page
    session.go("/recommendations/")

    # The menu is behind its button, the filters behind theirs: the first result is on screen.
    menu = page.get_by_role("button", name="Menu")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    menu.click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert page.locator(".site-header").bounding_box()["height"] > 200
    menu.click()
    expect(page.locator("#facets-heading")).to_be_hidden()
    first = page.locator(".recommendation-title").first.bounding_box()
    assert first["y"] + first["height"] < PHONE["height"]
    page.locator("summary", has_text="Filters").click()
    expect(page.locator("#facets-heading")).to_be_visible()
    assert overflow(page)["extra"] == 0

    session.go("/states/blr/")
    sizes = _chart_label_sizes(page)
    assert sizes and min(sizes) >= 12, sizes
    assert overflow(page)["extra"] == 0
    assert session.errors == []


def test_on_a_wide_screen_the_header_is_one_row_and_charts_legible(open_session, world):
    session = open_session(DESKTOP, user=world.people.coordinator)
    page = session.page
    session.go("/states/blr/")

    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 60
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    sizes = _chart_label_sizes(page)
    assert sizes and min(sizes) >= 12, sizes
    # The data behind a chart is one click away, not under every chart.
    table = page.locator("figure.chart details.chart-data table").first
    expect(table).to_be_hidden()
    page.locator("figure.chart details.chart-data summary").first.click()
    expect(table).to_be_visible()


def _chart_label_sizes(page):
    """The size on screen, in CSS pixels, of every visible chart label."""
    return page.evaluate(
        """() => [...document.querySelectorAll("svg.bar-chart text.chart-label")]
            .filter(text => text.getClientRects().length > 0)
            .map(text => {
                const scale = text.ownerSVGElement.getScreenCTM().a;
                return parseFloat(getComputedStyle(text).fontSize) * scale;
            })"""
    )
