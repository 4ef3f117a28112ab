"""What each kind of user comes to do, done in a real browser from the first page to the result."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from rightstrack.accounts.tests.factories import UserFactory
from rightstrack.core.roles import Role
from rightstrack.jobs.models import Job
from rightstrack.progress.models import (
    IndependentAssessment,
    ModerationStatus,
    ProgressReport,
    ReportStatus,
)
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


def open_the_submitted_report_for_review(open_session, world):
    """The submitted report, and a coordinator's session on its page, reached from the review
    queue."""
    submitted = ProgressReport.objects.filter(
        measure=world.measure, status=ReportStatus.SUBMITTED
    ).get()
    session = open_session(user=world.people.coordinator)
    session.go("/progress/review/")
    session.page.get_by_role("link", name=re.compile("Train judges")).first.click()
    return submitted, session


def test_a_coordinator_reviews_a_submitted_report(open_session, world):
    submitted, session = open_the_submitted_report_for_review(open_session, world)
    page = session.page

    page.get_by_label("Return for changes").check()
    page.get_by_label("Comment").fill("Please add the number of judges trained.")
    page.get_by_role("button", name="Record the decision").click()

    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED
    assert submitted.review_comment == "Please add the number of judges trained."
    expect(page.locator(".review-comment")).to_contain_text("Please add the number")
    assert session.errors == []


def test_a_coordinator_approves_a_submitted_report_and_the_public_sees_it(open_session, world):
    submitted, session = open_the_submitted_report_for_review(open_session, world)
    page = session.page

    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record the decision").click()

    expect(page.locator("main")).to_contain_text("The report was approved.")
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED
    assert submitted.reviewed_by == world.people.coordinator
    public = open_session()
    public.go(submitted.get_absolute_url())
    expect(public.page.locator(".narrative")).to_contain_text(f"A secret {ReportStatus.SUBMITTED}")
    assert session.errors == [] and public.errors == []


def _link_to_train_judges(session, world):
    """The end of either way of linking: find the measure, choose it, link; the death penalty
    recommendation is then linked to it."""
    page = session.page
    page.get_by_role("button", name="Find measures").click()
    page.get_by_role("radio", name=re.compile("Train judges")).check()
    page.get_by_role("button", name="Link to the chosen measure").click()

    expect(page).to_have_url(re.compile(reverse("plans:measure-link", args=[world.measure.pk])))
    linked = page.get_by_role("region", name="Linked now")
    expect(linked).to_contain_text("Abolish the death penalty")
    assert world.measure.recommendations.filter(pk=world.noted.pk).exists()
    assert session.errors == []


def test_a_coordinator_links_ticked_search_results_to_a_measure(open_session, world):
    session = open_session(user=world.people.coordinator)
    page = session.page
    session.go("/recommendations/")

    page.get_by_label("Search the text").fill("death penalty")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".result-count")).to_contain_text("1 recommendation")
    page.get_by_role("checkbox", name=re.compile(r"^Select .* 12 \(Belarus\)")).check()
    page.get_by_role("button", name="Link the ticked ones to a measure").click()

    expect(page.get_by_role("heading", level=2, name="1 recommendation to link")).to_be_visible()
    page.get_by_label("Measure number or words of its title").fill("judges")
    _link_to_train_judges(session, world)


def test_a_coordinator_links_a_recommendation_to_a_measure_from_its_page(open_session, world):
    session = open_session(user=world.people.coordinator)
    page = session.page
    session.go(world.noted.get_absolute_url())

    page.get_by_role("link", name="Link to a measure").click()
    expect(page.locator(".chosen-recommendations")).to_contain_text("Abolish the death penalty")
    page.get_by_label("Action plan").select_option("ihrp")
    _link_to_train_judges(session, world)


def test_a_coordinator_publishes_an_independent_assessment_and_the_public_sees_it(
    open_session, world
):
    pending = IndependentAssessment.objects.get(moderation=ModerationStatus.PENDING)
    session = open_session(user=world.people.coordinator)
    page = session.page
    session.go("/progress/review/")

    page.get_by_role("link", name="Independent assessments awaiting moderation").click()
    expect(page.locator(".result-count")).to_contain_text("1 assessment waiting")
    card = page.locator("article.assessment", has_text="Secret pending organisation")
    card.get_by_label("Publish", exact=True).check()
    card.get_by_label("Comment for the author").fill("Thank you.")
    card.get_by_role("button", name="Record the decision").click()

    expect(page.locator(".result-count")).to_contain_text("0 assessments waiting")
    pending.refresh_from_db()
    assert pending.moderation == ModerationStatus.PUBLISHED
    public = open_session()
    public.go(world.measure.get_absolute_url())
    expect(public.page.locator("main")).to_contain_text("Secret pending organisation")
    assert session.errors == [] and public.errors == []


def test_a_signed_in_reader_generates_a_plan_report_and_downloads_it(open_session, world):
    session = open_session(user=world.people.coordinator)
    page = session.page
    session.go("/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    form = page.get_by_role("region", name="Plan status report")
    form.get_by_label("Action plan").select_option("ihrp")
    form.get_by_label("Word (.docx)").check()
    form.get_by_role("button", name=re.compile("^Download")).click()

    expect(page).to_have_url(re.compile(r"/jobs/\d+/file/"))
    expect(page.locator("#job-file")).to_contain_text("Your file is ready.")
    job = Job.objects.get(started_by=world.people.coordinator)
    assert job.status == Job.Status.SUCCEEDED
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download .*\.docx")).click()
    assert download.value.suggested_filename.endswith(".docx")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    assert session.errors == []


def test_the_public_browses_a_state_and_its_recommendations(open_session, world):
    session = open_session()
    page = session.page
    session.go("/")

    page.get_by_role("link", name="Browse by State").click()
    page.get_by_role("link", name="Belarus", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Belarus")
    expect(page.locator("main")).to_contain_text("Interagency Human Rights Plan")
    published = Recommendation.objects.filter(state=world.state, is_published=True).count()
    page.get_by_role("link", name=re.compile(rf"See all {published} recommendations")).click()
    expect(page.locator(".result-count")).to_contain_text(f"{published} recommendations")
    assert "secret" not in page.content().lower()
    assert session.errors == []


def test_a_reader_switches_the_language_to_russian_and_belarusian(open_session, world):
    if not (Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.mo").exists():
        pytest.skip("translation catalogs not compiled (rightstrack compilemessages)")
    session = open_session()
    page = session.page
    session.go("/recommendations/")

    menu = page.locator("details.language-menu")
    menu.locator("summary").click()
    menu.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page).to_have_url(re.compile(r"/recommendations/$"))
    # The longer Russian labels may fold the main menu behind its button; the heading shows.
    expect(page.get_by_role("heading", level=1)).to_have_text("Рекомендации")
    expect(page.locator(".result-count")).to_contain_text("2 рекомендации")

    menu.locator("summary").click()
    menu.get_by_role("button", name="Беларуская").click()
    expect(page.locator("html")).to_have_attribute("lang", "be")
    expect(page.get_by_role("heading", level=1)).to_have_text("Рэкамендацыі")
    expect(menu.locator("summary")).to_contain_text("Мова: беларуская")
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
    # What it brought: the list of its recommendations, one click away.
    page.get_by_role("link", name=re.compile("recommendations? this import created")).click()
    expect(page).to_have_url(re.compile(rf"batch={batch.pk}"))
    expect(page.locator(".result-count")).to_contain_text(f"{batch.created} recommendation")
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
