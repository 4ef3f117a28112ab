"""The open-data page on a phone: every dataset, its downloads and its data dictionary are there,
folded so the page stays a few screens tall (with every column of every dataset spelled out it
was about 35,000px on a 360px phone)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rightstrack.reports import opendata

from .conftest import PHONE, axe_violations, overflow
from .world import browser_world

# Folded, the page measured 6,500px on a 360px phone; the bound leaves room for a few more
# datasets without letting the dictionary unfold again.
MAX_PHONE_HEIGHT = 8_000


@pytest.fixture
def world(transactional_db):
    return browser_world()


def _height(page):
    return page.evaluate("document.documentElement.scrollHeight")


def test_it_keeps_the_open_data_page_a_few_screens_tall_on_a_phone(open_session, world):
    session = open_session(PHONE)
    session.go(reverse("portal:open_data"))
    page = session.page

    assert _height(page) < MAX_PHONE_HEIGHT
    assert overflow(page)["extra"] == 0
    for dataset in opendata.DATASETS:
        for fmt in ("CSV", "JSON"):
            link = page.get_by_role("link", name=f"{str(dataset.title)} as {fmt}", exact=True)
            expect(link).to_have_attribute("href", f"/open-data/{dataset.slug}.{fmt.lower()}")
    assert session.errors == []


def test_it_unfolds_a_datasets_description_and_its_columns_when_asked(open_session, world):
    session = open_session(PHONE)
    session.go(reverse("portal:open_data"))
    page = session.page
    recommendations = opendata.dataset_get("recommendations")
    title = str(recommendations.title)
    folded = _height(page)

    page.get_by_role("row").filter(has_text=title).first.locator("summary").click()
    expect(page.get_by_text(str(recommendations.description)).first).to_be_visible()
    page.get_by_role("link", name=f"Columns of {title}").click()

    columns = page.get_by_role("table", name=f"Columns of {title}")
    expect(columns).to_be_visible()
    expect(columns.get_by_role("rowheader", name="source_key")).to_be_visible()
    assert _height(page) > folded
    assert session.errors == []


def test_it_has_no_accessibility_violation_with_everything_unfolded(open_session, world):
    session = open_session(PHONE)
    session.go(reverse("portal:open_data"))
    # Toggle events come in a task of their own: the tables are measured once they are handled.
    session.page.evaluate(
        """() => new Promise(done => {
            document.querySelectorAll("main details").forEach(d => { d.open = true; });
            setTimeout(done, 100);
        })"""
    )

    assert axe_violations(session.page) == []
