"""The demo's Belarus profile says everything the seed page says, in the seed's order.

The facts are read from the seed page itself at test time (``../shared/seed``), not copied here:
every non-empty line of the page is a fact that must appear on /presences/belarus/ after
``rightstrack load-demo``.
"""

import io
import re

import pytest
from django.core.management import call_command

from rightstrack.core.tests.html_text import html_to_text

pytestmark = pytest.mark.django_db

SEED_PAGE = "000_8de67b3fcfb00367.txt"
BULLET = "•"


def _comparable(text):
    """Text with the differences that carry no fact removed: whitespace (non-breaking spaces
    too), dash and hyphen forms ("2018 - 2021" / "2018–2021", "Non discrimination" /
    "Non-discrimination") and apostrophe forms."""
    text = text.replace("’", "'")
    text = re.sub(r"[-‐‑–—]", " ", text)
    return " ".join(text.split())


def _seed_lines(seed_dir):
    """(is_bullet, line) for every non-empty line of the seed page."""
    lines = []
    for raw in (seed_dir / SEED_PAGE).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        is_bullet = line.startswith(BULLET)
        lines.append((is_bullet, _comparable(line.removeprefix(BULLET))))
    return lines


@pytest.fixture
def seed_lines(shared_seed_dir):
    lines = _seed_lines(shared_seed_dir)
    # The parse found the page's structure (guards against testing an empty or different file).
    assert lines[0] == (False, "UN Human Rights in Belarus")
    assert sum(1 for is_bullet, _line in lines if is_bullet) == 7
    assert len(lines) > 30
    return lines


@pytest.fixture
def belarus_page(client):
    call_command("load-demo", "--no-progress", stdout=io.StringIO())
    response = client.get("/presences/belarus/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_every_fact_of_the_seed_page_in_the_seed_s_order(seed_lines, belarus_page):
    page = _comparable(html_to_text(belarus_page))
    missing, out_of_order = [], []
    position = 0
    section_start = 0
    pending_bullets = []

    def check_bullets(section_end):
        # A bullet belongs between the heading above it and the line after its list; within
        # the list, terms come in their vocabulary's order.
        section = page[section_start:section_end]
        for bullet in pending_bullets:
            if bullet not in section:
                (out_of_order if bullet in page else missing).append(bullet)
        pending_bullets.clear()

    for is_bullet, line in seed_lines:
        if is_bullet:
            pending_bullets.append(line)
            continue
        found = page.find(line, position)
        if found < 0:
            (out_of_order if line in page else missing).append(line)
            continue
        check_bullets(found)
        section_start = position = found + len(line)
    check_bullets(len(page))

    assert missing == []
    assert out_of_order == []


def test_it_shows_blank_seed_facts_as_not_reported(seed_lines, belarus_page):
    page = html_to_text(belarus_page)
    lines = [line for _is_bullet, line in seed_lines]
    # In the seed, "Field offices" and "Number of staff" are headings with nothing under them.
    assert lines[lines.index("Field offices") + 1] == "Number of staff"
    assert lines[lines.index("Number of staff") + 1] == "Annual budget needs"

    assert "Field offices not reported" in page
    assert "Number of staff not reported" in page
    assert "Field offices 0" not in page
    assert "Number of staff 0" not in page


def test_it_links_the_seed_s_email_and_shows_its_figures_as_the_seed_writes_them(
    seed_lines, belarus_page
):
    lines = [line for _is_bullet, line in seed_lines]
    [email_line] = [line for line in lines if line.startswith("Email:")]
    email = email_line.removeprefix("Email:").strip()

    assert f'<a href="mailto:{email}">{email}</a>' in belarus_page
    assert "Years of deployment 2018–2021" in html_to_text(belarus_page)
    assert "Annual budget needs US$ 823,000" in html_to_text(belarus_page)
    assert "Last reviewed: November 2020" in html_to_text(belarus_page)
