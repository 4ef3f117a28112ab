"""The layout every page shares: error pages, dates, the favicon and the header's menus."""

import datetime

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation


def _main(response):
    content = response.content.decode()
    return content[content.index('<main id="main"') : content.index("</main>")]


@pytest.mark.django_db
def test_it_says_why_a_page_is_forbidden_inside_the_layout(client_for):
    response = client_for("coordinator").get(reverse("plans:mine"))

    assert response.status_code == 403
    content = response.content.decode()
    assert 'class="site-header"' in content
    assert '<h1 id="error-heading">You may not see this page</h1>' in content
    # The reason the code gives (PermissionDenied's message), not a bare "403 Forbidden".
    assert "This page lists the measures of a focal point&#x27;s agency." in _main(response)
    assert "ask a coordinator or an administrator to change your role" in _main(response)


@pytest.mark.django_db
def test_it_says_why_a_page_is_forbidden_in_russian(client_for):
    client = client_for("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    response = client.get(reverse("plans:mine"))

    assert response.status_code == 403
    main = _main(response)
    assert "Вам нельзя открыть эту страницу" in main
    assert "На этой странице перечислены мероприятия ведомства контактного лица." in main
    assert "You may not see this page" not in main


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "sign_in"),
    [
        ("en", "Page not found", "Sign in"),
        ("ru", "Страница не найдена", "Войти"),
        ("be", "Старонка не знойдзена", "Увайсці"),
    ],
)
def test_it_answers_a_missing_page_in_the_readers_language(client, language, heading, sign_in):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/no/such/page/")

    assert response.status_code == 404
    main = _main(response)
    assert f'<h1 id="error-heading">{heading}</h1>' in main
    assert "<code>/no/such/page/</code>" in main
    assert f'<a href="/accounts/login/?next=/no/such/page/">{sign_in}</a>' in main


@pytest.mark.django_db
def test_it_shows_a_server_error_inside_the_layout(settings):
    settings.ROOT_URLCONF = "rightstrack.tests.failing_urls"
    client = Client(raise_request_exception=False)

    response = client.get("/fail/")

    assert response.status_code == 500
    assert '<h1 id="error-heading">Something went wrong</h1>' in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.django_db
def test_it_serves_a_favicon_without_a_404(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.ico"
    home = client.get(reverse("home")).content.decode()
    assert '<link rel="icon" href="/static/img/logo.svg" type="image/svg+xml">' in home


@pytest.mark.parametrize(
    ("language", "date", "moment"),
    [
        ("en", "3 Dec 2026", "3 Dec 2026, 07:42"),
        ("ru", "3 декабря 2026", "3 декабря 2026, 07:42"),
        ("be", "3 снежня 2026", "3 снежня 2026, 07:42"),
    ],
)
def test_it_writes_dates_one_way_in_each_language(language, date, moment):
    template = Template(
        '{{ day }}|{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}|'
        '{{ at }}|{{ at|date:"DATETIME_FORMAT" }}|{{ at|date:"SHORT_DATETIME_FORMAT" }}'
    )
    context = Context(
        {
            "day": datetime.date(2026, 12, 3),
            "at": datetime.datetime(2026, 12, 3, 7, 42, tzinfo=datetime.UTC),
        }
    )

    with translation.override(language), timezone.override(datetime.UTC):
        rendered = template.render(context)

    assert rendered.split("|") == [date, date, date, moment, moment, moment]


@pytest.mark.parametrize(
    ("language", "after_day", "on_its_own"),
    [
        ("ru", ["3 января", "3 марта", "3 сентября", "3 декабря"], ["январь", "декабрь"]),
        # Django's own Belarusian catalog gives "3 сакавік", "3 верасьня" and "снежня 2026".
        ("be", ["3 студзеня", "3 сакавіка", "3 верасня", "3 снежня"], ["студзень", "снежань"]),
    ],
)
def test_it_puts_the_month_after_a_day_in_the_genitive_and_alone_in_the_nominative(
    language, after_day, on_its_own
):
    days = [datetime.date(2026, month, 3) for month in (1, 3, 9, 12)]
    template = Template('{{ day|date:"MONTH_DAY_FORMAT" }}|{{ day|date:"YEAR_MONTH_FORMAT" }}')

    with translation.override(language):
        rendered = [template.render(Context({"day": day})).split("|") for day in days]

    assert [month_day for month_day, _ in rendered] == after_day
    assert [rendered[0][1], rendered[-1][1]] == [f"{month} 2026" for month in on_its_own]


@pytest.mark.django_db
def test_it_puts_the_account_pages_in_one_menu(client_for, users):
    content = client_for("administrator").get(reverse("home")).content.decode()

    header = content[content.index('<header class="site-header">') : content.index("</header>")]
    menu = header[header.index('class="dropdown account-menu"') :]
    for name in ("audit:list", "jobs:list", "accounts:user_list", "accounts:me"):
        assert f'href="{reverse(name)}"' in menu
    assert users["administrator"].get_username() in menu
    # The language menu: one button a language, the current one marked.
    assert header.count('name="language"') == len(settings.LANGUAGES)
    assert 'value="en" lang="en" class="menu-item" aria-current="true"' in header


@pytest.mark.django_db
def test_it_explains_an_expired_form_inside_the_layout():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"})

    assert response.status_code == 403
    main = _main(response)
    assert '<h1 id="error-heading">The form has expired</h1>' in main
    assert "Go back, reload the page and send the form again." in main
